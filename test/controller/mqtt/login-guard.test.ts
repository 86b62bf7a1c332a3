// The guessing rule, exact with an injected clock.
import { describe, expect, it } from "vitest";
import {
  BASE_DELAY_MS,
  LOCK_FAILURES,
  LOCK_MS,
  LoginGuard,
  type LoginLock,
  MAX_DELAY_MS,
  MAX_TRACKED,
  USER_DELAY_MS,
  WINDOW_MS,
} from "../../../controller/mqtt/login-guard.js";

function guard() {
  let now = 1_000_000;
  const g = new LoginGuard(() => now);
  const changes: LoginLock[][] = [];
  g.onLocksChange((locks) => changes.push(locks));
  return { g, changes, advance: (ms: number) => (now += ms), now: () => now };
}

describe("LoginGuard", () => {
  it("answers the first wrong logins at once, then doubles the wait, then locks the address", () => {
    const { g, changes, now } = guard();
    const delays: number[] = [];
    for (let i = 0; i < LOCK_FAILURES; i++) {
      const verdict = g.before("10.0.0.9", "desk");
      expect(verdict.kind).toBe("check");
      if (verdict.kind === "check") delays.push(verdict.delayMs);
      g.failed("10.0.0.9", "desk");
    }
    expect(delays).toEqual([0, 0, 0, 500, 1000, 2000, 4000, 8000, 8000, 8000]);
    expect(delays.every((d) => d <= MAX_DELAY_MS)).toBe(true);
    expect(delays[3]).toBe(BASE_DELAY_MS);
    // Locked now: refused unchecked, whatever the password.
    expect(g.before("10.0.0.9", "desk")).toEqual({ kind: "locked", until: now() + LOCK_MS });
    expect(changes).toEqual([
      [{ address: "10.0.0.9", until: now() + LOCK_MS, failures: LOCK_FAILURES, usernames: ["desk"] }],
    ]);
  });

  it("does not lock the name: the right user from another address only waits a second", () => {
    const { g } = guard();
    for (let i = 0; i < LOCK_FAILURES; i++) g.failed("10.0.0.9", "desk");
    expect(g.before("10.0.0.9", "desk").kind).toBe("locked");
    expect(g.before("10.0.0.20", "desk")).toEqual({ kind: "check", delayMs: USER_DELAY_MS });
    expect(g.before("10.0.0.20", "counter1")).toEqual({ kind: "check", delayMs: 0 });
  });

  it("ends the lock after LOCK_MS and forgets failures older than the window", () => {
    const { g, changes, advance } = guard();
    for (let i = 0; i < LOCK_FAILURES; i++) g.failed("10.0.0.9", "desk");
    advance(LOCK_MS - 1);
    expect(g.before("10.0.0.9", "desk").kind).toBe("locked");
    advance(1);
    // The address is free again; the name's failures are still within the window.
    expect(g.before("10.0.0.9", "other")).toEqual({ kind: "check", delayMs: 0 });
    expect(g.before("10.0.0.9", "desk")).toEqual({ kind: "check", delayMs: USER_DELAY_MS });
    expect(changes.at(-1)).toEqual([]);
    g.failed("10.0.0.7", "x");
    g.failed("10.0.0.7", "x");
    g.failed("10.0.0.7", "x");
    expect(g.before("10.0.0.7", "x")).toEqual({ kind: "check", delayMs: BASE_DELAY_MS });
    advance(WINDOW_MS + 1);
    expect(g.before("10.0.0.7", "x")).toEqual({ kind: "check", delayMs: 0 });
  });

  it("forgives an address its failures on a good login, but not the name's", () => {
    const { g } = guard();
    for (let i = 0; i < 5; i++) g.failed("10.0.0.9", "desk");
    g.succeeded("10.0.0.9");
    expect(g.before("10.0.0.9", "other")).toEqual({ kind: "check", delayMs: 0 });
  });

  it("remembers a bounded number of addresses, keeping the locks", () => {
    const { g } = guard();
    for (let i = 0; i < LOCK_FAILURES; i++) g.failed("locked-one", "desk");
    for (let i = 0; i < MAX_TRACKED + 50; i++) g.failed(`a${i}`, `u${i}`);
    expect(g.before("locked-one", "desk").kind).toBe("locked");
    // The oldest unlocked address was forgotten.
    expect(g.before("a0", "u0")).toEqual({ kind: "check", delayMs: 0 });
  });
});
