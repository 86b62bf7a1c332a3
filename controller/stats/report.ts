// A report over a range of days: the totals, the figures grouped one way or several, each
// counter's time, and the day's 15-minute intervals (arrivals against counters open, for
// staffing). Pure over day records, so the page, `vooru report` and stats/today agree.

import type { z } from "zod";
import {
  type counterTimeSchema,
  type groupRowSchema,
  type intervalRowSchema,
  type ReportPayload,
  STATS_GROUPINGS,
  type StatsGrouping,
} from "../../protocols/mqtt/stats-schemas.js";
import type { OfficeConfig } from "../config/schema.js";
import { localTime } from "../queue/core/calendar.js";
import type { BusySpan, CounterSpan, DayRecord, TicketFact } from "./day-record.js";
import { FiguresAccumulator, waitMs } from "./figures.js";

export const GROUPINGS = STATS_GROUPINGS;
export type Grouping = StatsGrouping;
export type GroupRow = z.infer<typeof groupRowSchema>;
export type CounterTime = z.infer<typeof counterTimeSchema>;
export type IntervalRow = z.infer<typeof intervalRowSchema>;
export type Report = ReportPayload;

/** The longest range one report may cover. */
export const MAX_REPORT_DAYS = 400;

/** The group of a ticket that has none in a grouping: never called (counter), not recorded (staff). */
export const NO_GROUP = "-";

export interface ReportOptions {
  office: string;
  from: string;
  to: string;
  timeZone: string;
  targetMinutes: (service: string) => number;
  groupings: readonly Grouping[];
  now: number;
}

const INTERVAL_MS = 15 * 60_000;
const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
const round2 = (x: number) => Math.round(x * 100) / 100;

/** Local minute of the day, with the day's UTC offset worked out once (per ticket only across a DST change). */
function minuteOfDayFor(record: DayRecord, timeZone: string): (ts: number) => number {
  const offsetAt = (ts: number) => {
    const local = localTime(ts, timeZone).minutes;
    const utc = Math.floor(ts / 60_000) % 1440;
    return (((local - utc) % 1440) + 1440) % 1440;
  };
  const offset = offsetAt(record.from);
  if (offsetAt(record.to) !== offset) return (ts) => localTime(ts, timeZone).minutes;
  return (ts) => (Math.floor(ts / 60_000) + offset) % 1440;
}

const hhmm = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;

export function weekdayOf(day: string): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return WEEKDAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()] as string;
}

/**
 * A report built one day at a time: each day's tickets go into the groups' accumulators and the
 * day can be dropped, so a year of days is never in memory at once.
 */
export class ReportBuilder {
  private readonly totals: FiguresAccumulator;
  private readonly groups = new Map<Grouping, Map<string, FiguresAccumulator>>();
  private readonly days: string[] = [];
  private readonly counterMs = new Map<string, CounterTime>();
  private readonly slots: Slots = {
    arrivals: new Array<number>(96).fill(0),
    waitSum: new Array<number>(96).fill(0),
    waitCount: new Array<number>(96).fill(0),
    openMs: new Array<number>(96).fill(0),
  };

  constructor(private readonly options: ReportOptions) {
    this.totals = new FiguresAccumulator(options.targetMinutes);
    for (const grouping of options.groupings) this.groups.set(grouping, new Map());
  }

  add(record: DayRecord): void {
    const { options } = this;
    if (record.day < options.from || record.day > options.to) return;
    this.days.push(record.day);
    const minuteOf = minuteOfDayFor(record, options.timeZone);
    const weekday = weekdayOf(record.day);
    for (const ticket of record.tickets) {
      this.totals.add(ticket);
      for (const [grouping, groups] of this.groups) {
        const key = groupKey(grouping, ticket, record.day, weekday, minuteOf);
        let acc = groups.get(key);
        if (!acc) {
          acc = new FiguresAccumulator(options.targetMinutes);
          groups.set(key, acc);
        }
        acc.add(ticket);
      }
    }
    for (const row of counterTimesOf(record)) {
      const t = this.counterMs.get(row.counter);
      if (!t) this.counterMs.set(row.counter, row);
      else {
        t.openMinutes += row.openMinutes;
        t.pausedMinutes += row.pausedMinutes;
        t.servingMinutes += row.servingMinutes;
        t.idleMinutes += row.idleMinutes;
        t.served += row.served;
      }
    }
    addIntervals(record, minuteOf, this.slots);
  }

