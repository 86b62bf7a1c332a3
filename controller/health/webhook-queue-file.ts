// The webhook's undelivered alerts on disk, so that alerts raised while IT's endpoint is down
// survive a restart. An append-only file of JSON lines in the data folder:
//   {"add":7,"body":{...}}   alert 7 waits (body: the JSON that is POSTed)
//   {"del":7}                alert 7 was delivered (a 2xx answer) or dropped from a full queue
// Each line is written at once, so a killed process loses nothing; it reaches the disk with an
// fdatasync in the background (one at a time), so the event loop does not wait for the SD card.
// When nothing waits the file is emptied; when it is mostly "del" lines it is rewritten (temp
// file, fsync, rename). At open a torn line (a write cut by a power failure) is skipped with a
// warning, and the file is rewritten clean. The store never throws: the webhook is a second
// channel, and a folder it cannot write leaves the alerts in memory, with an error in the log.
import {
  closeSync,
  fdatasync,
  fdatasyncSync,
  ftruncateSync,
  openSync,
  readFileSync,
  writeSync,
} from "node:fs";
import { PRIVATE_FILE, writeFileAtomic } from "../queue/journal/atomic-file.js";
import type { Logger } from "./log.js";

/** The file's name in the data folder. */
export const WEBHOOK_QUEUE_FILE = "webhook-queue.jsonl";

export interface StoredAlert {
  /** Increasing: the order of delivery. */
  id: number;
  /** The JSON text that is POSTed. */
  body: string;
}

/** Where WebhookSender keeps what it has not delivered yet. */
export interface WebhookQueueStore {
  /** The alerts not yet delivered, oldest first. Called once, before add and remove. */
  load(): StoredAlert[];
  add(alert: StoredAlert): void;
  /** Delivered or dropped. */
  remove(id: number): void;
  close(): void;
}

export interface WebhookQueueFileOptions {
  path: string;
  log: Logger;
  /** Flushes an fd to disk in the background; default fs.fdatasync. */
  flush?: (fd: number, done: (error: Error | null) => void) => void;
}

/** The file is rewritten once it holds this many lines more than twice the alerts waiting. */
const COMPACT_SLACK = 256;

export class WebhookQueueFile implements WebhookQueueStore {
  private readonly path: string;
  private readonly log: Logger;
  private readonly flush: (fd: number, done: (error: Error | null) => void) => void;
  /** What the file says waits, in order: the content of a rewrite. */
  private readonly waiting = new Map<number, string>();
  private fd: number | null = null;
  /** Lines in the file now. */
  private lines = 0;
  /** A write failed: the file may be torn or behind, so the next change rewrites it whole. */
  private broken = true;
  /** The error being reported: logged once, not at every change while it lasts. */
  private failing: string | null = null;
  private flushing = false;
  private flushAgain = false;
  /** Replaced fds whose flush is under way: closed when it ends. */
  private readonly retired: number[] = [];
  private closed = false;

  constructor(options: WebhookQueueFileOptions) {
    this.path = options.path;
    this.log = options.log;
    this.flush = options.flush ?? ((fd, done) => fdatasync(fd, (error) => done(error)));
  }

