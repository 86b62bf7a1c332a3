// Reads the journal's segments without taking the lock (the controller may be writing) and folds
// them day by day. A last line still being written is skipped; nothing is ever changed on disk.
import { closeSync, openSync, readFileSync, readSync } from "node:fs";
import { join } from "node:path";
import type { QueueEvent } from "../queue/core/types.js";
import { JournalError } from "../queue/journal/errors.js";
import { listSegments, type Segment } from "../queue/journal/segments.js";
import { DayFold, type DayRecord } from "./day-record.js";

export interface FoldedDays {
  /** Closed days in the range, oldest first. */
  closed: DayRecord[];
  /** The day still open at the journal's end (today), if it is in the range. */
  open: DayFold | null;
  /** The last seq read: live events after it continue the open fold. */
  lastSeq: number;
}

const DAY_MS = 86_400_000;
// A business day's events are stamped within a day or so of its date in any time zone.
const MARGIN_MS = 2 * DAY_MS;

/** A segment's first stamp never changes once written: path -> ts. */
const firstTsCache = new Map<string, number>();

export function firstRecordTs(segment: Segment): number | null {
  const cached = firstTsCache.get(segment.path);
  if (cached !== undefined) return cached;
  const ts = readFirstTs(segment);
  if (ts !== null) firstTsCache.set(segment.path, ts);
  return ts;
}

function readFirstTs(segment: Segment): number | null {
  const fd = openSync(segment.path, "r");
  try {
    const buffer = Buffer.alloc(4096);
    const length = readSync(fd, buffer, 0, buffer.length, 0);
    const line = buffer.subarray(0, length).toString("utf8").split("\n")[0] ?? "";
    const match = /"ts":(\d+)/.exec(line);
    return match ? Number(match[1]) : null;
  } finally {
    closeSync(fd);
  }
}

/** The segments that can hold events of days from..to ("YYYY-MM-DD"), in order. */
function segmentsFor(journalDir: string, from: string, to: string): Segment[] {
  const segments = listSegments(journalDir);
  const startTs = Date.parse(`${from}T00:00:00Z`) - MARGIN_MS;
  const endTs = Date.parse(`${to}T00:00:00Z`) + DAY_MS + MARGIN_MS;
  const firsts = segments.map(firstRecordTs);
  let start = 0;
  for (let i = 0; i < segments.length; i++) {
    const ts = firsts[i];
    if (ts !== null && ts !== undefined && ts <= startTs) start = i;
  }
  const picked: Segment[] = [];
  for (let i = start; i < segments.length; i++) {
    const ts = firsts[i];
    if (ts !== null && ts !== undefined && ts > endTs) break;
    picked.push(segments[i] as Segment);
  }
  return picked;
}

/**
 * Calls onEvent with every journal event of the business days from..to, in order, with its day.
 * Days are told by the day_started and day_ended events, so no configuration is needed. Returns
 * the last seq read.
 */
export function walkJournalDays(
  dataDir: string,
  from: string,
  to: string,
  onEvent: (event: QueueEvent, day: string) => void,
): number {
  const journalDir = join(dataDir, "journal");
  let segments: Segment[];
  try {
    segments = segmentsFor(journalDir, from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return 0;
    throw error;
  }
  let day: string | null = null;
  let lastSeq = 0;
  segments.forEach((segment, index) => {
    const lines = readFileSync(segment.path, "utf8").split("\n");
    const isTail = index === segments.length - 1;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] as string;
      if (line === "") continue;
      let event: QueueEvent;
      try {
        event = JSON.parse(line) as QueueEvent;
      } catch {
        // The controller may be writing the last line right now.
        if (isTail && lines.slice(i + 1).every((rest) => rest === "")) break;
        throw new JournalError("JOURNAL_CORRUPT", `${segment.path}:${i + 1}: not a journal record`);
      }
      lastSeq = event.seq;
      if (event.type === "day_started") day = event.day >= from && event.day <= to ? event.day : null;
      if (day === null) continue;
      onEvent(event, day);
      if (event.type === "day_ended") day = null;
    }
  });
  return lastSeq;
}

/** Folds the journal of dataDir over the business days from..to (see walkJournalDays). */
export function foldJournalDays(
  dataDir: string,
  from: string,
  to: string,
  onClosed?: (record: DayRecord, endSeq: number) => void,
): FoldedDays {
  const closed: DayRecord[] = [];
  let fold: DayFold | null = null;
  const lastSeq = walkJournalDays(dataDir, from, to, (event, day) => {
    if (event.type === "day_started") {
      fold = new DayFold(day, event.ts);
      return;
    }
    if (!fold) return;
    fold.apply(event);
    if (event.type === "day_ended") {
      const record = fold.record(event.ts);
      if (onClosed) onClosed(record, event.seq);
      else closed.push(record);
      fold = null;
    }
  });
  return { closed, open: fold, lastSeq };
}
