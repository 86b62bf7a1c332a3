// The queue core and its journal: events applied and commands executed per second, fsync latency of
// a durable command, replay time of a long journal, and memory with many open tickets.
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { silentLogger } from "../controller/health/log.js";
import type { QueueCommand } from "../controller/queue/core/commands.js";
import { QueueCore } from "../controller/queue/core/queue.js";
import type { QueueEvent } from "../controller/queue/core/types.js";
import { DurableQueue } from "../controller/queue/durable-queue.js";
import { Journal } from "../controller/queue/journal/journal.js";
import { measureInChildProcess } from "./queue-memory.js";
import {
  benchOfficeConfig,
  type DayStream,
  reservedId,
  SECOND,
  simulateBusyDay,
  T0,
} from "./queue-office.js";
import { type BenchResult, benchDir, collectGarbage, count, figure, median, percentile } from "./support.js";

export interface QueueBenchSize {
  /** Events in the simulated day (applied, executed and replayed). */
  events: number;
  /** Open tickets the simulated day grows to. */
  maxOpen: number;
  /** Durable commands timed one by one (issue/confirm pairs). */
  journalCommands: number;
  /** Waiting tickets of the memory figures. */
  memoryTickets: number;
  /** Runs of the throughput figures (best) and of the replay (median). */
  runs: number;
}

export const DEFAULT_SIZE: QueueBenchSize = {
  events: 100_000,
  maxOpen: 10_000,
  journalCommands: 2_000,
  memoryTickets: 10_000,
  runs: 3,
};

const BENCH = "queue";

export async function run(size: QueueBenchSize = DEFAULT_SIZE): Promise<BenchResult[]> {
  const stream = simulateBusyDay(size.events, size.maxOpen);
  const results = [
    figure(BENCH, "simulated day: events", stream.events.length, "events"),
    figure(BENCH, "simulated day: commands", stream.commands.length, "commands"),
    figure(BENCH, "simulated day: most open tickets", stream.maxOpen, "tickets"),
    ...throughput(stream, size.runs),
  ];
  collectGarbage();
  results.push(...journalLatency(size.journalCommands));
  collectGarbage();
  results.push(...replay(stream, size.runs));
  collectGarbage();
  const memory = await measureInChildProcess(size.memoryTickets);
  const n = count(memory.tickets);
  results.push(
    figure(BENCH, `heapUsed, ${n} waiting vs empty core`, memory.heapDeltaMB, "MB"),
    figure(BENCH, `process RSS with ${n} waiting`, memory.rssMB, "MB", { op: "<", value: 150 }),
    figure(BENCH, `openTickets() with ${n} waiting`, memory.openTicketsMs, "ms"),
    figure(BENCH, `tickets topic payload, ${n} waiting`, memory.ticketsPayloadBytes / 1024, "KiB"),
    figure(BENCH, `decide(call_next) with ${n} waiting`, memory.callNextMs, "ms"),
  );
  return results;
}

/** Best of `runs`: QueueCore.apply over the whole stream, and QueueCore.execute over its commands. */
function throughput(stream: DayStream, runs: number): BenchResult[] {
  const config = benchOfficeConfig();
  const lastSeq = stream.core.seq;
  let applyMs = Number.POSITIVE_INFINITY;
  let executeMs = Number.POSITIVE_INFINITY;
  for (let r = 0; r < runs; r++) {
    collectGarbage();
    const applied = QueueCore.fromConfig(config);
    const start = performance.now();
    for (const event of stream.events) applied.apply(event);
    applyMs = Math.min(applyMs, performance.now() - start);
    if (applied.seq !== lastSeq) throw new Error(`apply ended at seq ${applied.seq}, not ${lastSeq}`);

    collectGarbage();
    const executed = QueueCore.fromConfig(config);
    const begin = performance.now();
    for (const { command, now } of stream.commands) executed.execute(command, now);
    executeMs = Math.min(executeMs, performance.now() - begin);
    if (executed.seq !== lastSeq) throw new Error(`execute ended at seq ${executed.seq}, not ${lastSeq}`);
  }
  const events = count(stream.events.length);
  const commands = count(stream.commands.length);
  return [
    figure(
      BENCH,
      `apply ${events} events, best of ${runs}`,
      stream.events.length / (applyMs / 1000),
      "events/s",
    ),
    figure(
      BENCH,
      `execute ${commands} commands, best of ${runs}`,
      stream.commands.length / (executeMs / 1000),
      "commands/s",
    ),
  ];
}

