// A Pi without a battery clock boots with a wrong time: the queue holds the daily reset and new
// tickets until the clock is synchronised (or the grace has passed), and stamps events in seq order.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ClockGuard, type ClockTrust } from "../../../controller/clock/clock-guard.js";
import {
  type ClockSyncState,
  firstAnswer,
  timedatectlSource,
  timesyncdSource,
} from "../../../controller/clock/clock-sync.js";
import { officeConfigSchema } from "../../../controller/config/office-config.js";
import { HealthBoard } from "../../../controller/health/health-board.js";
import { memoryLogger } from "../../../controller/health/log.js";
import { DurableQueue } from "../../../controller/queue/durable-queue.js";
import type { Timers } from "../../../device/timers.js";
import { MINUTE, officeConfig, T0 } from "../../support/office.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Timers that run only when the test says so. */
function manualTimers(): Timers & { fire(): void } {
  const intervals = new Map<number, () => void>();
  let next = 1;
  return {
    setTimeout: () => 0,
    clearTimeout: () => {},
    setInterval: (fn) => {
      intervals.set(next, fn);
      return next++;
    },
    clearInterval: (handle) => intervals.delete(handle as number),
    fire: () => {
      for (const fn of intervals.values()) fn();
    },
  };
}

function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

describe("clock sync sources", () => {
  it("timesyncd's flag file says synchronised when present", async () => {
    expect(await timesyncdSource("/x", () => true).check()).toBe("synchronised");
    expect(await timesyncdSource("/x", () => false).check()).toBe("unsynchronised");
  });

  it("timedatectl's NTPSynchronized yes/no, and unknown when it cannot answer", async () => {
    const answer = (out: string, error: Error | null = null) =>
      timedatectlSource((_file, args, _options, callback) => {
        expect(args).toEqual(["show", "-p", "NTPSynchronized", "--value"]);
        callback(error, out);
      }).check();
    expect(await answer("yes\n")).toBe("synchronised");
    expect(await answer("no\n")).toBe("unsynchronised");
    expect(await answer("", new Error("System has not been booted with systemd"))).toBe("unknown");
  });

  it("the first definite answer wins", async () => {
    const fixed = (state: ClockSyncState) => ({ name: state, check: async () => state });
    expect(await firstAnswer([fixed("unknown"), fixed("unsynchronised")]).check()).toBe("unsynchronised");
    expect(await firstAnswer([fixed("unknown")]).check()).toBe("unknown");
  });
});

describe("ClockGuard", () => {
  function guard(requireSync: "auto" | "always" | "never", answers: ClockSyncState[], graceSeconds = 120) {
    let mono = 0;
    const health = new HealthBoard(() => T0);
    const timers = manualTimers();
    const log = memoryLogger();
    const source = { name: "test", check: async () => answers.shift() ?? "unsynchronised" };
    const g = new ClockGuard({
      config: { requireSync, graceSeconds },
      source,
      monotonic: () => mono,
      health,
      log,
      timers,
    });
    return { g, health, timers, log, advance: (ms: number) => (mono += ms) };
  }

  it("holds until the source says synchronised, with an alert meanwhile", async () => {
    const { g, health, timers } = guard("auto", ["unsynchronised", "unsynchronised", "synchronised"]);
    await g.start();
    expect(g.trusted()).toBe(false);
    expect(health.topAlert("clock")?.code).toBe("CLOCK_UNSYNCHRONISED");
    expect(health.devices().find((d) => d.id === "clock")?.status).toBe("degraded");
    timers.fire();
    await settle();
    expect(g.trusted()).toBe(false);
    timers.fire();
    await settle();
    expect(g.status).toBe("synchronised");
    expect(health.topAlert("clock")).toBeNull();
    expect(health.devices().find((d) => d.id === "clock")?.status).toBe("ok");
  });

  it("trusts an unsynchronised clock after the grace, and keeps the alert", async () => {
    const { g, health, advance } = guard("always", [], 60);
    await g.start();
    advance(59_999);
    expect(g.trusted()).toBe(false);
    expect(g.whyHeld()).toContain("at most 1 s more");
    advance(1);
    expect(g.status).toBe("grace_expired");
    expect(health.topAlert("clock")?.message).toContain("never synchronised");
  });

  it("auto trusts a system that cannot tell; always does not", async () => {
    const auto = guard("auto", ["unknown"]);
    await auto.g.start();
    expect(auto.g.status).toBe("not_required");
    const always = guard("always", ["unknown"]);
    await always.g.start();
    expect(always.g.trusted()).toBe(false);
  });

  it("never asks nobody", async () => {
    const { g, health } = guard("never", []);
    await g.start();
    expect(g.trusted()).toBe(true);
    expect(health.devices().find((d) => d.id === "clock")).toBeUndefined();
  });
});

