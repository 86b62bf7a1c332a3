// The bench table, printed by `npm run bench` and written into docs/benchmarks.md between the bench
// markers (`npm run bench -- --docs`, from bench-results.json): one formatting for both, so the
// docs show exactly the figures the last run measured.
import { readFileSync, writeFileSync } from "node:fs";
import type { BenchResult } from "./support.js";

export const TABLE_START = "<!-- bench:start -->";
export const TABLE_END = "<!-- bench:end -->";

/** What run.ts writes to bench-results.json. */
export interface BenchReport {
  machine: { cpu: string; cores: number; memoryMB: number; node: string; platform: string; fsyncFs: string };
  date: string;
  results: BenchResult[];
}

export function formatValue(value: number): string {
  if (Number.isInteger(value) || Math.abs(value) >= 1000) return Math.round(value).toLocaleString("en-US");
  return value.toFixed(Math.abs(value) >= 100 ? 1 : 2);
}

export function formatTarget(result: BenchResult): string {
  if (!result.target) return "";
  const { op, value, informative } = result.target;
  return `${op} ${formatValue(value)}${informative ? " (info)" : ""}`;
}

export function verdict(result: BenchResult): string {
  if (result.ok === undefined) return "—";
  return result.ok ? "ok" : "MISSED";
}

const HEADER = ["benchmark", "figure", "value", "unit", "target", "verdict"];

function rows(results: readonly BenchResult[]): string[][] {
  return results.map((r) => [r.bench, r.figure, formatValue(r.value), r.unit, formatTarget(r), verdict(r)]);
}

/** The console table: aligned columns, values right-aligned. */
export function consoleTable(results: readonly BenchResult[]): string {
  const body = rows(results);
  const widths = HEADER.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] as string).length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 2 ? cell.padStart(widths[i] as number) : cell.padEnd(widths[i] as number)))
      .join(" | ")
      .trimEnd();
  return [line(HEADER), widths.map((w) => "-".repeat(w)).join("-|-"), ...body.map(line)].join("\n");
}

/** The same table in Markdown, with the machine and date it was measured on under it. */
export function markdownTable(report: BenchReport): string {
  const cellText = (cell: string) => cell.replaceAll("|", "\\|");
  const line = (cells: string[]) => `| ${cells.map(cellText).join(" | ")} |`;
  const align = ["---", "---", "--:", "---", "---", "---"];
  const m = report.machine;
  return [
    line(HEADER),
    `| ${align.join(" | ")} |`,
    ...rows(report.results).map(line),
    "",
    `Measured ${report.date.slice(0, 10)} on ${m.cpu} (${m.cores} cores, ${m.memoryMB} MB), Node ${m.node.replace(/^v/, "")} on ${m.platform}, fsync on ${m.fsyncFs}.`,
  ].join("\n");
}

/** `text` with everything between the bench markers replaced by `table`; throws without both markers. */
export function replaceBenchTable(text: string, table: string): string {
  const start = text.indexOf(TABLE_START);
  const end = text.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`no ${TABLE_START} ... ${TABLE_END} markers in the file`);
  return `${text.slice(0, start + TABLE_START.length)}\n${table}\n${text.slice(end)}`;
}

/** Rewrites the bench table of a markdown file (docs/benchmarks.md) from a bench-results.json. */
export function rewriteBenchTable(markdownPath: string, resultsPath: string): void {
  const text = readFileSync(markdownPath, "utf8");
  // The markers first: a file without them is the wrong file, whatever the results hold.
  replaceBenchTable(text, "");
  const report = JSON.parse(readFileSync(resultsPath, "utf8")) as BenchReport;
  if (!Array.isArray(report.results) || report.results.length === 0)
    throw new Error(`${resultsPath} holds no results: run npm run bench first`);
  writeFileSync(markdownPath, replaceBenchTable(text, markdownTable(report)));
}
