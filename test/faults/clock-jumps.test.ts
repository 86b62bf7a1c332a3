// The wall clock jumps while the office runs (an injected clock; timers stay real). Forward into
// the next business day: the day rolls over as DESIGN says (open tickets expire, counters close,
// numbers start again), but only once the clock is trusted. Back by an hour, and back past the
// daily reset: the day never moves backwards, no event is stamped earlier than the one before,
// and no number comes again.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ClockSyncState } from "../../controller/clock/clock-sync.js";
import { T0 } from "../support/office.js";
import { checkInvariants } from "./support/invariants.js";
import { faultConfig, type Ledger, OfficeUnderTest } from "./support/office-under-test.js";
import { eventually, until } from "./support/wait.js";

const HOUR = 3_600_000;
/** T0 is Tuesday 2026-11-24 09:00 in Tallinn; the day resets at 04:00. */
const TUESDAY = "2026-11-24";
const WEDNESDAY = "2026-11-25";

/** What a rollover does to what the script was told: open tickets expire, counters close. */
function dayEnded(ledger: Ledger): void {
  for (const t of ledger.tickets.values())
    if (["waiting", "called", "serving", "parked"].includes(t.expected)) t.expected = "expired";
  for (const [id] of ledger.counters) ledger.counters.set(id, { status: "closed", ticket: null });
}

/**
 * A wall clock that runs like the real one and jumps when set: the press rules' debounce needs
 * time to pass between a button's down and up, as it does in an office.
 */
function jumpingClock(start: number) {
  let base = start;
  let setAt = Date.now();
  return {
    now: () => base + (Date.now() - setAt),
    set(ms: number) {
      base = ms;
      setAt = Date.now();
    },
  };
}

const number = (outcome: { ok: boolean; result?: Record<string, unknown> }) =>
  (outcome.result?.ticket as { number?: string } | undefined)?.number;