  build(): Report {
    const { options } = this;
    const groups: Partial<Record<Grouping, GroupRow[]>> = {};
    for (const [grouping, map] of this.groups)
      groups[grouping] = [...map.entries()]
        .sort(([a], [b]) => compareKeys(grouping, a, b))
        .map(([key, acc]) => ({ key, ...acc.result() }));
    return {
      office: options.office,
      from: options.from,
      to: options.to,
      days: [...this.days].sort(),
      generatedAt: new Date(options.now).toISOString(),
      totals: this.totals.result(),
      groups,
      counters: [...this.counterMs.values()]
        .sort((a, b) => a.counter.localeCompare(b.counter, "en", { numeric: true }))
        .map((t) => ({
          ...t,
          openMinutes: round2(t.openMinutes / 60_000),
          pausedMinutes: round2(t.pausedMinutes / 60_000),
          servingMinutes: round2(t.servingMinutes / 60_000),
          idleMinutes: round2(t.idleMinutes / 60_000),
        })),
      intervals: intervalRows(this.slots, this.days.length),
    };
  }
}

export function buildReport(records: readonly DayRecord[], options: ReportOptions): Report {
  const builder = new ReportBuilder(options);
  for (const record of records) builder.add(record);
  return builder.build();
}

function groupKey(
  grouping: Grouping,
  ticket: TicketFact,
  day: string,
  weekday: string,
  minuteOf: (ts: number) => number,
): string {
  switch (grouping) {
    case "service":
      return ticket.service;
    case "counter":
      return ticket.counter ?? NO_GROUP;
    case "staff":
      return ticket.staff ?? NO_GROUP;
    case "booking":
      return ticket.appointmentAt !== undefined ? "appointment" : "walk_in";
    case "day":
      return day;
    case "weekday":
      return weekday;
    case "hour":
      return hhmm(Math.floor(minuteOf(ticket.arrivedAt) / 60) * 60);
    case "interval":
      return hhmm(Math.floor(minuteOf(ticket.arrivedAt) / 15) * 15);
  }
}

function compareKeys(grouping: Grouping, a: string, b: string): number {
  if (grouping === "weekday") {
    const order = (k: string) => (WEEKDAYS.indexOf(k as (typeof WEEKDAYS)[number]) + 6) % 7;
    return order(a) - order(b);
  }
  if (a === NO_GROUP || b === NO_GROUP) return a === b ? 0 : a === NO_GROUP ? 1 : -1;
  return a.localeCompare(b, "en", { numeric: true });
}

/** Overlap in ms of two lists of non-overlapping spans, each in time order. */
function overlapMs(a: readonly { from: number; to: number }[], b: readonly { from: number; to: number }[]) {
  let total = 0;
  let j = 0;
  for (const span of a) {
    while (j < b.length && (b[j] as { to: number }).to <= span.from) j++;
    for (let k = j; k < b.length && (b[k] as { from: number }).from < span.to; k++) {
      const other = b[k] as { from: number; to: number };
      total += Math.max(0, Math.min(span.to, other.to) - Math.max(span.from, other.from));
    }
  }
  return total;
}

