// The TV display's spoken calls, one after another: pure (no audio, no clock of its own), so that
// the rules are unit-tested (test/web/announce-queue.test.ts) and the page only plays what it is
// given. The rules:
// - a new call never cuts off the one being played: it waits its turn;
// - one waiting entry per ticket: a recall of a ticket that is waiting is not queued a second
//   time (the entry keeps its place and takes the newer announcement and time); a recall made
//   while its call is being spoken is queued, as the controller's speakers do (staff asked for it
//   after hearing it start);
// - a call that waited longer than maxAgeMs is dropped instead of played late.
// Times are milliseconds of any monotonic clock (the page uses performance.now()).

export interface QueuedAnnouncement<T> {
  /** The ticket's id: the queue holds one entry per ticket. */
  ticket: string;
  /** What to play (the page: the clip steps of callAnnouncement). */
  item: T;
  /** When it was queued, or refreshed by a recall. */
  queuedAt: number;
}

export interface NextAnnouncement<T> {
  /** The announcement to play now, or null: none is waiting, or one is still being played. */
  next: QueuedAnnouncement<T> | null;
  /** Those that waited too long, dropped unplayed (oldest first). */
  dropped: QueuedAnnouncement<T>[];
}

/** How long a call may wait to be spoken: after that it is news no longer. */
export const MAX_ANNOUNCEMENT_AGE_MS = 30_000;

export class AnnounceQueue<T> {
  readonly #waiting: QueuedAnnouncement<T>[] = [];
  #playing: QueuedAnnouncement<T> | null = null;

  /** Set from the zone's announce.maxAgeSeconds, like the controller's speakers. */
  constructor(public maxAgeMs = MAX_ANNOUNCEMENT_AGE_MS) {}

  /**
   * Queues the announcement of a call. Returns false when the ticket is already waiting: that
   * entry keeps its place and takes this announcement and time.
   */
  offer(ticket: string, item: T, now: number): boolean {
    const waiting = this.#waiting.find((entry) => entry.ticket === ticket);
    if (waiting) {
      waiting.item = item;
      waiting.queuedAt = now;
      return false;
    }
    this.#waiting.push({ ticket, item, queuedAt: now });
    return true;
  }

  /**
   * The next announcement to play, which is then the one playing until finish(); null while one
   * plays. Entries that waited more than maxAgeMs are dropped on the way.
   */
  next(now: number): NextAnnouncement<T> {
    const dropped: QueuedAnnouncement<T>[] = [];
    if (this.#playing) return { next: null, dropped };
    let next: QueuedAnnouncement<T> | null = null;
    while (!next && this.#waiting.length > 0) {
      const entry = this.#waiting.shift() as QueuedAnnouncement<T>;
      if (now - entry.queuedAt > this.maxAgeMs) dropped.push(entry);
      else next = entry;
    }
    this.#playing = next;
    return { next, dropped };
  }

  /** The announcement being played has ended (or failed): the next one may start. */
  finish(): void {
    this.#playing = null;
  }

  /** Sound turned off: nothing waits any more. The one playing still ends with finish(). */
  clear(): void {
    this.#waiting.length = 0;
  }

  /** The one playing, if any. */
  get playing(): QueuedAnnouncement<T> | null {
    return this.#playing;
  }

  /** The tickets queued: the one playing first, then those waiting in turn. */
  tickets(): string[] {
    return [...(this.#playing ? [this.#playing.ticket] : []), ...this.#waiting.map((entry) => entry.ticket)];
  }
}
