// Memory with many open tickets, measured in a child process of its own so that the RSS is that of
// a process holding the queue, not of the bench with its streams and journals.
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { addWaiting, COUNTERS, SECOND, T0, waitingCore } from "./queue-office.js";
import { median, timeMs } from "./support.js";

const MB = 1024 * 1024;

export interface MemoryFigures {
  tickets: number;
  /** heapUsed after gc with the tickets, minus heapUsed after gc with the empty core (MB). */
  heapDeltaMB: number;
  /** The whole process's resident set with the tickets (MB). */
  rssMB: number;
  /** openTickets(): median of 5 calls after a first one (ms). */
  openTicketsMs: number;
  /** Bytes of the `tickets` topic payload built from openTickets(). */
  ticketsPayloadBytes: number;
  /** decide(call_next) with every ticket waiting: median of 20 (ms). */
  callNextMs: number;
}

function gcHard(gc: () => void): void {
  for (let i = 0; i < 3; i++) gc();
}

/** Runs in the child (node --expose-gc). */
export function measureOpenTickets(tickets: number): MemoryFigures {
  const gc = globalThis.gc;
  if (typeof gc !== "function") throw new Error("measuring memory needs node --expose-gc");
  const core = waitingCore(0);
  gcHard(gc);
  const before = process.memoryUsage().heapUsed;
  addWaiting(core, tickets);
  gcHard(gc);
  const memory = process.memoryUsage();

  let list = core.openTickets();
  const runs = Array.from({ length: 5 }, () =>
    timeMs(() => {
      list = core.openTickets();
    }),
  );
  const waiting = list.filter((t) => t.state === "waiting").length;
  if (waiting !== tickets)
    throw new Error(`expected ${tickets} waiting tickets, openTickets() gave ${waiting}`);
  const payload = JSON.stringify({ epoch: "00000000-bench", seq: core.seq, tickets: list });

  const now = T0 + tickets * SECOND;
  const command = { type: "call_next", counter: COUNTERS[0] } as const;
  const calls = Array.from({ length: 20 }, () =>
    timeMs(() => {
      if (!core.decide(command, now).ok) throw new Error("call_next found nothing to call");
    }),
  );
  return {
    tickets,
    heapDeltaMB: (memory.heapUsed - before) / MB,
    rssMB: memory.rss / MB,
    openTicketsMs: median(runs),
    ticketsPayloadBytes: Buffer.byteLength(payload),
    callNextMs: median(calls),
  };
}

/** Forks queue-memory-child (the .ts one through tsx when running from sources, as under vitest). */
export function measureInChildProcess(tickets: number): Promise<MemoryFigures> {
  const fromSources = import.meta.url.endsWith(".ts");
  const child = fileURLToPath(new URL(`./queue-memory-child.${fromSources ? "ts" : "js"}`, import.meta.url));
  const execArgv = ["--expose-gc", ...(fromSources ? ["--import", "tsx"] : [])];
  return new Promise((resolve, reject) => {
    let figures: MemoryFigures | undefined;
    const proc = fork(child, [String(tickets)], { execArgv, stdio: ["ignore", "inherit", "inherit", "ipc"] });
    proc.on("message", (message) => {
      figures = message as MemoryFigures;
    });
    proc.on("error", reject);
    proc.on("exit", (code, signal) => {
      if (figures) resolve(figures);
      else reject(new Error(`the memory bench process exited with ${signal ?? `code ${code}`}`));
    });
  });
}
