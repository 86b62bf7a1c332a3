import { describe, expect, it } from "vitest";
import { businessDay, isOpenAt, localTime } from "../../../../controller/queue/core/calendar.js";
import { QueueCore } from "../../../../controller/queue/core/queue.js";
import { expectOk, issuePrinted, MINUTE, officeConfig, openOffice, T0 } from "../../../support/office.js";

const HOUR = 60 * MINUTE;

describe("numbering", () => {
  it("prefix and zero padding from the range", () => {
    const core = openOffice();
    issuePrinted(core, "pensions", T0);
    issuePrinted(core, "pensions", T0);
    issuePrinted(core, "benefits", T0);
    expect(core.openTickets().map((t) => t.number)).toEqual(["A001", "A002", "B001"]);
    expect(core.serviceView("pensions", T0)?.nextNumber).toBe("A003");
  });

  it("wraps at the end of the range, skipping numbers still open", () => {
    const core = openOffice(); // documents: C001..C005
    for (let i = 0; i < 5; i++) issuePrinted(core, "documents", T0);
    // C002 and C004 leave the queue; the others stay open.
    expectOk(core.execute({ type: "call", counter: "3", ticket: "C002" }, T0));
    expectOk(core.execute({ type: "no_show", counter: "3" }, T0));
    expectOk(core.execute({ type: "cancel", ticket: "C004", reason: "left" }, T0));
    issuePrinted(core, "documents", T0);
    issuePrinted(core, "documents", T0);
    const open = core.openTickets().filter((t) => t.service === "documents");
    expect(open.map((t) => [t.id, t.number])).toEqual([
      ["2026-11-24-C001", "C001"],
      ["2026-11-24-C003", "C003"],
      ["2026-11-24-C005", "C005"],
      ["2026-11-24-C002-2", "C002"],
      ["2026-11-24-C004-2", "C004"],
    ]);
    // "C002" now names the open ticket, not the closed one of the same number.
    expect(core.ticket("C002")?.id).toBe("2026-11-24-C002-2");
    const full = core.execute({ type: "issue", service: "documents" }, T0);
    expect(full).toMatchObject({ ok: false, error: { code: "RANGE_EXHAUSTED" } });
  });

  it("a void number is not reused until the range wraps", () => {
    const core = openOffice();
    expectOk(core.execute({ type: "issue", service: "pensions" }, T0));
    expectOk(core.execute({ type: "fail_print", ticket: "A001", reason: "cover_open" }, T0));
    issuePrinted(core, "pensions", T0);
    expect(core.ticket("A002")?.state).toBe("waiting");
  });
});

