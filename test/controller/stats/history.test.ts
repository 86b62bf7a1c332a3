// The history on disk: days folded from the journal equal the same days read back from their
// summaries; compaction records how far it got; retention removes only what is summarised and
// not needed for a restart, and the queue still opens afterwards; a line being written is skipped.
import { appendFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { silentLogger } from "../../../controller/health/log.js";
import { DurableQueue } from "../../../controller/queue/durable-queue.js";
import { listSegments } from "../../../controller/queue/journal/segments.js";
import { readSummaryState, summaryDays } from "../../../controller/stats/day-summaries.js";
import { applyRetention, compactClosedDays, loadDayRecords } from "../../../controller/stats/history.js";
import { foldJournalDays } from "../../../controller/stats/journal-days.js";
import { expectOk, MINUTE, officeConfig, T0 } from "../../support/office.js";

const DAY = 24 * 60 * MINUTE;
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Three business days of a few tickets each, through the durable queue; the third still open. */
function threeDays(): { dataDir: string; now: number } {
  const dataDir = mkdtempSync(join(tmpdir(), "vooru-stats-"));
  dirs.push(dataDir);
  let now = T0;
  const queue = DurableQueue.open({
    config: officeConfig({ journal: { dataDir, snapshotEvery: 10 } }),
    dataDir,
    clock: () => now,
    log: silentLogger,
  });
  for (let day = 0; day < 3; day++) {
    now = T0 + day * DAY;
    expectOk(queue.execute({ type: "open", counter: "1" }));
    for (let i = 0; i <= day; i++) {
      const reserved = expectOk(queue.execute({ type: "issue", service: "pensions" }));
      expectOk(
        queue.execute({
          type: "confirm_print",
          ticket: (reserved.events.at(-1) as { ticket: string }).ticket,
        }),
      );
      now += 5 * MINUTE;
      expectOk(queue.execute({ type: "call_next", counter: "1" }));
      expectOk(queue.execute({ type: "start", counter: "1" }));
      now += 3 * MINUTE;
      expectOk(queue.execute({ type: "finish", counter: "1" }));
    }
  }
  queue.close();
  return { dataDir, now };
}

describe("the history on disk", () => {
  it("folds closed days and today from the journal", () => {
    const { dataDir } = threeDays();
    const folded = foldJournalDays(dataDir, "2026-11-24", "2026-11-26");
    expect(folded.closed.map((r) => [r.day, r.tickets.length, r.closed])).toEqual([
      ["2026-11-24", 1, true],
      ["2026-11-25", 2, true],
    ]);
    expect(folded.open?.day).toBe("2026-11-26");
    expect(folded.open?.record(T0).tickets).toHaveLength(3);
  });

  it("reads the same days back from their summaries, and knows how far it compacted", async () => {
    const { dataDir, now } = threeDays();
    const fromJournal = await loadDayRecords(dataDir, "2026-11-24", "2026-11-26", { now });
    expect(await compactClosedDays(dataDir)).toEqual(["2026-11-24", "2026-11-25"]);
    expect(summaryDays(dataDir)).toEqual(["2026-11-24", "2026-11-25"]);
    expect(readSummaryState(dataDir)).toMatchObject({ compactedThrough: "2026-11-25" });
    expect(readSummaryState(dataDir).throughSeq).toBeGreaterThan(0);
    // Nothing new to compact the second time.
    expect(await compactClosedDays(dataDir)).toEqual([]);
    const fromSummaries = await loadDayRecords(dataDir, "2026-11-24", "2026-11-26", { now });
    expect(fromSummaries).toEqual(fromJournal);
  });

  it("skips a last line still being written", () => {
    const { dataDir } = threeDays();
    const tail = listSegments(join(dataDir, "journal")).at(-1);
    appendFileSync(tail?.path as string, '{"seq":99999,"ts":1,"type":"ticket_iss');
    expect(foldJournalDays(dataDir, "2026-11-26", "2026-11-26").open?.record(T0).tickets).toHaveLength(3);
  });

  it("removes only summarised segments no snapshot needs, and the queue still opens", async () => {
    const { dataDir, now } = threeDays();
    const before = listSegments(join(dataDir, "journal")).length;
    // Not summarised yet: nothing goes.
    expect(applyRetention(dataDir, now + 30 * DAY, { journalDays: 7, summaryDays: 3660 }).segments).toBe(0);
    await compactClosedDays(dataDir);
    const removed = applyRetention(dataDir, now + 30 * DAY, { journalDays: 7, summaryDays: 3660 });
    expect(removed.segments).toBeGreaterThan(0);
    expect(listSegments(join(dataDir, "journal")).length).toBe(before - removed.segments);
    // Figures of the removed days come from their summaries.
    const days = await loadDayRecords(dataDir, "2026-11-24", "2026-11-26", { now });
    expect(days.map((d) => [d.day, d.tickets.length])).toEqual([
      ["2026-11-24", 1],
      ["2026-11-25", 2],
      ["2026-11-26", 3],
    ]);
    const reopened = DurableQueue.open({
      config: officeConfig({ journal: { dataDir, snapshotEvery: 10 } }),
      dataDir,
      clock: () => now,
      log: silentLogger,
    });
    expect(reopened.core.view.tickets.size).toBe(3);
    reopened.close();
    // Summaries past keepSummaryDays go too.
    expect(applyRetention(dataDir, now + 30 * DAY, { journalDays: 7, summaryDays: 7 }).summaries).toBe(2);
    expect(existsSync(join(dataDir, "summaries", "2026-11-24.json.gz"))).toBe(false);
    expect(readdirSync(join(dataDir, "summaries"))).toEqual(["state.json"]);
  });
});

describe("the data folder's permissions", () => {
  it("keeps the journal, snapshots, lock and summaries to the controller's user", async () => {
    const { statSync } = await import("node:fs");
    const { dataDir } = threeDays();
    await compactClosedDays(dataDir);
    const mode = (path: string) => statSync(path).mode & 0o777;
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(join(dataDir, "journal"))).toBe(0o700);
    expect(mode(join(dataDir, "summaries"))).toBe(0o700);
    for (const segment of listSegments(join(dataDir, "journal"))) expect(mode(segment.path)).toBe(0o600);
    expect(mode(join(dataDir, "snapshot.json"))).toBe(0o600);
    expect(mode(join(dataDir, "summaries", "2026-11-24.json.gz"))).toBe(0o600);
  });
});