/** DurableQueue.execute with its fdatasync, one command at a time, in a fresh data dir. */
function journalLatency(commands: number): BenchResult[] {
  const dataDir = mkdtempSync(join(benchDir(), "vooru-bench-journal-"));
  let now = T0;
  const queue = DurableQueue.open({
    config: benchOfficeConfig(dataDir),
    dataDir,
    clock: () => now,
    log: silentLogger,
  });
  const latencies: number[] = [];
  const timed = (command: QueueCommand): QueueEvent[] => {
    now += SECOND;
    const start = performance.now();
    const result = queue.execute(command);
    latencies.push(performance.now() - start);
    if (!result.ok) throw new Error(`${JSON.stringify(command)} refused: ${result.error.message}`);
    return result.events;
  };
  try {
    const services = ["pensions", "benefits", "documents"];
    for (let i = 0; latencies.length < commands; i++) {
      const ticket = reservedId(timed({ type: "issue", service: services[i % services.length] as string }));
      timed({ type: "confirm_print", ticket });
    }
  } finally {
    queue.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const what = `DurableQueue.execute (fsync), ${count(latencies.length)} commands`;
  return [
    figure(BENCH, `${what}: p50`, percentile(latencies, 50), "ms"),
    figure(BENCH, `${what}: p99`, percentile(latencies, 99), "ms", { op: "<", value: 20, informative: true }),
    figure(BENCH, `${what}: max`, Math.max(...latencies), "ms"),
  ];
}

/** DurableQueue.open on a journal of the whole stream, no snapshot: median of `runs` opens. */
function replay(stream: DayStream, runs: number): BenchResult[] {
  const dataDir = mkdtempSync(join(benchDir(), "vooru-bench-replay-"));
  const config = benchOfficeConfig(dataDir);
  const last = stream.events.at(-1);
  if (!last) throw new Error("the stream is empty");
  try {
    const { journal } = Journal.open<QueueEvent>(dataDir, { onWarning: silentLogger.warn });
    for (let i = 0; i < stream.events.length; i += 1000) journal.append(stream.events.slice(i, i + 1000));
    journal.close();
    const journalDir = join(dataDir, "journal");
    let bytes = 0;
    for (const name of readdirSync(journalDir))
      if (name.endsWith(".jsonl")) bytes += statSync(join(journalDir, name)).size;

    const times: number[] = [];
    for (let r = 0; r < runs; r++) {
      collectGarbage();
      const start = performance.now();
      // The clock stays in the stream's day: no rollover, nothing appended, every open alike.
      const queue = DurableQueue.open({ config, dataDir, clock: () => last.ts, log: silentLogger });
      times.push(performance.now() - start);
      const seq = queue.core.seq;
      const open = queue.core.openTickets().length;
      queue.close();
      if (seq !== last.seq) throw new Error(`replay ended at seq ${seq}, not ${last.seq}`);
      if (open !== stream.core.openTickets().length) throw new Error("replay gave other open tickets");
    }
    const events = count(stream.events.length);
    return [
      figure(BENCH, `replay ${events} events (DurableQueue.open), median of ${runs}`, median(times), "ms", {
        op: "<",
        value: 1000,
      }),
      figure(BENCH, `journal of ${events} events`, bytes, "bytes"),
    ];
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
