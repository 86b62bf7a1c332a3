// The follow listener's token bucket per client, and whose bucket an address is.
import { describe, expect, it } from "vitest";
import { clientKey, RateLimiter } from "../../../controller/follow/rate-limit.js";

describe("the follow rate limit", () => {
  it("lets a burst through, then refills at the rate, per client", () => {
    let now = 0;
    const limiter = new RateLimiter(60, 3, () => now);
    expect([1, 2, 3, 4].map(() => limiter.take("a"))).toEqual([true, true, true, false]);
    expect(limiter.take("b")).toBe(true);
    expect(limiter.retryAfter("a")).toBe(1);
    now += 1000;
    expect(limiter.take("a")).toBe(true);
    expect(limiter.take("a")).toBe(false);
    now += 60_000;
    expect([1, 2, 3, 4].map(() => limiter.take("a"))).toEqual([true, true, true, false]);
  });

  it("keeps at most maxClients buckets", () => {
    const limiter = new RateLimiter(60, 1, () => 0, 100);
    for (let i = 0; i < 1000; i++) limiter.take(`c${i}`);
    expect(limiter.take("c999")).toBe(false);
    expect((limiter as unknown as { buckets: Map<string, unknown> }).buckets.size).toBeLessThanOrEqual(100);
  });

  it("counts an IPv6 /64 as one client, and a mapped IPv4 as its IPv4", () => {
    expect(clientKey("192.168.1.20")).toBe("192.168.1.20");
    expect(clientKey("::ffff:192.168.1.20")).toBe("192.168.1.20");
    expect(clientKey("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(clientKey("2001:db8:1:2:bbbb:cccc:dddd:eeee")).toBe("2001:db8:1:2::/64");
    expect(clientKey("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(clientKey("::1")).toBe("0:0:0:0::/64");
    expect(clientKey(undefined)).toBe("?");
  });
});
