import { appendFileSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { JournalError } from "../../../../controller/queue/journal/errors.js";
import { Journal } from "../../../../controller/queue/journal/journal.js";
import { useTempDirs } from "./temp-dir.js";

interface Rec {
  seq: number;
  type: string;
  note?: string;
}

const tempDir = useTempDirs();
const rec = (seq: number, note?: string): Rec =>
  note === undefined ? { seq, type: "t" } : { seq, type: "t", note };
const range = (from: number, to: number): Rec[] =>
  Array.from({ length: to - from + 1 }, (_, i) => rec(from + i));
const segment = (dir: string, first = 1) => join(dir, "journal", `${String(first).padStart(12, "0")}.jsonl`);

function open(dir: string, warnings: string[] = []) {
  return Journal.open<Rec>(dir, { onWarning: (m) => warnings.push(m) });
}

/** Appends the records and closes, as a run of vooru that then stops. */
function run(dir: string, ...batches: Rec[][]): void {
  const { journal } = open(dir);
  for (const batch of batches) journal.append(batch);
  journal.close();
}

function journalError(run: () => unknown): JournalError {
  try {
    run();
  } catch (error) {
    if (error instanceof JournalError) return error;
    throw error;
  }
  throw new Error("expected a JournalError");
}

describe("Journal", () => {
  it("starts empty and creates its directories", () => {
    const dir = join(tempDir(), "data");
    const { journal, snapshot, records } = open(dir);
    expect([snapshot, records, journal.lastSeq]).toEqual([null, [], 0]);
    expect(existsSync(join(dir, "journal", "set-aside"))).toBe(true);
    journal.close();
  });

  it("returns on reopen exactly the records appended, in order", () => {
    const dir = tempDir();
    run(dir, [rec(1, "Tere, õun")], range(2, 4), [rec(5)]);
    const { journal, snapshot, records } = open(dir);
    expect(snapshot).toBeNull();
    expect(records).toEqual([rec(1, "Tere, õun"), ...range(2, 5)]);
    expect(journal.lastSeq).toBe(5);
    journal.append([rec(6)]);
    journal.close();
    expect(open(dir).records).toHaveLength(6);
  });

  it("after a snapshot, replays only the records after it, from a new segment", () => {
    const dir = tempDir();
    const { journal } = open(dir);
    journal.append(range(1, 3));
    journal.writeSnapshot(3, { waiting: ["A001"] });
    journal.append(range(4, 5));
    journal.close();
    expect(readdirSync(join(dir, "journal")).sort()).toEqual([
      "000000000001.jsonl",
      "000000000004.jsonl",
      "set-aside",
    ]);
    const again = open(dir);
    expect(again.snapshot).toEqual({ seq: 3, state: { waiting: ["A001"] } });
    expect(again.records).toEqual(range(4, 5));
    expect(again.journal.lastSeq).toBe(5);

    // A second snapshot keeps the first as snapshot.prev.json.
    again.journal.writeSnapshot(5, { waiting: [] });
    again.journal.close();
    expect(JSON.parse(readFileSync(join(dir, "snapshot.prev.json"), "utf8")).seq).toBe(3);
    const third = open(dir);
    expect([third.snapshot?.seq, third.records, third.journal.lastSeq]).toEqual([5, [], 5]);
    third.journal.append([rec(6)]);
    third.journal.close();
    expect(existsSync(segment(dir, 6))).toBe(true);
  });

  it("starts a new segment on reopen when the snapshot covers everything", () => {
    const dir = tempDir();
    const { journal } = open(dir);
    journal.append(range(1, 2));
    journal.writeSnapshot(2, null);
    journal.close(); // nothing appended after the snapshot: segment 3 not created yet
    const again = open(dir);
    again.journal.append([rec(3)]);
    again.journal.close();
    expect(readFileSync(segment(dir, 3), "utf8")).toBe('{"seq":3,"type":"t"}\n');
    expect(open(dir).records).toEqual([rec(3)]);
  });

  it("sets aside a torn last line, cuts it off, warns, and then appends and reopens cleanly", () => {
    const dir = tempDir();
    run(dir, [rec(1), rec(2, "õhtu")]);
    const goodSize = statSync(segment(dir)).size;
    appendFileSync(segment(dir), '{"seq":3,"type":"t","note":"pool');
    const warnings: string[] = [];
    const { journal, records } = open(dir, warnings);
    expect(records).toEqual([rec(1), rec(2, "õhtu")]);
    expect(warnings).toEqual([
      `journal: set aside a torn last line of ${segment(dir)} (32 bytes); everything before it is kept; ` +
        `the line is in ${join(dir, "journal", "set-aside", readdirSync(join(dir, "journal", "set-aside"))[0] ?? "")}`,
    ]);
    expect(statSync(segment(dir)).size).toBe(goodSize);
    const aside = readdirSync(join(dir, "journal", "set-aside"));
    expect(aside).toEqual([expect.stringMatching(/^torn-000000000001-\d+\.txt$/)]);
    expect(readFileSync(join(dir, "journal", "set-aside", aside[0] ?? ""), "utf8")).toBe(
      '{"seq":3,"type":"t","note":"pool',
    );

    journal.append([rec(3)]);
    journal.close();
    const clean: string[] = [];
    expect(open(dir, clean).records).toEqual([rec(1), rec(2, "õhtu"), rec(3)]);
    expect(clean).toEqual([]);
  });

  it("sets aside a torn line that is the only one, and a line of zero bytes after a power cut", () => {
    const dir = tempDir();
    run(dir); // creates the directories
    appendFileSync(segment(dir), '{"se');
    const warnings: string[] = [];
    const first = open(dir, warnings);
    expect([first.records, first.journal.lastSeq, statSync(segment(dir)).size]).toEqual([[], 0, 0]);
    first.journal.append([rec(1)]);
    first.journal.close();
    appendFileSync(segment(dir), "\0\0\0\0\n");
    expect(open(dir, warnings).records).toEqual([rec(1)]);
    expect(warnings).toHaveLength(2);
  });

  it("refuses a line that is not a record anywhere but at the very end, naming file and line", () => {
    const dir = tempDir();
    run(dir, range(1, 3));
    const path = segment(dir);
    const lines = readFileSync(path, "utf8").split("\n");
    lines[1] = '{"seq":2,"ty';
    writeFileSync(path, lines.join("\n"));
    const error = journalError(() => open(dir));
    expect(error.code).toBe("JOURNAL_CORRUPT");
    expect(error.message).toBe(`${path}:2: not a journal record`);
  });

  it("refuses a bad last line in a segment that is not the last one", () => {
    const dir = tempDir();
    const { journal } = open(dir);
    journal.append(range(1, 2));
    journal.writeSnapshot(2, {});
    journal.append([rec(3)]);
    journal.close();
    appendFileSync(segment(dir, 1), "garbage\n");
    // A snapshot at 0 makes the start read segment 1 too.
    writeFileSync(join(dir, "snapshot.json"), JSON.stringify({ format: 1, seq: 0, state: {} }));
    expect(journalError(() => open(dir)).message).toBe(`${segment(dir, 1)}:3: not a journal record`);
  });

  it("refuses a gap in the seqs, naming file, line, expected and found", () => {
    const dir = tempDir();
    run(dir, range(1, 2));
    appendFileSync(segment(dir), '{"seq":4,"type":"t"}\n');
    const error = journalError(() => open(dir));
    expect(error.code).toBe("JOURNAL_CORRUPT");
    expect(error.message).toBe(`${segment(dir)}:3: expected seq 3, found 4`);
  });

  it("refuses records that do not follow the snapshot", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "snapshot.json"), JSON.stringify({ format: 1, seq: 5, state: {} }));
    run(dir, [rec(6)]);
    writeFileSync(join(dir, "snapshot.json"), JSON.stringify({ format: 1, seq: 3, state: {} }));
    expect(journalError(() => open(dir)).message).toMatch(/000000000006\.jsonl:1: .*expected seq 4/);
  });

  it("keeps a complete last line that lacks its newline, and adds the newline", () => {
    const dir = tempDir();
    run(dir, [rec(1)]);
    appendFileSync(segment(dir), '{"seq":2,"type":"t"}');
    const warnings: string[] = [];
    const { journal, records } = open(dir, warnings);
    expect([records, warnings]).toEqual([[rec(1), rec(2)], []]);
    expect(readFileSync(segment(dir), "utf8").endsWith('{"seq":2,"type":"t"}\n')).toBe(true);
    journal.append([rec(3)]);
    journal.close();
    expect(open(dir).records).toEqual(range(1, 3));
  });

  it("falls back to snapshot.prev.json with a warning when snapshot.json is corrupt", () => {
    const dir = tempDir();
    const { journal } = open(dir);
    journal.append(range(1, 2));
    journal.writeSnapshot(2, { at: 2 });
    journal.append(range(3, 4));
    journal.writeSnapshot(4, { at: 4 });
    journal.append([rec(5)]);
    journal.close();
    writeFileSync(join(dir, "snapshot.json"), '{"format":1,"seq":4,"sta');
    const warnings: string[] = [];
    const again = open(dir, warnings);
    expect(again.snapshot).toEqual({ seq: 2, state: { at: 2 } });
    expect(again.records).toEqual(range(3, 5));
    expect(warnings).toEqual([
      expect.stringMatching(/snapshot\.json: not valid JSON .*using .*snapshot\.prev\.json/),
    ]);
    // The next snapshot must not copy the corrupt one over the good prev.
    again.journal.writeSnapshot(5, { at: 5 });
    again.journal.close();
    expect(JSON.parse(readFileSync(join(dir, "snapshot.prev.json"), "utf8")).seq).toBe(2);
  });

  it("refuses a corrupt snapshot with no usable prev, naming the file", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "snapshot.json"), "{not json");
    const error = journalError(() => open(dir));
    expect(error.code).toBe("SNAPSHOT_CORRUPT");
    expect(error.message).toMatch(new RegExp(`^${join(dir, "snapshot.json")}: not valid JSON`));
  });

  it("throws on an append whose seq does not continue, writing nothing", () => {
    const dir = tempDir();
    const { journal } = open(dir);
    journal.append([rec(1)]);
    expect(() => journal.append([rec(3)])).toThrow(/seq 3 given where 2 comes next/);
    expect(() => journal.append([rec(2), rec(4)])).toThrow(/seq 4 given where 3 comes next/);
    expect(() => journal.writeSnapshot(5, {})).toThrow(/last seq 1/);
    expect(journal.lastSeq).toBe(1);
    journal.close();
    expect(open(dir).records).toEqual([rec(1)]);
  });

  it("refuses appends after close", () => {
    const { journal } = open(tempDir());
    journal.close();
    expect(() => journal.append([rec(1)])).toThrow(/closed/);
  });

  it("round-trips 100 000 records", () => {
    const dir = tempDir();
    const { journal } = open(dir);
    const note = "x".repeat(170); // about 200 bytes a line
    for (let b = 0; b < 100; b++)
      journal.append(range(b * 1000 + 1, b * 1000 + 1000).map((r) => ({ ...r, note })));
    journal.close();
    const again = open(dir);
    expect(again.records).toHaveLength(100_000);
    expect(again.records.at(-1)?.seq).toBe(100_000);
    expect(again.journal.lastSeq).toBe(100_000);
    again.journal.close();
  });
});
