// Reading the journal's segment files: JSONL, one record per line, each segment named by the seq
// of its first record. A power cut can tear only the last line of the last segment; damage
// anywhere else is not ours to guess about and stops the start.
import { closeSync, fsyncSync, ftruncateSync, openSync, readdirSync, readFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "./atomic-file.js";
import { JournalError } from "./errors.js";

export interface Segment {
  name: string;
  /** The seq its first record must have. */
  first: number;
  path: string;
}

const SEGMENT_NAME = /^(\d{12})\.jsonl$/;

export function segmentName(firstSeq: number): string {
  return `${String(firstSeq).padStart(12, "0")}.jsonl`;
}

/** Segments in seq order (zero-padded names sort as numbers). */
export function listSegments(journalDir: string): Segment[] {
  const segments: Segment[] = [];
  for (const name of readdirSync(journalDir).sort()) {
    const match = SEGMENT_NAME.exec(name);
    if (match) segments.push({ name, first: Number(match[1]), path: join(journalDir, name) });
  }
  return segments;
}

export interface ReplayResult<R> {
  /** Records with seq > afterSeq, in order. */
  records: R[];
  /** The last seq found in the segments, or null if they hold no record that was read. */
  lastSeq: number | null;
  /** The last segment's last record seq, null if it holds none. */
  tailLastSeq: number | null;
}

export interface ReplayContext {
  afterSeq: number;
  setAsideDir: string;
  warn: (msg: string) => void;
}

export function replaySegments<R extends { seq: number }>(
  segments: readonly Segment[],
  ctx: ReplayContext,
): ReplayResult<R> {
  const records: R[] = [];
  let prevSeq: number | null = null;
  let tailLastSeq: number | null = null;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as Segment;
    const next = segments[i + 1];
    // Wholly covered by the snapshot (the next one starts at or before afterSeq+1): not needed.
    if (next && next.first - 1 <= ctx.afterSeq) continue;
    const last: number | null = readSegment(segment, next === undefined, prevSeq, records, ctx);
    if (last !== null) prevSeq = last;
    if (!next) tailLastSeq = last;
  }
  return { records, lastSeq: prevSeq, tailLastSeq };
}

/** Appends the segment's records after afterSeq to `out`; returns its last seq, or null if empty. */
function readSegment<R extends { seq: number }>(
  segment: Segment,
  isTail: boolean,
  prevSeq: number | null,
  out: R[],
  ctx: ReplayContext,
): number | null {
  const bytes = readFileSync(segment.path);
  const lines = bytes.toString("utf8").split("\n");
  let lastLine = lines.length - 1;
  while (lastLine >= 0 && lines[lastLine] === "") lastLine--;

  let first = true;
  let seq = prevSeq;
  for (let i = 0; i <= lastLine; i++) {
    const line = lines[i] as string;
    if (line === "") continue;
    const record = parseRecord(line);
    if (record === undefined) {
      if (isTail && i === lastLine) {
        setAsideTornLine(segment, bytes, ctx);
        return first ? null : seq;
      }
      throw corrupt(segment, i, "not a journal record");
    }
    if (first && record.seq !== segment.first)
      throw corrupt(
        segment,
        i,
        `segment ${segment.name} must start at seq ${segment.first}, found ${record.seq}`,
      );
    if (seq !== null && record.seq !== seq + 1)
      throw corrupt(segment, i, `expected seq ${seq + 1}, found ${record.seq}`);
    // The first record read may come after the snapshot only if it directly follows it.
    if (seq === null && record.seq > ctx.afterSeq + 1)
      throw corrupt(segment, i, `expected seq ${ctx.afterSeq + 1} (after the snapshot), found ${record.seq}`);
    first = false;
    seq = record.seq;
    if (seq > ctx.afterSeq) out.push(record as R);
  }
  // The last record was written whole but its newline was not: finish it before appending more.
  if (isTail && lastLine >= 0 && bytes.length > 0 && bytes[bytes.length - 1] !== 0x0a) {
    const fd = openSync(segment.path, "a");
    try {
      writeSync(fd, "\n");
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
  return first ? null : seq;
}

function corrupt(segment: Segment, lineIndex: number, what: string): JournalError {
  return new JournalError("JOURNAL_CORRUPT", `${segment.path}:${lineIndex + 1}: ${what}`);
}

function parseRecord(line: string): { seq: number } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const seq = (value as { seq?: unknown }).seq;
  return typeof seq === "number" ? (value as { seq: number }) : undefined;
}

/** Saves the torn last line for a human to look at, then cuts it off the segment. */
function setAsideTornLine(segment: Segment, bytes: Buffer, ctx: ReplayContext): void {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0x0a) end--;
  // UTF-8 never has 0x0a inside a multi-byte character, so byte search finds the line start.
  const start = bytes.lastIndexOf(0x0a, end - 1) + 1;
  const torn = bytes.subarray(start, end);
  const aside = join(ctx.setAsideDir, `torn-${segment.name.replace(/\.jsonl$/, "")}-${Date.now()}.txt`);
  // Saved first: a crash between the two steps only means it is set aside twice.
  writeFileAtomic(aside, torn);
  const fd = openSync(segment.path, "r+");
  try {
    ftruncateSync(fd, start);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  ctx.warn(
    `journal: set aside a torn last line of ${segment.path} (${torn.length} bytes); ` +
      `everything before it is kept; the line is in ${aside}`,
  );
}