/** Each counter's times in one day, in ms (the builder sums them and converts to minutes). */
function counterTimesOf(record: DayRecord): CounterTime[] {
  const byCounter = new Map<string, { spans: CounterSpan[]; busy: BusySpan[]; served: number }>();
  const entry = (counter: string) => {
    let e = byCounter.get(counter);
    if (!e) {
      e = { spans: [], busy: [], served: 0 };
      byCounter.set(counter, e);
    }
    return e;
  };
  for (const span of record.counters) entry(span.counter).spans.push(span);
  for (const span of record.busy) entry(span.counter).busy.push(span);
  for (const t of record.tickets) if (t.outcome === "served" && t.counter) entry(t.counter).served++;
  const sum = (spans: readonly { from: number; to: number }[]) =>
    spans.reduce((acc, s) => acc + (s.to - s.from), 0);
  return [...byCounter].map(([counter, e]) => {
    const open = e.spans.filter((s) => s.status === "open").sort((x, y) => x.from - y.from);
    const busy = [...e.busy].sort((x, y) => x.from - y.from);
    const openMs = sum(open);
    return {
      counter,
      openMinutes: openMs,
      pausedMinutes: sum(e.spans.filter((s) => s.status === "paused")),
      servingMinutes: busy.reduce((acc, s) => acc + (s.startedAt === undefined ? 0 : s.to - s.startedAt), 0),
      idleMinutes: openMs - overlapMs(open, busy),
      served: e.served,
    };
  });
}

interface Slots {
  arrivals: number[];
  waitSum: number[];
  waitCount: number[];
  openMs: number[];
}

function addIntervals(record: DayRecord, minuteOf: (ts: number) => number, slots: Slots): void {
  const { arrivals, waitSum, waitCount, openMs } = slots;
  for (const t of record.tickets) {
    // A reissued ticket's customer arrives once: the replacement carries the arrival.
    if (!t.printed || t.outcome === "reissued") continue;
    const slot = Math.floor(minuteOf(t.arrivedAt) / 15);
    arrivals[slot] = (arrivals[slot] ?? 0) + 1;
    const wait = waitMs(t);
    if (wait !== null) {
      waitSum[slot] = (waitSum[slot] ?? 0) + wait;
      waitCount[slot] = (waitCount[slot] ?? 0) + 1;
    }
  }
  for (const span of record.counters) {
    if (span.status !== "open") continue;
    // Walk the span in pieces that end at interval edges (local time of day).
    for (let at = span.from; at < span.to; ) {
      const minute = minuteOf(at);
      const slot = Math.floor(minute / 15);
      const intoSlot = (minute % 15) * 60_000 + (at % 60_000);
      const end = Math.min(span.to, at + INTERVAL_MS - intoSlot);
      openMs[slot] = (openMs[slot] ?? 0) + (end - at);
      at = end;
    }
  }
}

function intervalRows(slots: Slots, dayCount: number): IntervalRow[] {
  const { arrivals, waitSum, waitCount, openMs } = slots;
  const days = Math.max(1, dayCount);
  const rows: IntervalRow[] = [];
  for (let slot = 0; slot < 96; slot++) {
    if ((arrivals[slot] ?? 0) === 0 && (openMs[slot] ?? 0) === 0) continue;
    const count = waitCount[slot] ?? 0;
    rows.push({
      interval: hhmm(slot * 15),
      arrivals: round2((arrivals[slot] ?? 0) / days),
      meanWaitMinutes: count === 0 ? null : round2((waitSum[slot] ?? 0) / count / 60_000),
      countersOpen: round2((openMs[slot] ?? 0) / INTERVAL_MS / days),
    });
  }
  return rows;
}

/** A service's service-level target: its own, else the office's. */
export function targetsOf(config: OfficeConfig): (service: string) => number {
  const own = new Map(config.services.map((s) => [s.id, s.targetWaitMinutes]));
  return (service) => own.get(service) ?? config.stats.targetWaitMinutes;
}

export function reportOptions(
  config: OfficeConfig,
  from: string,
  to: string,
  groupings: readonly Grouping[],
  now: number,
): ReportOptions {
  return {
    office: config.office.id,
    from,
    to,
    timeZone: config.office.timeZone,
    targetMinutes: targetsOf(config),
    groupings,
    now,
  };
}
