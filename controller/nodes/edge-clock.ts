// A node's button edges carry the node's clock; the press rules run on the controller's. Two Pis'
// clocks differ (a Pi without a battery clock may be minutes off until NTP), so an edge time is
// mapped by an offset: kept while edges arrive promptly, so the spacing of a press and its release
// (debounce, rate limit) is the node's, and re-anchored when an edge would land in the future or
// arrives more than maxLagMs late, so a mapped time is never after now nor far behind it.

export class EdgeClock {
  private offset: number | null = null;

  constructor(private readonly maxLagMs = 1000) {}

  /** Forget the offset: the node restarted (a new epoch) or reconnected. */
  reset(): void {
    this.offset = null;
  }

  /** The controller's time for an edge the node stamped `nodeAt`, heard at `now`. */
  map(nodeAt: number, now: number): number {
    const candidate = now - nodeAt;
    if (this.offset === null || candidate < this.offset || candidate - this.offset > this.maxLagMs)
      this.offset = candidate;
    return nodeAt + this.offset;
  }
}
