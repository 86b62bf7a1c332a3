// The durable, append-only record of everything that happened, generic over records with a seq.
// Sync fs on purpose: traffic is far below one event a second, and a sync append is durable
// before the caller acts on it (a ticket number is on disk before the printer gets a byte).
//
// Layout in dir:
//   journal/000000000001.jsonl   segments, named by their first seq; a new one after each snapshot
//   journal/set-aside/           torn last lines found on start, kept for a human to look at
//   snapshot.json                {"format":1,"seq":N,"state":...}; snapshot.prev.json the one before
import {
  closeSync,
  existsSync,
  fdatasyncSync,
  fstatSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  writeSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { fsyncDir, PRIVATE_DIR, PRIVATE_FILE } from "./atomic-file.js";
import { ioError, JournalError, messageOf } from "./errors.js";
import { listSegments, replaySegments, segmentName } from "./segments.js";
import { readSnapshot, type Snapshot, writeSnapshotFiles } from "./snapshot.js";

export interface JournalOptions {
  /** Torn lines set aside, snapshot fallbacks. Defaults to console.warn. */
  onWarning?: (msg: string) => void;
}

export interface OpenedJournal<R extends { seq: number }> {
  journal: Journal<R>;
  snapshot: Snapshot | null;
  /** Every record after the snapshot's seq, in seq order. */
  records: R[];
}

export class Journal<R extends { seq: number }> {
  readonly dir: string;
  private readonly journalDir: string;
  private seq: number;
  /** The segment the next append goes to; created on first append if it does not exist. */
  private segmentPath: string;
  private fd: number | null = null;
  /** Size of the segment after the last good append: where a failed append is cut back to. */
  private size = 0;
  private closed = false;
  /** Set when a failed append could not be undone: appending after a partial line would corrupt. */
  private broken: string | null = null;

  private constructor(dir: string, lastSeq: number, segmentPath: string) {
    this.dir = dir;
    this.journalDir = join(dir, "journal");
    this.seq = lastSeq;
    this.segmentPath = segmentPath;
  }

  static open<R extends { seq: number }>(dir: string, options: JournalOptions = {}): OpenedJournal<R> {
    const warn = options.onWarning ?? ((msg: string) => console.warn(msg));
    const journalDir = join(dir, "journal");
    const setAsideDir = join(journalDir, "set-aside");
    try {
      const created = mkdirSync(setAsideDir, { recursive: true, mode: PRIVATE_DIR });
      if (created !== undefined) {
        // New directories: make their entries durable before files go in them.
        fsyncDir(dirname(created));
        fsyncDir(dir);
        fsyncDir(journalDir);
      }
      const snapshot = readSnapshot(dir, warn);
      const afterSeq = snapshot?.seq ?? 0;
      const segments = listSegments(journalDir);
      const replay = replaySegments<R>(segments, { afterSeq, setAsideDir, warn });
      const lastSeq = Math.max(afterSeq, replay.lastSeq ?? 0);

      // Continue the tail segment if it ends exactly at lastSeq (or is empty and named lastSeq+1),
      // unless a snapshot covers it all: then the next record starts a new segment, as after
      // writeSnapshot.
      const tail = segments.at(-1);
      const tailEnd = tail ? (replay.tailLastSeq ?? tail.first - 1) : null;
      const coveredBySnapshot = snapshot !== null && replay.tailLastSeq !== null && lastSeq === snapshot.seq;
      const segmentPath =
        tail && tailEnd === lastSeq && !coveredBySnapshot
          ? tail.path
          : join(journalDir, segmentName(lastSeq + 1));
      return { journal: new Journal<R>(dir, lastSeq, segmentPath), snapshot, records: replay.records };
    } catch (error) {
      throw ioError(`journal: cannot open ${dir}`, error);
    }
  }

  /** The seq of the last record appended (or replayed, or covered by the snapshot); 0 if none. */
  get lastSeq(): number {
    return this.seq;
  }

  /**
   * Appends one command's records with one write and one fdatasync: durable when this returns.
   * On failure the segment is cut back to where it was, and JOURNAL_IO is thrown.
   */
  append(records: readonly R[]): void {
    this.assertOpen();
    if (this.broken !== null) throw new JournalError("JOURNAL_IO", this.broken);
    records.forEach((record, i) => {
      const expected = this.seq + 1 + i;
      if (record.seq !== expected)
        throw new RangeError(`journal: record seq ${record.seq} given where ${expected} comes next`);
    });
    if (records.length === 0) return;
    let text = "";
    for (const record of records) text += `${JSON.stringify(record)}\n`;
    const bytes = Buffer.from(text);

    const fd = this.openSegment();
    try {
      let done = 0;
      // One write in practice; a short write (disk filling up) continues until it errors.
      while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
      fdatasyncSync(fd);
    } catch (error) {
      this.rollBack(fd, error);
      throw ioError(`journal: cannot append to ${this.segmentPath}`, error);
    }
    this.size += bytes.length;
    this.seq += records.length;
  }

  /**
   * Writes the state as of `seq` (must be lastSeq) and starts a new segment at seq+1.
   * Old segments stay on disk: the audit trail, and replay material for snapshot.prev.json.
   */
  writeSnapshot(seq: number, state: unknown): void {
    this.assertOpen();
    if (seq !== this.seq)
      throw new RangeError(`journal: a snapshot must be at the last seq ${this.seq}, not ${seq}`);
    writeSnapshotFiles(this.dir, seq, state);
    const next = join(this.journalDir, segmentName(seq + 1));
    if (next !== this.segmentPath) {
      this.closeSegment();
      this.segmentPath = next;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.closeSegment();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error(`journal: ${this.dir} is closed`);
  }

  private openSegment(): number {
    if (this.fd !== null) return this.fd;
    try {
      const created = !existsSync(this.segmentPath);
      const fd = openSync(this.segmentPath, "a", PRIVATE_FILE);
      this.fd = fd;
      this.size = fstatSync(fd).size;
      // A new file's directory entry must survive a power cut along with its first records.
      if (created) fsyncDir(this.journalDir);
      return fd;
    } catch (error) {
      this.closeSegment();
      throw ioError(`journal: cannot open ${this.segmentPath}`, error);
    }
  }

  private rollBack(fd: number, cause: unknown): void {
    try {
      ftruncateSync(fd, this.size);
      fdatasyncSync(fd);
    } catch (error) {
      this.broken =
        `journal: ${this.segmentPath} may end in a partial line after a failed append ` +
        `(${messageOf(cause)}; cutting it back failed: ${messageOf(error)}); restart vooru`;
    }
  }

  private closeSegment(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    try {
      closeSync(fd);
    } catch {
      // Closing cannot lose appended data: every append was already fdatasynced.
    }
  }
}
