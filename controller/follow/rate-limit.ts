// A token bucket per client address: `burst` requests at once, refilled at `perMinute`. Bounded
// memory: full buckets are forgotten, and past `maxClients` the oldest is dropped.
import { isIPv6 } from "node:net";

/**
 * Whose bucket a request takes from: an IPv4 address (also when mapped into IPv6), or an IPv6
 * address's /64, since one phone may pick any address of its network's /64.
 */
export function clientKey(address: string | undefined): string {
  if (!address) return "?";
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1] as string;
  if (!isIPv6(address)) return address;
  const [head = "", tail = ""] = address.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = address.includes("::")
    ? [...left, ...new Array(8 - left.length - right.length).fill("0"), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => Number.parseInt(g, 16).toString(16))
    .join(":")}::/64`;
}
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perMs: number;

  constructor(
    perMinute: number,
    private readonly burst: number,
    private readonly clock: () => number = () => performance.now(),
    private readonly maxClients = 10_000,
  ) {
    this.perMs = perMinute / 60_000;
  }

  /** Takes one request from the address's bucket; false when it is empty (answer 429). */
  take(address: string): boolean {
    const now = this.clock();
    const bucket = this.buckets.get(address);
    const tokens = bucket ? Math.min(this.burst, bucket.tokens + (now - bucket.at) * this.perMs) : this.burst;
    if (bucket) this.buckets.delete(address);
    else if (this.buckets.size >= this.maxClients) this.forget(now);
    // Re-inserted: the Map's order is then least recently seen first.
    this.buckets.set(address, { tokens: tokens >= 1 ? tokens - 1 : tokens, at: now });
    return tokens >= 1;
  }

  /** Seconds until the address may ask again (the Retry-After of a 429). */
  retryAfter(address: string): number {
    const bucket = this.buckets.get(address);
    if (!bucket || bucket.tokens >= 1) return 0;
    return Math.ceil((1 - bucket.tokens) / this.perMs / 1000);
  }

  private forget(now: number): void {
    for (const [address, b] of this.buckets)
      if (b.tokens + (now - b.at) * this.perMs >= this.burst) this.buckets.delete(address);
    while (this.buckets.size >= this.maxClients) {
      const oldest = this.buckets.keys().next().value;
      if (oldest === undefined) break;
      this.buckets.delete(oldest);
    }
  }
}
