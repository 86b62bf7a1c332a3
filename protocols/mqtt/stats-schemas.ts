// The statistics of the contract: a report over a range of days (the reply to desk/request/report
// and the retained stats/today and stats/days/{date}). The figures' definitions are in
// docs/statistics.md.
import { z } from "zod";

/** booking: "appointment" (a checked-in booked visit) or "walk_in", so the two are counted apart. */
export const STATS_GROUPINGS = [
  "service",
  "counter",
  "staff",
  "booking",
  "day",
  "weekday",
  "hour",
  "interval",
] as const;
export type StatsGrouping = (typeof STATS_GROUPINGS)[number];

const minutes = z.number().nullable();
export const timeFiguresSchema = z.object({
  count: z.number().int().describe("tickets the time was measured on"),
  mean: minutes.describe("minutes; null when count is 0"),
  p50: minutes.describe("median, nearest rank"),
  p90: minutes.describe("90th percentile, nearest rank"),
  max: minutes,
});

export const figuresSchema = z.object({
  issued: z.number().int().describe("tickets printed (ticket_issued)"),
  served: z.number().int().describe("outcome: finished at a counter"),
  noShows: z.number().int().describe("outcome: called and did not come"),
  noShowPercent: z.number().nullable().describe("noShows of issued, %"),
  cancelled: z.number().int().describe("outcome: cancelled (not replaced)"),
  reissued: z.number().int().describe("outcome: a wrong ticket, replaced by one of another service"),
  reissuedPercent: z.number().nullable().describe("reissued of issued, %: the wrong-ticket rate"),
  transferred: z.number().int().describe("tickets transferred at least once"),
  parked: z.number().int().describe("tickets parked at least once"),
  recalled: z.number().int().describe("tickets recalled at least once"),
  expired: z.number().int().describe("outcome: still open at the day's end"),
  open: z.number().int().describe("still in the queue (a day not yet over)"),
  voided: z.number().int().describe("prints that failed; not in issued"),
  waitMinutes: timeFiguresSchema.describe("arrival to the first call"),
  walkMinutes: timeFiguresSchema.describe("the call to the start of service"),
  serviceMinutes: timeFiguresSchema.describe("start to finish of the visit that finished"),
  withinTarget: z.number().int().describe("called tickets that waited at most their service's target"),
  overTarget: z.number().int(),
  serviceLevelPercent: z.number().nullable().describe("withinTarget of the called tickets, %"),
  waitBuckets: z.array(z.number().int()).describe("waits in 5-minute buckets: 0-5, 5-10, ..., 60+"),
});
export type FiguresPayload = z.infer<typeof figuresSchema>;

export const groupRowSchema = figuresSchema.extend({
  key: z.string().describe('the group: a service or counter id, a day, "mon", "08:00"; "-" for none'),
});

export const counterTimeSchema = z.object({
  counter: z.string(),
  openMinutes: z.number(),
  pausedMinutes: z.number(),
  servingMinutes: z.number(),
  idleMinutes: z.number().describe("open with no ticket called to or served at it"),
  served: z.number().int(),
});

export const intervalRowSchema = z.object({
  interval: z.string().describe('local time the 15 minutes start, "08:15"'),
  arrivals: z
    .number()
    .describe(
      "customers who arrived (printed tickets, a reissue counted once), per day of the range on average",
    ),
  meanWaitMinutes: z.number().nullable(),
  countersOpen: z.number().describe("counters open on average, per day of the range"),
});

export const reportSchema = z.object({
  office: z.string(),
  from: z.string().describe("first business day, YYYY-MM-DD"),
  to: z.string().describe("last business day, YYYY-MM-DD"),
  days: z.array(z.string()).describe("days of the range that have any record"),
  generatedAt: z.string(),
  totals: figuresSchema,
  groups: z.partialRecord(z.enum(STATS_GROUPINGS), z.array(groupRowSchema)),
  counters: z.array(counterTimeSchema),
  intervals: z.array(intervalRowSchema),
});
export type ReportPayload = z.infer<typeof reportSchema>;

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD");
export const reportRequestFields = {
  from: date.describe("first business day"),
  to: date.describe("last business day (at most 400 days after from)"),
  groupings: z
    .array(z.enum(STATS_GROUPINGS))
    .max(STATS_GROUPINGS.length)
    .optional()
    .describe("the groupings to compute; default service, counter, day, hour and interval"),
};

// ------------------------------------------------------------------ the audit trail

export const AUDIT_ACTIONS = [
  "called",
  "recalled",
  "no_show",
  "transferred",
  "parked",
  "resumed",
  "cancelled",
  "reissued",
  "reprinted",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const auditRowSchema = z.object({
  at: z.string().describe("ISO time"),
  day: z.string().describe("business day, YYYY-MM-DD"),
  action: z.enum(AUDIT_ACTIONS),
  ticket: z.string().describe("the number the customer holds (A023)"),
  service: z.string().describe("the ticket's service when it happened"),
  by: z.string().nullable().describe("the staff user, as the broker authenticated them; null: not recorded"),
  counter: z.string().optional(),
  reason: z.string().optional().describe("cancelled, reissued: the reason given"),
  to: z.string().optional().describe("transferred: the service; reissued: the new ticket's number"),
});
export type AuditRow = z.infer<typeof auditRowSchema>;

export const auditSchema = z.object({
  from: z.string(),
  to: z.string(),
  rows: z.array(auditRowSchema).describe("oldest first"),
  truncated: z.boolean().describe("more rows than the limit: narrow the range or name a user"),
});
export type AuditPayload = z.infer<typeof auditSchema>;

export const auditRequestFields = {
  from: date.optional().describe("first business day; default today's"),
  to: date.optional().describe("last business day (at most 31 days after from); default from"),
  user: z
    .string()
    .regex(/^[A-Za-z0-9_.@-]{1,64}$/)
    .optional()
    .describe("only what this staff user did"),
  actions: z
    .array(z.enum(AUDIT_ACTIONS))
    .max(AUDIT_ACTIONS.length)
    .optional()
    .describe("default: all but called and recalled"),
};
