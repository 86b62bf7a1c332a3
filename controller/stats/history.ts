// The days a report covers, from the cheapest place that has them: a closed day's summary, else
// the journal (today, and closed days not compacted yet). Also the compaction itself and the
// retention of old journal segments and summaries.
import { existsSync, readFileSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { setImmediate as yieldToEvents } from "node:timers/promises";
import { fsyncDir } from "../queue/journal/atomic-file.js";
import { listSegments } from "../queue/journal/segments.js";
import { snapshotPaths } from "../queue/journal/snapshot.js";
import type { DayRecord } from "./day-record.js";
import {
  pruneSummaries,
  readSummary,
  readSummaryState,
  summaryDays,
  writeSummary,
  writeSummaryState,
} from "./day-summaries.js";
import { firstRecordTs, foldJournalDays } from "./journal-days.js";

const DAY_MS = 86_400_000;

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

export interface LoadOptions {
  /** The controller's own record of today: used instead of reading today from the journal. */
  today?: DayRecord | null;
  /** When open spans of a day read from the journal end. */
  now: number;
}

/**
 * Hands every day from..to that has a record to `visit`, one at a time (summaries first, then
 * the journal's days after them, then today), so a long range is never in memory at once.
 */
export async function forEachDayRecord(
  dataDir: string,
  from: string,
  to: string,
  options: LoadOptions,
  visit: (record: DayRecord) => void,
): Promise<void> {
  const summarised = new Set<string>();
  for (const day of summaryDays(dataDir))
    if (day >= from && day <= to) {
      visit(await readSummary(dataDir, day));
      summarised.add(day);
    }
  const { compactedThrough } = readSummaryState(dataDir);
  // Days after the compacted ones may be in the journal only.
  const journalFrom =
    compactedThrough !== null && compactedThrough >= from ? addDays(compactedThrough, 1) : from;
  const today = options.today ?? null;
  const onlyToday = today !== null && journalFrom === today.day && to === today.day;
  if (journalFrom <= to && !onlyToday) {
    const folded = foldJournalDays(dataDir, journalFrom, to, (record) => {
      if (!summarised.has(record.day)) visit(record);
    });
    if (folded.open && today === null) visit(folded.open.record(options.now));
  }
  if (today !== null && today.day >= from && today.day <= to) visit(today);
}

/** Every day from..to that has a record, oldest first (a short range; reports use forEachDayRecord). */
export async function loadDayRecords(
  dataDir: string,
  from: string,
  to: string,
  options: LoadOptions,
): Promise<DayRecord[]> {
  const byDay = new Map<string, DayRecord>();
  await forEachDayRecord(dataDir, from, to, options, (record) => byDay.set(record.day, record));
  return [...byDay.values()].sort((a, b) => a.day.localeCompare(b.day));
}

/**
 * Writes the summary of every closed day the journal holds after the last compacted one, a week
 * at a time with a pause for other work between, and records how far it got. Returns the days written.
 */
export async function compactClosedDays(dataDir: string): Promise<string[]> {
  const segments = existsSync(join(dataDir, "journal")) ? listSegments(join(dataDir, "journal")) : [];
  const first = segments[0] ? firstRecordTs(segments[0]) : null;
  if (first === null) return [];
  const state = readSummaryState(dataDir);
  let from =
    state.compactedThrough !== null ? addDays(state.compactedThrough, 1) : addDays(isoDay(first), -1);
  const lastTs = segments.at(-1) ? firstRecordTs(segments.at(-1) as (typeof segments)[number]) : first;
  const end = addDays(isoDay(Math.max(first, lastTs ?? first)), 2);
  const written: string[] = [];
  let through = state.compactedThrough;
  let throughSeq = state.throughSeq;
  while (from <= end) {
    const to = addDays(from, 6);
    const folded = foldJournalDays(dataDir, from, to, (record, endSeq) => {
      writeSummary(dataDir, record);
      written.push(record.day);
      if (through === null || record.day > through) through = record.day;
      throughSeq = Math.max(throughSeq, endSeq);
    });
    // A day still open stops the compaction there: everything after it is today or later.
    if (folded.open) break;
    from = addDays(to, 1);
    await yieldToEvents();
  }
  if (through !== state.compactedThrough)
    writeSummaryState(dataDir, { compactedThrough: through, throughSeq });
  return written;
}

function isoDay(ts: number): string {
  return new Date(ts).toISOString().slice(0, 10);
}

function snapshotSeq(path: string): number | null {
  try {
    const seq = (JSON.parse(readFileSync(path, "utf8")) as { seq?: unknown }).seq;
    return typeof seq === "number" ? seq : null;
  } catch {
    return null;
  }
}

export interface RetentionResult {
  segments: number;
  summaries: number;
}

/**
 * Removes journal segments older than keepJournalDays whose days are all compacted and that no
 * snapshot needs for replay, and summaries older than keepSummaryDays. Only the controller, which
 * holds the data folder's lock, calls it.
 */
export function applyRetention(
  dataDir: string,
  now: number,
  keep: { journalDays: number; summaryDays: number },
): RetentionResult {
  const journalDir = join(dataDir, "journal");
  const { throughSeq } = readSummaryState(dataDir);
  let removedSegments = 0;
  if (throughSeq > 0 && existsSync(journalDir)) {
    const paths = snapshotPaths(dataDir);
    const current = snapshotSeq(paths.current);
    const prev = snapshotSeq(paths.prev);
    // Replay needs everything after the older snapshot that may be fallen back to.
    const replayFrom = current === null ? 0 : Math.min(current, prev ?? current);
    const keepFrom = Math.min(replayFrom, throughSeq);
    const cutoff = now - keep.journalDays * DAY_MS;
    const segments = listSegments(journalDir);
    for (let i = 0; i + 1 < segments.length; i++) {
      const next = segments[i + 1] as (typeof segments)[number];
      const nextTs = firstRecordTs(next);
      // Segment i ends where the next begins: all of it summarised, not needed, and old enough.
      if (next.first - 1 > keepFrom || nextTs === null || nextTs >= cutoff) break;
      unlinkSync((segments[i] as (typeof segments)[number]).path);
      removedSegments++;
    }
    if (removedSegments > 0) fsyncDir(journalDir);
  }
  const summaries = pruneSummaries(dataDir, isoDay(now - keep.summaryDays * DAY_MS));
  return { segments: removedSegments, summaries };
}
