// The manager's figures over ticket facts: counts by outcome, waiting, walking and service times,
// the service level against each service's target, and the waiting-time distribution. Pure:
// every definition is in docs/statistics.md, with the events it comes from.
import type { z } from "zod";
import type { FiguresPayload, timeFiguresSchema } from "../../protocols/mqtt/stats-schemas.js";
import type { TicketFact } from "./day-record.js";

export type TimeFigures = z.infer<typeof timeFiguresSchema>;
export type Figures = FiguresPayload;

export const WAIT_BUCKET_MINUTES = 5;
export const WAIT_BUCKETS = 13;

/** Labels of the waiting-time buckets: "0-5", "5-10", ..., "60+". */
export function waitBucketLabels(): string[] {
  return Array.from({ length: WAIT_BUCKETS }, (_, i) =>
    i === WAIT_BUCKETS - 1
      ? `${i * WAIT_BUCKET_MINUTES}+`
      : `${i * WAIT_BUCKET_MINUTES}-${(i + 1) * WAIT_BUCKET_MINUTES}`,
  );
}

const round2 = (x: number) => Math.round(x * 100) / 100;

function percent(part: number, whole: number): number | null {
  return whole === 0 ? null : round2((100 * part) / whole);
}

/** Nearest-rank percentile of sorted values: the smallest value with at least p % at or below it. */
export function nearestRank(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? null;
}

function timeFigures(ms: number[]): TimeFigures {
  if (ms.length === 0) return { count: 0, mean: null, p50: null, p90: null, max: null };
  ms.sort((a, b) => a - b);
  let sum = 0;
  for (const v of ms) sum += v;
  const minutes = (v: number | null) => (v === null ? null : round2(v / 60_000));
  return {
    count: ms.length,
    mean: minutes(sum / ms.length),
    p50: minutes(nearestRank(ms, 50)),
    p90: minutes(nearestRank(ms, 90)),
    max: minutes(ms[ms.length - 1] ?? null),
  };
}

/** Waiting time of a ticket: arrival to first call; null when it does not count (never called, reissued). */
export function waitMs(ticket: TicketFact): number | null {
  if (!ticket.printed || ticket.outcome === "reissued" || ticket.firstCalledAt === undefined) return null;
  return Math.max(0, ticket.firstCalledAt - ticket.arrivedAt);
}

export function computeFigures(
  tickets: Iterable<TicketFact>,
  targetMinutes: (service: string) => number,
): Figures {
  const f = {
    issued: 0,
    served: 0,
    noShows: 0,
    cancelled: 0,
    reissued: 0,
    transferred: 0,
    parked: 0,
    recalled: 0,
    expired: 0,
    open: 0,
    voided: 0,
    withinTarget: 0,
    overTarget: 0,
  };
  const waits: number[] = [];
  const walks: number[] = [];
  const services: number[] = [];
  const buckets = new Array<number>(WAIT_BUCKETS).fill(0);
  for (const t of tickets) {
    if (!t.printed) {
      if (t.outcome === "void") f.voided++;
      continue;
    }
    f.issued++;
    switch (t.outcome) {
      case "served":
        f.served++;
        break;
      case "no_show":
        f.noShows++;
        break;
      case "cancelled":
        f.cancelled++;
        break;
      case "reissued":
        f.reissued++;
        break;
      case "expired":
        f.expired++;
        break;
      case "open":
        f.open++;
        break;
      case "void":
        break;
    }
    if (t.transfers > 0) f.transferred++;
    if (t.parks > 0) f.parked++;
    if (t.recalls > 0) f.recalled++;
    const wait = waitMs(t);
    if (wait !== null) {
      waits.push(wait);
      if (wait <= targetMinutes(t.service) * 60_000) f.withinTarget++;
      else f.overTarget++;
      const bucket = Math.min(WAIT_BUCKETS - 1, Math.floor(wait / (WAIT_BUCKET_MINUTES * 60_000)));
      buckets[bucket] = (buckets[bucket] ?? 0) + 1;
    }
    if (t.walkMs !== undefined && t.outcome !== "reissued") walks.push(t.walkMs);
    if (t.serviceMs !== undefined && t.outcome === "served") services.push(t.serviceMs);
  }
  return {
    issued: f.issued,
    served: f.served,
    noShows: f.noShows,
    noShowPercent: percent(f.noShows, f.issued),
    cancelled: f.cancelled,
    reissued: f.reissued,
    reissuedPercent: percent(f.reissued, f.issued),
    transferred: f.transferred,
    parked: f.parked,
    recalled: f.recalled,
    expired: f.expired,
    open: f.open,
    voided: f.voided,
    waitMinutes: timeFigures(waits),
    walkMinutes: timeFigures(walks),
    serviceMinutes: timeFigures(services),
    withinTarget: f.withinTarget,
    overTarget: f.overTarget,
    serviceLevelPercent: percent(f.withinTarget, f.withinTarget + f.overTarget),
    waitBuckets: buckets,
  };
}
