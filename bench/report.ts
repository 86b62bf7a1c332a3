// The bench table, printed by `npm run bench` and written into the README between the bench markers
// (`npm run bench -- --readme`, from bench-results.json): one formatting for both, so the README
// shows exactly the figures the last run measured.
import { readFileSync, writeFileSync } from "node:fs";
import type { BenchResult } from "./support.js";

export const README_START = "<!-- bench:start -->";
export const README_END = "<!-- bench:end -->";

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
  const start = text.indexOf(README_START);
  const end = text.indexOf(README_END);
  if (start < 0 || end < start) throw new Error(`no ${README_START} ... ${README_END} markers in the README`);
  return `${text.slice(0, start + README_START.length)}\n${table}\n${text.slice(end)}`;
}

/** Rewrites the README's bench table from a bench-results.json. */
export function rewriteReadme(readmePath: string, resultsPath: string): void {
  const text = readFileSync(readmePath, "utf8");
  // The markers first: a README without them is the wrong file, whatever the results hold.
  replaceBenchTable(text, "");
  const report = JSON.parse(readFileSync(resultsPath, "utf8")) as BenchReport;
  if (!Array.isArray(report.results) || report.results.length === 0)
    throw new Error(`${resultsPath} holds no results: run npm run bench first`);
  writeFileSync(readmePath, replaceBenchTable(text, markdownTable(report)));
}
