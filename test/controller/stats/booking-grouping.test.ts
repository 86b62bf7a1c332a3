// Booked visits counted apart from walk-ins (issue #17): the `booking` grouping of a report, from
// the journal's ticket_reserved.appointmentAt, kept in the packed daily summaries too.
import { describe, expect, it } from "vitest";
import type { QueueEvent } from "../../../controller/queue/core/types.js";
import { DayFold } from "../../../controller/stats/day-record.js";
import { packDay, unpackDay } from "../../../controller/stats/day-summaries.js";
import { buildReport } from "../../../controller/stats/report.js";

const T = Date.UTC(2026, 11, 7, 7, 0);
const MIN = 60_000;
let seq = 0;
const e = (ts: number, body: Record<string, unknown>) => ({ seq: ++seq, ts, ...body }) as QueueEvent;

function day(): DayFold {
  const fold = new DayFold("2026-12-07", T);
  const reserve = (ticket: string, number: string, at: number, appointmentAt?: number) => [
    e(at, {
      type: "ticket_reserved",
      ticket,
      number,
      numeric: 1,
      service: "pensions",
      priority: 0,
      arrivedAt: at,
      ...(appointmentAt !== undefined ? { appointmentAt } : {}),
    }),
    e(at, { type: "ticket_issued", ticket }),
  ];
  const events = [
    ...reserve("t1", "A001", T + 1 * MIN),
    ...reserve("t2", "A002", T + 2 * MIN, T + 10 * MIN),
    ...reserve("t3", "A003", T + 3 * MIN),
    e(T + 11 * MIN, { type: "ticket_called", ticket: "t2", counter: "1" }),
    e(T + 12 * MIN, { type: "ticket_called", ticket: "t1", counter: "2" }),
  ];
  for (const event of events) fold.apply(event);
  return fold;
}

const options = {
  office: "t",
  from: "2026-12-07",
  to: "2026-12-07",
  timeZone: "Europe/Tallinn",
  targetMinutes: () => 15,
  groupings: ["booking"] as const,
  now: T + 60 * MIN,
};

describe("the booking grouping", () => {
  it("counts checked-in appointments apart from walk-ins, with their own waits", () => {
    const report = buildReport([day().record(T + 60 * MIN)], { ...options, groupings: ["booking"] });
    const groups = Object.fromEntries((report.groups.booking ?? []).map((g) => [g.key, g]));
    expect(groups.appointment?.issued).toBe(1);
    expect(groups.walk_in?.issued).toBe(2);
    expect(groups.appointment?.waitMinutes.max).toBe(9);
    expect(groups.walk_in?.waitMinutes.max).toBe(11);
  });

  it("survives the packed summary, and an older summary without it reads as walk-ins", () => {
    const record = day().record(T + 60 * MIN);
    const back = unpackDay(packDay(record));
    expect(back.tickets.find((t) => t.number === "A002")?.appointmentAt).toBe(T + 10 * MIN);
    const old = packDay(record);
    for (const ticket of old.tickets) ticket.length = 17; // as written before appointments
    expect(unpackDay(old).tickets.every((t) => t.appointmentAt === undefined)).toBe(true);
  });
});
