// What waits in a board bus's frame queue, and what each board keeps between frames.

import type { BoardHealth } from "./board-health.js";

export interface ShowResult {
  ok: boolean;
  detail?: string;
}

export interface Waiter {
  resolve(result: ShowResult): void;
  /** Its text was replaced by a newer show before it was sent. */
  superseded: boolean;
}

export interface BoardSlot {
  health: BoardHealth;
  /** The last text asked for: what the board must show, sent again after an outage. */
  want: { text: string; blink: boolean } | null;
  /** Bumped by every show(): a blink or a queued frame of an older show knows it is stale. */
  gen: number;
  /** This board's job waiting in the queue and not started yet: a newer show replaces its text. */
  queued: Job | null;
  blinkTimer: unknown;
}

export interface Job {
  board: BoardSlot;
  kind: "show" | "probe";
  text: string;
  blink: boolean;
  gen: number;
  waiters: Waiter[];
}

/** How one job's frames went on the wire. */
export type Outcome =
  | { kind: "ok" }
  | { kind: "exception"; code: number }
  | { kind: "miss"; detail: string }
  | { kind: "lost"; detail: string };

export function settle(job: Job, result: ShowResult): void {
  for (const w of job.waiters.splice(0)) {
    w.resolve(
      w.superseded && result.ok
        ? { ok: true, detail: "replaced by a newer show before it was sent" }
        : result,
    );
  }
}

/** The bus's one queue. At most one job per board waits in it: a newer show replaces its text. */
export class JobQueue {
  #jobs: Job[] = [];

  constructor(private readonly onAdded: () => void) {}

  /** Coalesces: a burst of shows for one board collapses to its newest, keeping the board's place. */
  add(board: BoardSlot, kind: Job["kind"], text = "", blink = false, waiter?: Waiter): void {
    const queued = board.queued;
    if (queued) {
      if (kind === "probe") return; // whatever is queued asks the board too
      for (const w of queued.waiters) w.superseded = true;
      Object.assign(queued, { kind, text, blink, gen: board.gen });
      if (waiter) queued.waiters.push(waiter);
      return;
    }
    const job: Job = { board, kind, text, blink, gen: board.gen, waiters: waiter ? [waiter] : [] };
    board.queued = job;
    this.#jobs.push(job);
    this.onAdded();
  }

  next(): Job | undefined {
    const job = this.#jobs.shift();
    if (job && job.board.queued === job) job.board.queued = null;
    return job;
  }

  /** A missed job goes again behind the other boards' frames; a newer show queued meanwhile takes its waiters. */
  retry(job: Job): void {
    const queued = job.board.queued;
    if (queued?.kind === "probe") {
      // A probe queued meanwhile (the board was idle that long) becomes this show: it asks too.
      Object.assign(queued, { kind: job.kind, text: job.text, blink: job.blink, gen: job.gen });
      queued.waiters.push(...job.waiters.splice(0));
      return;
    }
    if (queued) {
      for (const w of job.waiters.splice(0)) queued.waiters.push({ ...w, superseded: true });
      return;
    }
    job.board.queued = job;
    this.#jobs.push(job);
  }

  drop(board: BoardSlot, result: ShowResult): void {
    const queued = board.queued;
    if (!queued) return;
    board.queued = null;
    this.#jobs = this.#jobs.filter((j) => j !== queued);
    settle(queued, result);
  }

  clear(result: ShowResult): void {
    for (const job of this.#jobs.splice(0)) {
      job.board.queued = null;
      settle(job, result);
    }
  }
}
