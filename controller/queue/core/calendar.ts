// Local wall-clock arithmetic in the office's time zone, with the platform's IANA data (Intl).
// Business days are derived from the wall clock, so DST changes need no special cases; the core
// additionally never lets the day go backwards (clock set back, or the repeated hour in autumn).
import type { Weekday } from "../../config/schema.js";

export interface LocalTime {
  /** "YYYY-MM-DD" */
  date: string;
  weekday: Weekday;
  /** Minutes since local midnight, 0..1439. */
  minutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      weekday: "short",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

const WEEKDAY_BY_SHORT: Record<string, Weekday> = {
  Mon: "mon",
  Tue: "tue",
  Wed: "wed",
  Thu: "thu",
  Fri: "fri",
  Sat: "sat",
  Sun: "sun",
};

/** The last answer per zone: commands come in bursts within one minute (rollover check, hours). */
const lastLocal = new Map<string, { minute: number; local: LocalTime }>();

export function localTime(epochMs: number, timeZone: string): LocalTime {
  // Zone offsets are whole minutes, so the local time is the same throughout a UTC minute.
  const minute = Math.floor(epochMs / 60_000);
  const cached = lastLocal.get(timeZone);
  if (cached?.minute === minute) return cached.local;
  const local = computeLocalTime(epochMs, timeZone);
  lastLocal.set(timeZone, { minute, local });
  return local;
}

function computeLocalTime(epochMs: number, timeZone: string): LocalTime {
  const parts: Record<string, string> = {};
  for (const p of formatterFor(timeZone).formatToParts(new Date(epochMs))) parts[p.type] = p.value;
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: WEEKDAY_BY_SHORT[parts.weekday ?? ""] ?? "mon",
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

/** "HH:MM" -> minutes since midnight ("24:00" -> 1440). */
export function parseHhmm(hhmm: string): number {
  const [h, m] = hhmm.split(":");
  return Number(h) * 60 + Number(m);
}

/** The calendar day before "YYYY-MM-DD". */
export function previousDate(date: string): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10);
}

/**
 * The business day a moment belongs to: the local date, or the day before while the local time is
 * still before the daily reset (a 04:00 reset puts 02:30 on Tuesday into Monday's queue).
 */
export function businessDay(epochMs: number, timeZone: string, dailyReset: string): string {
  const local = localTime(epochMs, timeZone);
  return local.minutes < parseHhmm(dailyReset) ? previousDate(local.date) : local.date;
}

export type OpeningHours = Partial<Record<Weekday, string[] | undefined>>;

/** Whether a service with these hours is open at a moment; no hours means always open. */
export function isOpenAt(hours: OpeningHours | undefined, epochMs: number, timeZone: string): boolean {
  if (!hours) return true;
  const local = localTime(epochMs, timeZone);
  for (const interval of hours[local.weekday] ?? []) {
    const [from, to] = interval.split("-") as [string, string];
    if (local.minutes >= parseHhmm(from) && local.minutes < parseHhmm(to)) return true;
  }
  return false;
}