describe("business days", () => {
  it("the day changes at the configured local reset time", () => {
    const tz = "Europe/Tallinn";
    // 2026-11-25 01:59 UTC = 03:59 Tallinn: still the 24th with a 04:00 reset.
    expect(businessDay(Date.UTC(2026, 10, 25, 1, 59), tz, "04:00")).toBe("2026-11-24");
    expect(businessDay(Date.UTC(2026, 10, 25, 2, 0), tz, "04:00")).toBe("2026-11-25");
    expect(businessDay(Date.UTC(2026, 10, 25, 2, 0), tz, "00:00")).toBe("2026-11-25");
    // Summer time: UTC+3.
    expect(businessDay(Date.UTC(2026, 6, 1, 0, 59), tz, "04:00")).toBe("2026-06-30");
    expect(businessDay(Date.UTC(2026, 6, 1, 1, 0), tz, "04:00")).toBe("2026-07-01");
    expect(localTime(Date.UTC(2026, 6, 1, 1, 0), tz)).toEqual({
      date: "2026-07-01",
      weekday: "wed",
      minutes: 240,
    });
  });

  it("DST: a reset in the autumn's repeated hour happens once; one in spring's skipped hour still happens", () => {
    const config = officeConfig({ office: { id: "t", name: { en: "T" }, dailyReset: "03:30" } });
    const core = QueueCore.fromConfig(config);
    // 2026-10-25: Tallinn goes from 04:00 EEST back to 03:00 EET at 01:00 UTC.
    const firstPass = Date.UTC(2026, 9, 25, 0, 30); // 03:30 EEST
    const secondPass = Date.UTC(2026, 9, 25, 1, 15); // 03:15 EET, again before 03:30
    core.applyBodies(core.rollover(Date.UTC(2026, 9, 24, 12, 0)), Date.UTC(2026, 9, 24, 12, 0));
    expect(core.day).toBe("2026-10-24");
    core.applyBodies(core.rollover(firstPass), firstPass);
    expect(core.day).toBe("2026-10-25");
    expect(core.rollover(secondPass)).toEqual([]);
    // 2026-03-29: 03:00 EET jumps to 04:00 EEST at 01:00 UTC; 03:30 never happens on the wall.
    const spring = QueueCore.fromConfig(config);
    spring.applyBodies(spring.rollover(Date.UTC(2026, 2, 28, 12, 0)), 0);
    expect(spring.rollover(Date.UTC(2026, 2, 29, 0, 59))).toEqual([]); // 02:59 EET
    expect(spring.rollover(Date.UTC(2026, 2, 29, 1, 0))).toMatchObject([
      { type: "day_ended", day: "2026-03-28" },
      { type: "day_started", day: "2026-03-29" },
    ]);
  });

  it("day end expires open tickets, counts them, closes counters, and restarts numbering", () => {
    const core = openOffice();
    issuePrinted(core, "pensions", T0);
    issuePrinted(core, "pensions", T0);
    expectOk(core.execute({ type: "issue", service: "benefits" }, T0)); // print pending at day end
    expectOk(core.execute({ type: "call_next", counter: "1" }, T0));
    const nextDay = T0 + 24 * HOUR;
    const rolled = expectOk(core.execute({ type: "open", counter: "1" }, nextDay));
    expect(rolled.events.map((e) => e.type)).toEqual(["day_ended", "day_started", "counter_opened"]);
    expect(rolled.events[0]).toMatchObject({
      day: "2026-11-24",
      expired: ["2026-11-24-A001", "2026-11-24-A002", "2026-11-24-B001"],
    });
    expect(core.view.history).toEqual([
      { day: "2026-11-24", issued: 2, finished: 0, noShows: 0, cancelled: 0, voided: 0, expired: 3 },
    ]);
    expect(core.view.counters.get("2")?.status).toBe("closed");
    expect(core.openTickets()).toEqual([]);
    issuePrinted(core, "pensions", nextDay);
    expect(core.ticket("A001")?.id).toBe("2026-11-25-A001");
  });

  it("a clock set back does not move the day backwards", () => {
    const core = openOffice();
    expect(core.rollover(T0 - 3 * 24 * HOUR)).toEqual([]);
    issuePrinted(core, "pensions", T0 - 3 * 24 * HOUR);
    expect(core.ticket("A001")?.id).toBe("2026-11-24-A001");
  });

  it("commands are refused until the day is started", () => {
    const core = QueueCore.fromConfig(officeConfig());
    expect(core.decide({ type: "issue", service: "pensions" }, T0)).toMatchObject({
      ok: false,
      error: { code: "INVALID_STATE" },
    });
  });
});

describe("opening hours", () => {
  const hours = { mon: ["08:30-12:00", "13:00-17:00"], sat: ["10:00-14:00"] };
  const at = (iso: string) => Date.parse(iso);
  it("open inside an interval, closed outside, on other days and at the closing minute", () => {
    const tz = "Europe/Tallinn";
    expect(isOpenAt(hours, at("2026-11-23T08:30:00+02:00"), tz)).toBe(true);
    expect(isOpenAt(hours, at("2026-11-23T08:29:00+02:00"), tz)).toBe(false);
    expect(isOpenAt(hours, at("2026-11-23T12:30:00+02:00"), tz)).toBe(false);
    expect(isOpenAt(hours, at("2026-11-23T16:59:00+02:00"), tz)).toBe(true);
    expect(isOpenAt(hours, at("2026-11-23T17:00:00+02:00"), tz)).toBe(false);
    expect(isOpenAt(hours, at("2026-11-24T10:00:00+02:00"), tz)).toBe(false);
    expect(isOpenAt(hours, at("2026-11-28T11:00:00+02:00"), tz)).toBe(true);
    expect(isOpenAt(undefined, at("2026-11-29T03:00:00+02:00"), tz)).toBe(true);
    expect(isOpenAt({ sun: ["00:00-24:00"] }, at("2026-11-29T23:59:00+02:00"), tz)).toBe(true);
  });
});
