// A day worked out by hand: every figure below was computed on paper from the commands, and the
// fold and the report must give exactly these numbers.
import { describe, expect, it } from "vitest";
import type { QueueCommand } from "../../../controller/queue/core/commands.js";
import { QueueCore } from "../../../controller/queue/core/queue.js";
import type { QueueEvent } from "../../../controller/queue/core/types.js";
import { DayFold, type DayRecord } from "../../../controller/stats/day-record.js";
import { buildReport, GROUPINGS, reportOptions } from "../../../controller/stats/report.js";

import { expectOk, MINUTE, officeConfig, T0 } from "../../support/office.js";

const config = officeConfig({
  services: [
    { id: "pensions", prefix: "A", names: { en: "Pensions" } },
    { id: "benefits", prefix: "B", names: { en: "Benefits" } },
    { id: "documents", prefix: "C", names: { en: "Documents" }, targetWaitMinutes: 30 },
  ],
});

/** Runs the day: [minutes after 09:00, command]; returns every event. */
function handDay(): { events: QueueEvent[]; ids: Record<string, string> } {
  const core = QueueCore.fromConfig(config);
  const events: QueueEvent[] = [];
  const ids: Record<string, string> = {};
  const run = (minute: number, command: QueueCommand) => {
    const result = expectOk(core.execute(command, T0 + minute * MINUTE));
    events.push(...result.events);
    return result.events;
  };
  const issue = (minute: number, service: string, name: string, print = true) => {
    const reserved = run(minute, { type: "issue", service }).at(-1) as { ticket: string };
    ids[name] = reserved.ticket;
    run(
      minute,
      print
        ? { type: "confirm_print", ticket: reserved.ticket }
        : { type: "fail_print", ticket: reserved.ticket, reason: "paper out" },
    );
  };
  for (const counter of ["1", "2", "3"]) run(0, { type: "open", counter });
  issue(0, "pensions", "A001");
  issue(2, "benefits", "B001");
  issue(3, "documents", "C001");
  issue(4, "pensions", "A002");
  issue(5, "documents", "C002");
  run(10, { type: "call", counter: "1", ticket: "A001" });
  run(11, { type: "start", counter: "1" });
  run(12, { type: "call", counter: "2", ticket: "B001" });
  run(13, { type: "recall", counter: "2" });
  run(14, { type: "call", counter: "3", ticket: "C001" });
  run(15, { type: "start", counter: "2" });
  run(16, { type: "no_show", counter: "3" });
  run(17, { type: "finish", counter: "1" });
  // The wrong topic: A002 becomes B002, keeping its 09:04 arrival.
  const reissued = run(18, { type: "reissue", ticket: "A002", service: "benefits" }).at(-1) as {
    ticket: string;
  };
  ids.B002 = reissued.ticket;
  run(18, { type: "confirm_print", ticket: reissued.ticket });
  run(20, { type: "transfer", counter: "2", service: "documents" });
  run(25, { type: "call", counter: "3", ticket: "B001" });
  run(26, { type: "start", counter: "3" });
  run(30, { type: "finish", counter: "3" });
  run(35, { type: "call", counter: "2", ticket: "C002" });
  run(36, { type: "park", counter: "2" });
  run(40, { type: "call", counter: "1", ticket: "B002" });
  run(41, { type: "start", counter: "1" });
  run(45, { type: "resume", ticket: "C002" });
  issue(50, "documents", "C003", false);
  run(50, { type: "finish", counter: "1" });
  run(50, { type: "pause", counter: "2" });
  run(60, { type: "close", counter: "1" });
  issue(60, "pensions", "A003");
  run(65, { type: "cancel", ticket: "A003", reason: "left" });
  run(70, { type: "open", counter: "2" });
  run(90, { type: "close", counter: "2" });
  run(90, { type: "close", counter: "3" });
  // The next morning's rollover ends the day: C002 is still waiting.
  events.push(...core.applyBodies(core.rollover(T0 + 24 * 60 * MINUTE), T0 + 24 * 60 * MINUTE));
  return { events, ids };
}

function foldDay(events: readonly QueueEvent[]): DayRecord {
  let fold: DayFold | null = null;
  const closed: DayRecord[] = [];
  for (const event of events) {
    if (event.type === "day_started") fold = new DayFold(event.day, event.ts);
    else if (fold) {
      fold.apply(event);
      if (event.type === "day_ended") closed.push(fold.record(event.ts));
    }
  }
  expect(closed).toHaveLength(1);
  return closed[0] as DayRecord;
}

const day = "2026-11-24";
const report = (record: DayRecord) =>
  buildReport([record], reportOptions(config, day, day, GROUPINGS, T0 + 2 * 24 * 60 * MINUTE));