  load(): StoredAlert[] {
    let text = "";
    try {
      text = readFileSync(this.path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT")
        this.log.error(
          `webhook queue ${this.path}: cannot read (${(error as Error).message}); starting empty`,
        );
    }
    let skipped = 0;
    for (const line of text.split("\n")) {
      if (line.trim() === "") continue;
      const record = parseRecord(line);
      if (record === null) skipped++;
      else if ("add" in record) this.waiting.set(record.add, record.body);
      else this.waiting.delete(record.del);
    }
    if (skipped > 0)
      this.log.warn(
        `webhook queue ${this.path}: skipped ${skipped} unreadable line(s), a write cut short by a crash or power cut`,
      );
    // Ids only grow, but a hand-edited file need not be in order.
    const alerts = [...this.waiting].map(([id, body]) => ({ id, body })).sort((a, b) => a.id - b.id);
    this.waiting.clear();
    for (const alert of alerts) this.waiting.set(alert.id, alert.body);
    // A clean file in our mode: no torn tail for the next line to be glued to.
    this.rewrite();
    return alerts;
  }

  add(alert: StoredAlert): void {
    if (this.closed) return;
    this.waiting.set(alert.id, alert.body);
    this.change(`{"add":${alert.id},"body":${alert.body}}\n`);
  }

  remove(id: number): void {
    if (this.closed || !this.waiting.delete(id)) return;
    if (this.waiting.size === 0 && !this.broken) this.empty();
    else if (this.lines + 1 >= 2 * this.waiting.size + COMPACT_SLACK) this.rewrite();
    else this.change(`{"del":${id}}\n`);
  }

  /** Flushes what was written and closes the file; what waits is there for the next start. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const fd = this.fd;
    this.fd = null;
    if (fd === null) return;
    try {
      fdatasyncSync(fd);
    } catch (error) {
      this.failed("flush", error);
    }
    this.retire(fd);
  }

  private change(line: string): void {
    if (this.broken || this.fd === null) {
      this.rewrite();
      return;
    }
    try {
      const bytes = Buffer.from(line);
      let done = 0;
      while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done);
      this.lines++;
      this.scheduleFlush();
    } catch (error) {
      this.broken = true;
      this.failed("write", error);
    }
  }

  private empty(): void {
    if (this.fd === null) return;
    try {
      // The fd appends: the next line goes to the start.
      ftruncateSync(this.fd, 0);
      this.lines = 0;
      this.scheduleFlush();
    } catch (error) {
      this.broken = true;
      this.failed("empty", error);
    }
  }

  /** Replaces the file with the alerts waiting, and appends to the new one from now on. */
  private rewrite(): void {
    try {
      let text = "";
      for (const [id, body] of this.waiting) text += `{"add":${id},"body":${body}}\n`;
      writeFileAtomic(this.path, text);
      const fd = openSync(this.path, "a", PRIVATE_FILE);
      if (this.fd !== null) this.retire(this.fd);
      this.fd = fd;
      this.lines = this.waiting.size;
      this.broken = false;
      if (this.failing !== null) this.log.info(`webhook queue ${this.path}: writing again`);
      this.failing = null;
    } catch (error) {
      this.broken = true;
      this.failed("rewrite", error);
    }
  }

  private scheduleFlush(): void {
    if (this.flushing) {
      this.flushAgain = true;
      return;
    }
    const fd = this.fd;
    if (fd === null) return;
    this.flushing = true;
    this.flushAgain = false;
    this.flush(fd, (error) => {
      this.flushing = false;
      for (const old of this.retired.splice(0)) closeQuietly(old);
      if (error) {
        this.broken = true;
        this.failed("flush", error);
      }
      if (this.flushAgain && !this.closed) this.scheduleFlush();
    });
  }

  /** Closes an fd we no longer write to, once no flush uses it. */
  private retire(fd: number): void {
    if (this.flushing) this.retired.push(fd);
    else closeQuietly(fd);
  }

  private failed(what: string, error: unknown): void {
    const message = (error as Error).message;
    if (this.failing === message) return;
    this.failing = message;
    this.log.error(
      `webhook queue ${this.path}: ${what} failed (${message}); alerts waiting are kept in memory, ` +
        "and lost if the controller stops before writing works again",
    );
  }
}

type QueueRecord = { add: number; body: string } | { del: number };

/** One line, or null if it is torn or not ours. */
function parseRecord(line: string): QueueRecord | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const { add, del, body } = value as { add?: unknown; del?: unknown; body?: unknown };
  if (Number.isSafeInteger(add) && typeof body === "object" && body !== null)
    return { add: add as number, body: JSON.stringify(body) };
  if (Number.isSafeInteger(del)) return { del: del as number };
  return null;
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Already closed: nothing to release.
  }
}
