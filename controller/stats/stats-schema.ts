// The statistics part of the office configuration: service-level targets, live threshold alerts
// and how long the history is kept.
import { z } from "zod";

const minutes = (what: string) =>
  z
    .number()
    .positive()
    .max(24 * 60)
    .describe(what);

/** Live thresholds of one service (each absent = not watched). */
export const serviceThresholdsSchema = z.strictObject({
  longestWaitMinutes: minutes(
    "Alert when the longest-waiting ticket has waited longer than this.",
  ).optional(),
  waitingMoreThan: z
    .number()
    .int()
    .min(1)
    .max(100_000)
    .optional()
    .describe("Alert when more tickets than this are waiting."),
  noOpenCounterMinutes: z
    .number()
    .min(0)
    .max(24 * 60)
    .optional()
    .describe(
      "Alert when tickets have waited this long while no open counter serves the service (0: at once).",
    ),
});

export const thresholdsSchema = serviceThresholdsSchema
  .extend({
    counterPausedMinutes: minutes("Alert when a counter has been paused longer than this.").optional(),
  })
  .describe("Office-wide thresholds; a service's own thresholds override them key by key.");

export const statsSchema = z.preprocess(
  (value) => value ?? undefined,
  z
    .strictObject({
      targetWaitMinutes: minutes(
        "Service level target: the share of called tickets that waited at most this (a service's targetWaitMinutes overrides it).",
      ).default(15),
      thresholds: thresholdsSchema.default({}),
      keepJournalDays: z
        .number()
        .int()
        .min(7)
        .max(10_000)
        .default(400)
        .describe("Days the journal itself is kept; older days live on as their daily summary."),
      keepSummaryDays: z
        .number()
        .int()
        .min(7)
        .max(100_000)
        .default(3660)
        .describe("Days a daily summary (a few tens of kB each) is kept."),
      publishSeconds: z
        .number()
        .min(1)
        .max(3600)
        .default(10)
        .describe("stats/today is republished at most this often while tickets move."),
    })
    .default({
      targetWaitMinutes: 15,
      thresholds: {},
      keepJournalDays: 400,
      keepSummaryDays: 3660,
      publishSeconds: 10,
    })
    .describe("Figures for the manager (/stats, vooru report, stats/ topics) and live threshold alerts."),
);

export type StatsConfig = z.infer<typeof statsSchema>;
export type ServiceThresholds = z.infer<typeof serviceThresholdsSchema>;
export type Thresholds = z.infer<typeof thresholdsSchema>;