describe("the durable queue with an untrusted clock", () => {
  function setup() {
    const dataDir = mkdtempSync(join(tmpdir(), "vooru-clock-"));
    dirs.push(dataDir);
    const config = officeConfigSchema.parse({ ...officeConfig(), journal: { dataDir } });
    let wall = T0;
    let mono = 1_000;
    let trusted = true;
    const trust: ClockTrust = { trusted: () => trusted, whyHeld: () => "waiting for NTP" };
    const open = () =>
      DurableQueue.open({
        config,
        dataDir,
        clock: () => wall,
        log: memoryLogger(),
        clockTrust: trust,
        monotonic: () => mono,
      });
    return {
      open,
      setWall: (ms: number) => (wall = ms),
      advanceMono: (ms: number) => (mono += ms),
      trust: (value: boolean) => (trusted = value),
    };
  }

  it("refuses new tickets, holds the daily reset and stamps by the monotonic clock", () => {
    const s = setup();
    let queue = s.open();
    expect(queue.execute({ type: "open", counter: "1" }).ok).toBe(true);
    expect(queue.execute({ type: "issue", service: "pensions" }).ok).toBe(true);
    expect(queue.execute({ type: "confirm_print", ticket: "A001" }).ok).toBe(true);
    const day = queue.core.day;
    const lastTs = T0;
    queue.close();

    // A reboot into a wrong clock: "tomorrow" (a forward jump) and not synchronised.
    s.trust(false);
    s.setWall(T0 + 30 * 60 * MINUTE);
    queue = s.open();
    expect(queue.core.day).toBe(day);
    expect(queue.tick()).toEqual([]);
    const refused = queue.execute({ type: "issue", service: "pensions" });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: "CLOCK_UNSYNCHRONISED", message: "waiting for NTP" },
    });
    // Calling the customers already in the queue goes on, stamped from the last event onwards.
    s.advanceMono(5_000);
    const called = queue.execute({ type: "call_next", counter: "1" });
    expect(called.ok).toBe(true);
    expect(called.events.map((e) => e.ts)).toEqual([lastTs + 5_000]);
    expect(called.events.map((e) => e.type)).toEqual(["ticket_called"]);

    // Synchronised: it really is tomorrow, so the day rolls over now.
    s.trust(true);
    const rolled = queue.tick();
    expect(rolled.map((e) => e.type)).toContain("day_ended");
    expect(queue.core.day).not.toBe(day);
    queue.close();
  });

  it("held time does not run into the next business day: it stands at the newest event", () => {
    const s = setup();
    // The last event at 03:59:30 local time (01:59:30 UTC), 30 s before the 04:00 reset.
    const beforeReset = Date.UTC(2026, 10, 24, 1, 59, 30);
    s.setWall(beforeReset);
    let queue = s.open();
    expect(queue.execute({ type: "open", counter: "1" }).ok).toBe(true);
    queue.close();
    s.trust(false);
    queue = s.open();
    s.advanceMono(10 * MINUTE);
    // Ten held minutes would be past the reset: calls go on, stamped at the newest event.
    const paused = queue.execute({ type: "pause", counter: "1" });
    expect(paused.ok).toBe(true);
    expect(paused.events.map((e) => e.ts)).toEqual([beforeReset]);
    queue.close();
  });

  it("never stamps an event earlier than the one before: time order is seq order", () => {
    const s = setup();
    const queue = s.open();
    queue.execute({ type: "open", counter: "1" });
    s.setWall(T0 - 10 * MINUTE);
    const issued = queue.execute({ type: "issue", service: "pensions" });
    expect(issued.events.every((e) => e.ts === T0)).toBe(true);
    queue.close();
  });
});