describe("the clock jumping", () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it("trusted: forward into tomorrow rolls the day over; back an hour and back past the reset, the day and numbers hold", async () => {
    const clock = jumpingClock(T0);
    // The office's own periodic tick notices the new day with nobody pressing anything.
    const o = await OfficeUnderTest.start({ clock: clock.now, tickMs: 100 });
    cleanups.push(() => o.stop());
    const core = o.office.queue.core;
    expect(core.day).toBe(TUESDAY);
    for (const counter of ["1", "2"]) expect((await o.counter(counter, "open")).ok).toBe(true);
    expect(await o.press("0")).toMatchObject({ outcome: "issued", ticket: "A001" });
    expect(number(await o.issue("pensions"))).toBe("A002");
    expect(number(await o.issue("benefits"))).toBe("B001");
    expect(number(await o.counter("1", "call_next"))).toBe("A001");

    clock.set(T0 + 24 * HOUR); // Wednesday 09:00
    await until(() => core.day === WEDNESDAY, "the day rolled over by itself");
    dayEnded(o.ledger);
    await eventually(() => expect(o.retained.json("events/day_started")).toMatchObject({ day: WEDNESDAY }));
    expect(core.openTickets()).toEqual([]);
    expect(number(await o.issue("pensions"))).toBe("A001");
    expect((await o.counter("1", "open")).ok).toBe(true);

    const lastStamp = () =>
      core.view.tickets.get([...core.view.tickets.keys()].at(-1) as string)?.issuedAt ?? 0;
    const stampBefore = lastStamp();
    clock.set(T0 + 23 * HOUR); // Wednesday 08:00: an hour back
    expect(await o.press("0")).toMatchObject({ outcome: "issued", ticket: "A002" });
    expect(lastStamp()).toBeGreaterThanOrEqual(stampBefore);
    clock.set(T0 + 18.5 * HOUR); // Wednesday 03:30: before the reset, Tuesday's business day by the clock
    expect(number(await o.issue("benefits"))).toBe("B001");
    expect(number(await o.issue("pensions"))).toBe("A003");
    expect(number(await o.counter("1", "call_next"))).toBe("A001");
    expect(core.day).toBe(WEDNESDAY);
    clock.set(T0 + 25 * HOUR); // forward again within Wednesday: nothing rolls
    expect(number(await o.issue("documents"))).toBe("C001");
    expect(core.day).toBe(WEDNESDAY);

    const audit = await checkInvariants(o);
    expect(audit.days).toEqual([TUESDAY, WEDNESDAY]);
    // Stamps never went back with the clock (the audit checks every event against the one before).
    expect(audit.records.at(-1)?.ts).toBeGreaterThanOrEqual(T0 + 24 * HOUR);
  });

  it("untrusted after a reboot with the clock ahead: no rollover, no tickets, calls go on; synchronised, the day rolls at once", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "vooru-faults-clock-"));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const clock = jumpingClock(T0);
    const tuesday = await OfficeUnderTest.start({ dataDir, clock: clock.now });
    for (const counter of ["1", "2"]) expect((await tuesday.counter(counter, "open")).ok).toBe(true);
    for (const service of ["pensions", "pensions", "benefits"])
      expect((await tuesday.issue(service)).ok).toBe(true);
    await checkInvariants(tuesday);
    await tuesday.stop();

    // The Pi boots with its clock a day ahead (a stale fake-hwclock, a wrong RTC) and no NTP yet.
    clock.set(T0 + 24 * HOUR + 30 * 60_000);
    let sync: ClockSyncState = "unsynchronised";
    let mono = 0;
    const o = await OfficeUnderTest.start({
      dataDir,
      clock: clock.now,
      monotonic: () => mono,
      clockSync: { name: "test", check: async () => sync },
      config: faultConfig({ clock: { requireSync: "always", graceSeconds: 3600 } }),
    });
    cleanups.push(() => o.stop());
    // Tuesday's paper came out of the printer of the office before the reboot (checked above).
    for (const [id, { printer: _printer, ...t }] of tuesday.ledger.tickets) o.ledger.tickets.set(id, t);
    for (const [id, c] of tuesday.ledger.counters) o.ledger.counters.set(id, c);
    const core = o.office.queue.core;
    const lastTuesdayStamp = [...core.view.tickets.values()].at(-1)?.issuedAt ?? 0;
    expect(core.day).toBe(TUESDAY);
    expect(o.office.health.activeAlerts().map((a) => `${a.device}:${a.code}`)).toContain(
      "clock:CLOCK_UNSYNCHRONISED",
    );
    expect(await o.issue("pensions")).toMatchObject({ ok: false, error: { code: "CLOCK_UNSYNCHRONISED" } });
    expect(await o.press("1")).toMatchObject({ outcome: "print_failed" });
    // Counters serve Tuesday's queue, stamped from the last event on by the monotonic clock.
    mono += 5 * 60_000;
    expect(number(await o.counter("1", "call_next"))).toBe("A001");
    const called = core.ticket("A001")?.calledAt ?? 0;
    expect(called).toBeGreaterThanOrEqual(lastTuesdayStamp);
    expect(called).toBeLessThan(T0 + 2 * HOUR);
    expect(core.day).toBe(TUESDAY);

    sync = "synchronised"; // NTP answers: the clock was right after all, it is Wednesday
    await until(() => core.day === WEDNESDAY, "the day rolled over once the clock is trusted");
    dayEnded(o.ledger);
    expect(number(await o.issue("pensions"))).toBe("A001");
    expect(await o.press("1")).toMatchObject({ outcome: "issued", ticket: "B001" });
    const audit = await checkInvariants(o);
    expect(audit.days).toEqual([TUESDAY, WEDNESDAY]);
    const expired = audit.records.find((e) => e.type === "day_ended");
    expect(expired).toMatchObject({ day: TUESDAY });
    expect((expired as { expired: string[] }).expired).toHaveLength(3);
  });
});