describe("a day worked out by hand", () => {
  const { events } = handDay();
  const record = foldDay(events);
  const r = report(record);

  it("counts each ticket once by its outcome", () => {
    expect(r.totals).toMatchObject({
      issued: 7,
      served: 3,
      noShows: 1,
      noShowPercent: 14.29,
      cancelled: 1,
      reissued: 1,
      reissuedPercent: 14.29,
      transferred: 1,
      parked: 1,
      recalled: 1,
      expired: 1,
      open: 0,
      voided: 1,
    });
  });

  it("measures waits from arrival to the first call, walks and service times", () => {
    expect(r.totals.waitMinutes).toEqual({ count: 5, mean: 19.4, p50: 11, p90: 36, max: 36 });
    expect(r.totals.walkMinutes).toEqual({ count: 3, mean: 1.67, p50: 1, p90: 3, max: 3 });
    expect(r.totals.serviceMinutes).toEqual({ count: 3, mean: 6.33, p50: 6, p90: 9, max: 9 });
    // Documents has a 30-minute target: C002's 30 minutes are within it; B002's 36 are not.
    expect(r.totals).toMatchObject({ withinTarget: 4, overTarget: 1, serviceLevelPercent: 80 });
    expect(r.totals.waitBuckets).toEqual([0, 0, 3, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]);
  });

  it("groups by the service a ticket was issued for", () => {
    const byService = Object.fromEntries((r.groups.service ?? []).map((g) => [g.key, g]));
    expect(byService.pensions).toMatchObject({
      issued: 3,
      served: 1,
      reissued: 1,
      cancelled: 1,
      serviceLevelPercent: 100,
    });
    expect(byService.benefits).toMatchObject({
      issued: 2,
      served: 2,
      transferred: 1,
      serviceLevelPercent: 50,
    });
    expect(byService.documents).toMatchObject({
      issued: 2,
      noShows: 1,
      expired: 1,
      voided: 1,
      serviceLevelPercent: 100,
    });
  });

  it("groups by the last counter that called a ticket", () => {
    const byCounter = Object.fromEntries((r.groups.counter ?? []).map((g) => [g.key, g.issued]));
    expect(byCounter).toEqual({ "1": 2, "2": 1, "3": 2, "-": 2 });
  });

  it("gives each counter's open, paused, serving and idle time", () => {
    expect(r.counters).toEqual([
      { counter: "1", openMinutes: 60, pausedMinutes: 0, servingMinutes: 15, idleMinutes: 43, served: 2 },
      { counter: "2", openMinutes: 70, pausedMinutes: 20, servingMinutes: 5, idleMinutes: 61, served: 0 },
      { counter: "3", openMinutes: 90, pausedMinutes: 0, servingMinutes: 4, idleMinutes: 83, served: 1 },
    ]);
  });

  it("gives arrivals, waits and counters open per 15 minutes of local time", () => {
    const at = Object.fromEntries(r.intervals.map((i) => [i.interval, i]));
    expect(at["09:00"]).toEqual({ interval: "09:00", arrivals: 5, meanWaitMinutes: 19.4, countersOpen: 3 });
    expect(at["09:45"]).toMatchObject({ arrivals: 0, countersOpen: 2.33 });
    expect(at["10:00"]).toMatchObject({ arrivals: 1, meanWaitMinutes: null, countersOpen: 1.33 });
    expect(at["10:15"]).toMatchObject({ countersOpen: 2 });
    expect(at["10:30"]).toBeUndefined();
  });

  it("groups by day, weekday, hour and interval of arrival", () => {
    expect(r.groups.day?.map((g) => [g.key, g.issued])).toEqual([[day, 7]]);
    expect(r.groups.weekday?.map((g) => [g.key, g.issued])).toEqual([["tue", 7]]);
    expect(r.groups.hour?.map((g) => [g.key, g.issued])).toEqual([
      ["09:00", 6],
      ["10:00", 1],
    ]);
    expect(r.groups.staff?.map((g) => [g.key, g.issued])).toEqual([["-", 7]]);
  });

  it("a live record of the same day so far counts open tickets as open", () => {
    let fold: DayFold | null = null;
    for (const event of events) {
      if (event.ts > T0 + 20 * MINUTE) break;
      if (event.type === "day_started") fold = new DayFold(event.day, event.ts);
      else fold?.apply(event);
    }
    const live = report((fold as DayFold).record(T0 + 20 * MINUTE));
    // At 09:20: A001 served, C001 no-show, A002 reissued as B002; B001, B002, C002 open.
    expect(live.totals).toMatchObject({ issued: 6, served: 1, noShows: 1, reissued: 1, open: 3 });
  });
});
