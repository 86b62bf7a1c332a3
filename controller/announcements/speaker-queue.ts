// One speaker's announcements, in order, each played to its end: a new call never cuts off the
// one being spoken. A recall of a ticket whose announcement is still waiting is not queued again;
// an announcement that waited longer than the age limit is dropped rather than played late (the
// customer has seen the board by then, and a late call sends them to the wrong counter).

export interface Announcement {
  /** What makes two announcements the same: the ticket and its counter. */
  key: string;
  /** When it was asked for (epoch ms, the injected clock). */
  at: number;
  /** The sound, ready for the speaker. */
  render(): Uint8Array;
  /** For the log. */
  label: string;
}

export interface SpeakerQueueOptions {
  /** Plays one announcement; resolves when it has been heard to the end, rejects on failure. */
  play(wav: Uint8Array, announcement: Announcement): Promise<void>;
  clock: () => number;
  maxAgeMs: number;
  onDropped?(announcement: Announcement, why: "stale" | "failed"): void;
}

export interface SpeakerStats {
  played: number;
  merged: number;
  stale: number;
  failed: number;
}

export class SpeakerQueue {
  private readonly waiting: Announcement[] = [];
  private playing: Announcement | null = null;
  private idleWaiters: Array<() => void> = [];
  private stopped = false;
  readonly stats: SpeakerStats = { played: 0, merged: 0, stale: 0, failed: 0 };

  constructor(private readonly options: SpeakerQueueOptions) {}

  get length(): number {
    return this.waiting.length + (this.playing ? 1 : 0);
  }

  /** Queues an announcement; the same one already waiting is not queued twice. */
  enqueue(announcement: Announcement): void {
    if (this.stopped) return;
    if (this.waiting.some((a) => a.key === announcement.key)) {
      this.stats.merged++;
      return;
    }
    this.waiting.push(announcement);
    if (!this.playing) void this.drain();
  }

  /** Resolves once nothing is playing or waiting (for tests and an orderly stop). */
  idle(): Promise<void> {
    if (!this.playing && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Drops what waits; the one playing finishes. */
  stop(): Promise<void> {
    this.stopped = true;
    this.waiting.length = 0;
    return this.idle();
  }

  private async drain(): Promise<void> {
    for (;;) {
      const next = this.waiting.shift();
      if (!next) break;
      if (this.options.clock() - next.at > this.options.maxAgeMs) {
        this.stats.stale++;
        this.options.onDropped?.(next, "stale");
        continue;
      }
      this.playing = next;
      try {
        await this.options.play(next.render(), next);
        this.stats.played++;
      } catch {
        this.stats.failed++;
        this.options.onDropped?.(next, "failed");
      }
      this.playing = null;
    }
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
