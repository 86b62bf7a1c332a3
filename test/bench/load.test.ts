// The load benches at a tiny size, and the docs table writer on a temp copy. Correctness only
// (nothing lost, every press and call accounted for); timings are the benchmark's business.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { run as runDay } from "../../bench/load-day.js";
import { run as runPeak } from "../../bench/load-peak.js";
import { type BenchReport, rewriteBenchTable, TABLE_END, TABLE_START } from "../../bench/report.js";
import type { BenchResult } from "../../bench/support.js";

const value = (results: BenchResult[], prefix: string) => {
  const found = results.find((r) => r.figure.startsWith(prefix));
  if (!found) throw new Error(`no figure "${prefix}..." in ${results.map((r) => r.figure).join("; ")}`);
  return found.value;
};

function wellFormed(results: BenchResult[]): void {
  expect(new Set(results.map((r) => r.figure)).size).toBe(results.length);
  for (const r of results) {
    expect(Number.isFinite(r.value), r.figure).toBe(true);
    expect(r.unit, r.figure).not.toBe("");
  }
}

describe("load benches", () => {
  it("a small day: every customer gets a ticket, every ticket is printed once and closed by nightfall", async () => {
    const results = await runDay({ customers: 50, seed: 3, windowMs: 5000 });
    wellFormed(results);
    const issued = value(results, "tickets issued");
    expect(issued + value(results, "customers who got no ticket")).toBe(50);
    expect(issued).toBeGreaterThan(40);
    expect(value(results, "tickets still open after closing")).toBe(0);
    expect(value(results, "tickets not printed exactly once")).toBe(0);
    expect(value(results, "board frames never seen")).toBe(0);
    expect(value(results, "journal: events of the day")).toBeGreaterThan(issued * 4);
  }, 180_000);

  it("a small peak: every press ends in one outcome, every issued ticket is printed once, every call answered", async () => {
    const results = await runPeak({ presses: 40, calls: 10, spanMs: 400, waiting: 30 });
    wellFormed(results);
    // 32 buttons: the first press of each prints, the 8 repeats come within the 2 s rate limit.
    const outcomes = results.filter((r) => /^presses [a-z_]+$/.test(r.figure));
    expect(outcomes.reduce((n, r) => n + r.value, 0)).toBe(40);
    expect(value(results, "presses issued") + value(results, "presses rate_limited")).toBe(40);
    expect(value(results, "tickets printed at the kiosks")).toBe(value(results, "presses issued"));
    expect(value(results, "issued tickets not printed exactly once")).toBe(0);
    expect(value(results, "call_next requests unanswered")).toBe(0);
    expect(value(results, "call_next answered with a ticket")).toBe(10);
  }, 120_000);
});

describe("the bench table in docs/benchmarks.md", () => {
  let dir = "";
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("rewrites only what lies between the markers, from bench-results.json", () => {
    dir = mkdtempSync(join(tmpdir(), "vooru-readme-"));
    const readme = join(dir, "README.md");
    const results = join(dir, "bench-results.json");
    writeFileSync(readme, `# x\n\nbefore\n\n${TABLE_START}\nold | table\n${TABLE_END}\n\nafter\n`);
    const report: BenchReport = {
      machine: {
        cpu: "Test CPU",
        cores: 2,
        memoryMB: 4096,
        node: "v20.20.2",
        platform: "linux/x64",
        fsyncFs: "ext2/3/4",
      },
      date: "2026-11-24T10:00:00.000Z",
      results: [
        {
          bench: "panels",
          figure: "press -> first printer byte: p99",
          value: 4.25,
          unit: "ms",
          target: { op: "<", value: 10 },
          ok: true,
        },
        { bench: "load-day", figure: "a | b", value: 12_345.6, unit: "commands/s" },
      ],
    };
    writeFileSync(results, JSON.stringify(report));
    rewriteBenchTable(readme, results);
    const text = readFileSync(readme, "utf8");
    expect(text.startsWith("# x\n\nbefore\n\n<!-- bench:start -->\n| benchmark | figure |")).toBe(true);
    expect(text.endsWith(`${TABLE_END}\n\nafter\n`)).toBe(true);
    expect(text).not.toContain("old | table");
    expect(text).toContain("| panels | press -> first printer byte: p99 | 4.25 | ms | < 10 | ok |");
    expect(text).toContain("| load-day | a \\| b | 12,346 | commands/s |  | — |");
    expect(text).toContain("Measured 2026-11-24 on Test CPU (2 cores, 4096 MB)");
    // Again: the same text (the table replaces itself).
    rewriteBenchTable(readme, results);
    expect(readFileSync(readme, "utf8")).toBe(text);
  });

  it("refuses a file without the markers", () => {
    dir = mkdtempSync(join(tmpdir(), "vooru-readme-"));
    writeFileSync(join(dir, "README.md"), "# no table here\n");
    const report = {
      machine: {},
      date: "2026-11-24",
      results: [{ bench: "b", figure: "f", value: 1, unit: "u" }],
    };
    writeFileSync(join(dir, "r.json"), JSON.stringify(report));
    expect(() => rewriteBenchTable(join(dir, "README.md"), join(dir, "r.json"))).toThrow(/markers/);
  });
});
