// `vooru report` as a manager runs it against a data folder: the table, CSV that parses back, JSON
// with self-explaining keys, a range with no tickets, and usage errors that say what is wrong.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { writeHistory } from "../../../bench/stats-history.js";
import { main } from "../../../controller/cli/main.js";
import { memoryLogger } from "../../../controller/health/log.js";
import { parseCsv } from "../../../protocols/stats/csv.js";

let dataDir = "";
beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), "vooru-report-"));
  writeHistory({ dataDir, days: 3, ticketsPerDay: 200, firstDay: "2026-06-01" });
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function report(args: string[]): Promise<{ code: number; out: string; log: string[] }> {
  const lines: string[] = [];
  const log = memoryLogger();
  const spy = vi.spyOn(console, "log").mockImplementation((line: unknown) => void lines.push(String(line)));
  const write = vi.spyOn(process.stdout, "write").mockImplementation((chunk: unknown) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    const code = await main(["report", "--data-dir", dataDir, ...args], log);
    return { code, out: lines.join("\n"), log: log.lines };
  } finally {
    spy.mockRestore();
    write.mockRestore();
  }
}

describe("vooru report", () => {
  it("prints a table by service with the total last", async () => {
    const { code, out } = await report(["--from", "2026-06-01", "--to", "2026-06-03"]);
    expect(code).toBe(0);
    const lines = out.split("\n");
    expect(lines[0]).toContain("2026-06-01 to 2026-06-03 (3 days with tickets)");
    expect(lines[1]).toMatch(/^service\s+issued\s+served/);
    expect(lines.at(-1)).toMatch(/^total\s+600\s/);
  });

  it("writes CSV whose groups add up to the total row", async () => {
    const { code, out } = await report([
      "--from",
      "2026-06-01",
      "--to",
      "2026-06-03",
      "--by",
      "day",
      "--csv",
    ]);
    expect(code).toBe(0);
    const rows = parseCsv(out);
    expect(rows[0]?.slice(0, 3)).toEqual(["day", "issued", "served"]);
    expect(rows.slice(1, -1).map((r) => r[0])).toEqual(["2026-06-01", "2026-06-02", "2026-06-03"]);
    const issued = rows.slice(1, -1).reduce((sum, r) => sum + Number(r[1]), 0);
    expect(rows.at(-1)?.[0]).toBe("total");
    expect(Number(rows.at(-1)?.[1])).toBe(issued);
    expect(issued).toBe(600);
  });

  it("gives the whole report as JSON with self-explaining keys", async () => {
    const { code, out } = await report(["--from", "2026-06-02", "--by", "counter", "--json"]);
    expect(code).toBe(0);
    const json = JSON.parse(out) as Record<string, unknown> & { totals: Record<string, unknown> };
    expect(json.by).toBe("counter");
    expect(json.days).toEqual(["2026-06-02"]);
    expect(Object.keys(json.totals)).toEqual(
      expect.arrayContaining([
        "issued",
        "served",
        "noShows",
        "cancelled",
        "reissued",
        "waitMinutes",
        "serviceLevelPercent",
      ]),
    );
    expect((json.totals as { issued: number }).issued).toBe(200);
  });

  it("says so when the range has no tickets", async () => {
    const { code, out } = await report(["--from", "2025-01-01", "--to", "2025-01-31"]);
    expect(code).toBe(0);
    expect(out).toBe("no tickets from 2025-01-01 to 2025-01-31");
  });

  it("refuses bad dates, a backwards range and an unknown grouping with exit code 2", async () => {
    for (const [args, message] of [
      [["--from", "1.6.2026"], "--from 1.6.2026: expected a date YYYY-MM-DD"],
      [["--from", "2026-06-03", "--to", "2026-06-01"], "--from 2026-06-03 is after --to 2026-06-01"],
      [["--from", "2026-06-01", "--by", "colour"], "--by colour: expected one of service, counter"],
    ] as const) {
      const { code, log } = await report([...args]);
      expect(code).toBe(2);
      expect(log.join("\n")).toContain(message);
    }
  });
});
