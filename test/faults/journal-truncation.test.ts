// A journal cut short at random byte offsets, as a power cut in the middle of a write leaves it.
// A day of an office (seeded) is written with snapshots every dozen events; for each offset the
// data folder is put back as it was on disk at that moment (the segments up to the offset, the
// last one cut there, and the snapshots written before it), and the controller starts from it.
//
// What DESIGN promises, and what is asserted: every line written whole survives and the state is
// the replay of exactly those lines; a torn last line is set aside with a warning; prints that
// were reserved but not confirmed are voided; numbering goes on after the last number on disk, so
// no number that was durable (and so could have been printed: a number is fsync'd before the
// printer gets a byte) is handed out again. A number of the lost tail may come again: it was
// never durable, so its print never started and no customer holds it.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { memoryLogger } from "../../controller/health/log.js";
import type { QueueCommand } from "../../controller/queue/core/commands.js";
import { buildModel } from "../../controller/queue/core/model.js";
import { QueueCore } from "../../controller/queue/core/queue.js";
import type { QueueEvent } from "../../controller/queue/core/types.js";
import { DurableQueue } from "../../controller/queue/durable-queue.js";
import { MINUTE, T0 } from "../support/office.js";
import { mulberry32 } from "../support/simulate.js";
import { auditJournal } from "./support/journal-audit.js";
import { faultConfig, OfficeUnderTest } from "./support/office-under-test.js";

const config = faultConfig({ journal: { dataDir: "unused", snapshotEvery: 12 } }, "none");
const SERVICES = ["pensions", "benefits", "documents"];
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

interface Line {
  seq: number;
  /** Global byte offsets in the segments laid end to end: where the JSON starts and ends. */
  start: number;
  jsonEnd: number;
}

/** Writes a seeded day into a fresh folder; returns it with the snapshot files as they were, by seq. */
function writeDay(seed: number) {
  const dir = mkdtempSync(join(tmpdir(), "vooru-faults-golden-"));
  dirs.push(dir);
  let now = T0;
  const queue = DurableQueue.open({ config, dataDir: dir, clock: () => now, log: memoryLogger() });
  const snapshots = new Map<number, string>();
  const random = mulberry32(seed);
  const run = (command: QueueCommand) => {
    const result = queue.execute(command);
    try {
      const text = readFileSync(join(dir, "snapshot.json"), "utf8");
      snapshots.set((JSON.parse(text) as { seq: number }).seq, text);
    } catch {
      // None yet.
    }
    return result;
  };
  for (const counter of ["1", "2", "3"]) run({ type: "open", counter });
  for (let step = 0; step < 70; step++) {
    now += Math.floor(random() * 3 * MINUTE);
    const r = random();
    if (r < 0.45) {
      const reserved = run({ type: "issue", service: SERVICES[Math.floor(random() * 3)] as string });
      const ticket = (reserved.events.at(-1) as { ticket: string }).ticket;
      run(
        random() < 0.85
          ? { type: "confirm_print", ticket }
          : { type: "fail_print", ticket, reason: "paper_out" },
      );
    } else if (r < 0.9) {
      const counter = String(1 + Math.floor(random() * 3));
      const held = queue.core.view.counters.get(counter)?.ticket;
      const state = held ? queue.core.ticket(held)?.state : undefined;
      run({ type: state === "called" ? "start" : state === "serving" ? "finish" : "call_next", counter });
    } else {
      const waiting = queue.core.openTickets().find((t) => t.state === "waiting");
      if (waiting) run({ type: "reissue", ticket: waiting.id, service: "documents", reason: "wrong topic" });
    }
  }
  // The last press of the day: reserved, its print not confirmed when the power went.
  run({ type: "issue", service: "pensions" });
  queue.close();
  const segments = readdirSync(join(dir, "journal"))
    .filter((n) => n.endsWith(".jsonl"))
    .sort()
    .map((name) => ({ name, bytes: readFileSync(join(dir, "journal", name)) }));
  const lines: Line[] = [];
  let offset = 0;
  for (const segment of segments) {
    let start = 0;
    for (let nl = segment.bytes.indexOf(0x0a); nl >= 0; nl = segment.bytes.indexOf(0x0a, start)) {
      const seq = (JSON.parse(segment.bytes.subarray(start, nl).toString()) as { seq: number }).seq;
      lines.push({ seq, start: offset + start, jsonEnd: offset + nl });
      start = nl + 1;
    }
    offset += segment.bytes.length;
  }
  const records = lines.map((l) => l.seq);
  expect(records).toEqual(records.map((_, i) => i + 1));
  return { dir, segments, snapshots, lines, total: offset, lastTs: now };
}

type Day = ReturnType<typeof writeDay>;

