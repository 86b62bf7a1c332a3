// The manager's figures: `vooru report` over 90 days of 3000 tickets (from the daily summaries the
// controller writes at each day's end, and, for comparison, from the journal alone), the
// compaction itself, and the live fold's cost per event through a day of 10 000 tickets.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { QueueCore } from "../controller/queue/core/queue.js";
import type { QueueEvent } from "../controller/queue/core/types.js";
import { DayFold } from "../controller/stats/day-record.js";
import { addDays, compactClosedDays } from "../controller/stats/history.js";
import { buildReport, reportOptions } from "../controller/stats/report.js";
import { historyOfficeConfig, writeHistory } from "./stats-history.js";
import { type BenchResult, benchDir, figure } from "./support.js";

const DAYS = 90;
const TICKETS = 3000;
const FIRST_DAY = "2026-06-01";
const root = resolve(fileURLToPath(new URL("../..", import.meta.url)));

function timeReport(dataDir: string): Promise<{ ms: number; rssMB: number; out: string }> {
  return new Promise((done, fail) => {
    const t0 = performance.now();
    const child = spawn(
      process.execPath,
      [
        "--import",
        join(root, "dist", "bench", "rss-probe.js"),
        join(root, "bin", "vooru.js"),
        "report",
        "--data-dir",
        dataDir,
        "--from",
        FIRST_DAY,
        "--to",
        addDays(FIRST_DAY, DAYS - 1),
        "--by",
        "day",
        "--json",
      ],
      { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, TZ: "Europe/Tallinn" } },
    );
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
    });
    child.stderr.on("data", (chunk) => {
      err += chunk;
    });
    child.on("error", fail);
    child.on("exit", (code) => {
      const ms = performance.now() - t0;
      const rss = /VOORU_MAXRSS_KB=(\d+)/.exec(err);
      if (code !== 0 || !rss) fail(new Error(`vooru report exited ${code}: ${err}`));
      else done({ ms, rssMB: Number(rss[1]) / 1024, out });
    });
  });
}

function liveFoldCost(): { firstNs: number; lastNs: number; reportMs: number } {
  const config = historyOfficeConfig();
  const core = QueueCore.fromConfig(config);
  const t0 = Date.parse("2026-06-01T06:00:00Z");
  const events: QueueEvent[] = [...core.applyBodies(core.rollover(t0), t0)];
  const run = (command: Parameters<QueueCore["execute"]>[0], now: number) => {
    const r = core.execute(command, now);
    events.push(...r.events);
    return r;
  };
  run({ type: "open", counter: "1" }, t0);
  for (let i = 0; i < 10_000; i++) {
    const now = t0 + i * 3000;
    const issued = run({ type: "issue", service: `s${(i % 8) + 1}` }, now);
    const ticket = (issued.events.at(-1) as { ticket: string }).ticket;
    run({ type: "confirm_print", ticket }, now);
    if (i % 2 === 0 && run({ type: "call_next", counter: "1" }, now).ok) {
      run({ type: "start", counter: "1" }, now);
      run({ type: "finish", counter: "1" }, now + 1000);
    }
  }
  const fold = new DayFold(core.day as string, t0);
  const slice = 5000;
  const timeSlice = (from: number) => {
    const start = performance.now();
    for (let i = from; i < from + slice; i++) fold.apply(events[i] as QueueEvent);
    return ((performance.now() - start) * 1e6) / slice;
  };
  const firstNs = timeSlice(1);
  for (let i = 1 + slice; i < events.length - slice; i++) fold.apply(events[i] as QueueEvent);
  const lastNs = timeSlice(events.length - slice);
  const now = t0 + 10_000 * 3000;
  const r0 = performance.now();
  buildReport(
    [fold.record(now)],
    reportOptions(config, fold.day, fold.day, ["service", "counter", "hour"], now),
  );
  return { firstNs, lastNs, reportMs: performance.now() - r0 };
}

export async function run(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(benchDir(), "vooru-bench-stats-"));
  try {
    const g0 = performance.now();
    const events = writeHistory({ dataDir: dir, days: DAYS, ticketsPerDay: TICKETS, firstDay: FIRST_DAY });
    const generateS = (performance.now() - g0) / 1000;
    const fromJournal = await timeReport(dir);
    const c0 = performance.now();
    const compacted = await compactClosedDays(dir);
    const compactS = (performance.now() - c0) / 1000;
    if (compacted.length !== DAYS) throw new Error(`compacted ${compacted.length} days, expected ${DAYS}`);
    const fromSummaries = await timeReport(dir);
    // Both must give the same figures.
    const totals = (out: string) => JSON.stringify((JSON.parse(out) as { totals: unknown }).totals);
    if (totals(fromJournal.out) !== totals(fromSummaries.out))
      throw new Error("the report from summaries differs from the report from the journal");
    const live = liveFoldCost();
    const name = `${DAYS} days x ${TICKETS} tickets`;
    return [
      figure("stats", `history written: ${events} events (informative)`, generateS, "s"),
      figure("stats", `vooru report, ${name}, from daily summaries: time`, fromSummaries.ms, "ms", {
        op: "<",
        value: 2000,
      }),
      figure("stats", `vooru report, ${name}, from daily summaries: peak RSS`, fromSummaries.rssMB, "MB", {
        op: "<",
        value: 150,
      }),
      figure(
        "stats",
        `vooru report, ${name}, journal only (nothing compacted yet; informative): time`,
        fromJournal.ms,
        "ms",
        {
          op: "<",
          value: 2000,
          informative: true,
        },
      ),
      figure(
        "stats",
        `vooru report, ${name}, journal only (informative): peak RSS`,
        fromJournal.rssMB,
        "MB",
        {
          op: "<",
          value: 150,
          informative: true,
        },
      ),
      figure("stats", `compacting ${DAYS} days into summaries (once; then one a day)`, compactS, "s"),
      figure("stats", "live fold per event, first 5000 events of a 10 000-ticket day", live.firstNs, "ns"),
      figure("stats", "live fold per event, last 5000 events of a 10 000-ticket day", live.lastNs, "ns", {
        op: "<",
        value: 5000,
      }),
      figure(
        "stats",
        "stats/today report at 10 000 tickets (built at most every publishSeconds)",
        live.reportMs,
        "ms",
        { op: "<", value: 250 },
      ),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