/** The data folder as a power cut at byte `cut` leaves it. */
function cutAt(day: Day, cut: number): { dir: string; survivors: number } {
  const dir = mkdtempSync(join(tmpdir(), "vooru-faults-cut-"));
  dirs.push(dir);
  mkdirSync(join(dir, "journal"));
  let offset = 0;
  for (const { name, bytes } of day.segments) {
    if (offset < cut)
      writeFileSync(join(dir, "journal", name), bytes.subarray(0, Math.min(bytes.length, cut - offset)));
    offset += bytes.length;
  }
  const survivors = day.lines.filter((l) => l.jsonEnd <= cut).length;
  // Snapshots are written after the events they hold are durable: only those at or before it exist.
  const taken = [...day.snapshots.keys()].filter((seq) => seq <= survivors).sort((a, b) => a - b);
  const current = taken.at(-1);
  const prev = taken.at(-2);
  if (current !== undefined) writeFileSync(join(dir, "snapshot.json"), day.snapshots.get(current) as string);
  if (prev !== undefined) writeFileSync(join(dir, "snapshot.prev.json"), day.snapshots.get(prev) as string);
  return { dir, survivors };
}

/** The state a replay of the surviving records gives, with unconfirmed prints voided as at start. */
function replay(day: Day, survivors: number) {
  const records = readSegments(day).slice(0, survivors);
  const core = new QueueCore(buildModel(config));
  for (const record of records) core.apply(record);
  return core;
}

function readSegments(day: Day): QueueEvent[] {
  return day.segments.flatMap(({ bytes }) =>
    bytes
      .toString()
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => JSON.parse(l) as QueueEvent),
  );
}

describe("journal truncated at random offsets", () => {
  const day = writeDay(9);
  const random = mulberry32(20261125);
  const segmentStarts = day.segments.map((_, i) =>
    day.segments.slice(0, i).reduce((n, s) => n + s.bytes.length, 0),
  );
  const line = (i: number) => day.lines[i] as Line;
  const middle = (l: Line) => Math.floor((l.start + l.jsonEnd) / 2);
  const offsets = new Map<string, number>([
    ["mid-line before the first snapshot", middle(line(3))],
    [
      "mid the first line after a snapshot",
      middle(line(day.lines.findIndex((l) => l.start === segmentStarts[2]))),
    ],
    ["a whole line but its newline", line(40).jsonEnd],
    ["exactly at a line boundary", line(41).start],
    ["mid the last line", middle(line(day.lines.length - 1))],
    ["nothing lost", day.total],
    ...Array.from(
      { length: 6 },
      (_, i) => [`random offset ${i + 1}`, 1 + Math.floor(random() * (day.total - 1))] as [string, number],
    ),
  ]);

  it("writes a day with several snapshot eras", () => {
    expect(day.segments.length).toBeGreaterThanOrEqual(5);
    expect(day.snapshots.size).toBeGreaterThanOrEqual(4);
  });

  for (const [what, cut] of offsets) {
    const torn = day.lines.some((l) => l.start < cut && cut < l.jsonEnd);
    const aside = torn ? "sets the torn line aside" : "has no torn line";
    it(`${what} (byte ${cut}): starts, ${aside}, replays exactly the whole lines, numbers go on`, () => {
      const { dir, survivors } = cutAt(day, cut);
      const expected = replay(day, survivors);
      const log = memoryLogger();
      const queue = DurableQueue.open({ config, dataDir: dir, clock: () => day.lastTs + MINUTE, log });
      try {
        expect(
          log.lines.some((l) => l.includes("set aside a torn last line")),
          "the torn-line warning",
        ).toBe(torn);
        const reserved = [...expected.view.tickets.values()].filter((t) => t.state === "reserved");
        // The replay of the whole lines, plus one print_failed per unconfirmed print.
        expect(queue.core.seq).toBe(survivors + reserved.length);
        expect([...queue.core.view.tickets.values()].map((t) => [t.id, t.number, t.state])).toEqual(
          [...expected.view.tickets.values()].map((t) => [
            t.id,
            t.number,
            t.state === "reserved" ? "void" : t.state,
          ]),
        );
        expect([...queue.core.view.counters.values()]).toEqual([...expected.view.counters.values()]);
        // Numbering goes on after the last durable number of each service.
        const held = new Set([...expected.view.tickets.values()].map((t) => t.number));
        for (const service of SERVICES) {
          const next = expected.view.services.get(service)?.nextNumber;
          const issued = queue.execute({ type: "issue", service });
          expect(issued.ok).toBe(true);
          const number = queue.core.ticket((issued.events.at(-1) as { ticket: string }).ticket)?.number ?? "";
          expect(held.has(number), `${number} was durable before the cut`).toBe(false);
          expect(Number(number.slice(1))).toBe(next);
        }
        // A cut mid-line leaves the journal ending in whole lines: it goes on with no gap.
        expect(auditJournal(dir).violations).toEqual([]);
      } finally {
        queue.close();
      }
    });
  }

  it("the whole controller starts on a torn journal and serves", async () => {
    const { dir } = cutAt(day, middle(line(day.lines.length - 5)));
    const o = await OfficeUnderTest.start({ config, dataDir: dir, clock: () => day.lastTs + MINUTE });
    try {
      expect(o.log.lines.some((l) => l.includes("set aside a torn last line"))).toBe(true);
      expect(readdirSync(join(dir, "journal", "set-aside"))).toHaveLength(1);
      const issued = await o.issue("benefits", { printer: null });
      expect(issued.ok, JSON.stringify(issued)).toBe(true);
      expect(auditJournal(dir).violations).toEqual([]);
    } finally {
      await o.stop();
    }
  });
});
