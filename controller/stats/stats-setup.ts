// The statistics room: today's figures folded live from the queue's events (O(1) per event) and
// published on stats/today, each closed day compacted into its summary and published on
// stats/days/{day}, the desk's report requests over any range, the journal's retention, and
// the live threshold alerts.
import type { AuditAction, ReportPayload } from "../../protocols/mqtt/stats-schemas.js";
import type { OfficeTopics } from "../../protocols/mqtt/topics.js";
import type { OfficeConfig } from "../config/schema.js";
import type { HealthBoard } from "../health/health-board.js";
import type { Logger } from "../health/log.js";
import { businessDay } from "../queue/core/calendar.js";
import type { QueueEvent } from "../queue/core/types.js";
import type { DurableQueue } from "../queue/durable-queue.js";
import type { ActionResult, RequestArgs } from "../queue/queue-service.js";
import { MAX_AUDIT_DAYS, MAX_AUDIT_ROWS, readAuditTrail } from "./audit-trail.js";
import { DayFold } from "./day-record.js";
import { readSummary, summaryDays } from "./day-summaries.js";
import { addDays, applyRetention, compactClosedDays, daysBetween, forEachDayRecord } from "./history.js";
import { foldJournalDays } from "./journal-days.js";
import { buildReport, type Grouping, MAX_REPORT_DAYS, ReportBuilder, reportOptions } from "./report.js";
import { ThresholdWatch } from "./thresholds.js";

/** Closed days whose figures stay retained on stats/days/{day}. */
export const PUBLISHED_DAYS = 31;
const LIVE_GROUPINGS: readonly Grouping[] = ["service", "counter", "hour"];
const DEFAULT_GROUPINGS: readonly Grouping[] = ["service", "counter", "day", "hour", "interval"];

export interface StatsOptions {
  config: OfficeConfig;
  queue: DurableQueue;
  dataDir: string;
  health: HealthBoard;
  clock: () => number;
  log: Logger;
  /** Retained publish through the bridge (publishExtra). */
  publish(topic: string, body: object | null): void;
  topics: Pick<OfficeTopics, "statsToday" | "statsDay">;
}

export interface StatsSetup {
  /** Answers desk/request/report. */
  report(args: RequestArgs): Promise<ActionResult>;
  /** Answers desk/request/audit. */
  audit(args: RequestArgs): Promise<ActionResult>;
  /** Today's figures as they stand. */
  today(): ReportPayload | null;
  /** Resolves when the compaction and retention started so far are done (tests). */
  settled(): Promise<void>;
  stop(): void;
}

export function setupStats(options: StatsOptions): StatsSetup {
  const { config, queue, dataDir, clock, log, topics } = options;
  const settings = config.stats;
  const thresholds = new ThresholdWatch({ config, health: options.health });
  let fold: DayFold | null = null;
  let lastSeq = 0;
  const day = queue.core.day;
  if (day !== null) {
    // Today so far, from the journal; live events continue it.
    const folded = foldJournalDays(dataDir, day, day);
    fold = folded.open;
    lastSeq = folded.lastSeq;
  }
  let background: Promise<void> = Promise.resolve();
  let stopped = false;
  const inBackground = (what: string, work: () => Promise<void>) => {
    background = background
      .then(work)
      .catch((error) =>
        log.warn(`statistics: ${what} failed, will retry at the next day's end: ${(error as Error).message}`),
      );
  };

  const todayReport = (): ReportPayload | null => {
    if (!fold) return null;
    const now = queue.now();
    return buildReport([fold.record(now)], reportOptions(config, fold.day, fold.day, LIVE_GROUPINGS, now));
  };

  // stats/today at most every publishSeconds while tickets move.
  let publishTimer: NodeJS.Timeout | null = null;
  let lastPublished = 0;
  const publishToday = () => {
    publishTimer = null;
    if (stopped) return;
    lastPublished = clock();
    const report = todayReport();
    if (report) options.publish(topics.statsToday, report);
  };
  const schedulePublish = () => {
    if (publishTimer !== null || stopped) return;
    const wait = Math.max(0, lastPublished + settings.publishSeconds * 1000 - clock());
    publishTimer = setTimeout(publishToday, wait);
    publishTimer.unref();
  };

  const publishDay = async (day: string) => {
    const record = await readSummary(dataDir, day);
    const now = clock();
    options.publish(
      topics.statsDay(day),
      buildReport([record], reportOptions(config, day, day, LIVE_GROUPINGS, now)),
    );
  };
  const compact = () =>
    inBackground("compacting the journal's closed days", async () => {
      const written = await compactClosedDays(dataDir);
      if (written.length > 0)
        log.info(`statistics: summarised ${written.length} day(s): ${written.join(", ")}`);
      const removed = applyRetention(dataDir, clock(), {
        journalDays: settings.keepJournalDays,
        summaryDays: settings.keepSummaryDays,
      });
      if (removed.segments + removed.summaries > 0)
        log.info(
          `statistics: removed ${removed.segments} journal segment(s) and ${removed.summaries} summary file(s) past their retention`,
        );
      for (const day of written) if (daysBetween(day, todayDay()) <= PUBLISHED_DAYS) await publishDay(day);
    });
  const todayDay = () => fold?.day ?? queue.core.day ?? new Date(clock()).toISOString().slice(0, 10);

  const onEvents = (events: readonly QueueEvent[]) => {
    let dayClosed = false;
    for (const event of events) {
      if (event.seq <= lastSeq) continue;
      lastSeq = event.seq;
      if (event.type === "day_started") fold = new DayFold(event.day, event.ts);
      else if (fold) {
        fold.apply(event);
        if (event.type === "day_ended") {
          fold = null;
          dayClosed = true;
        }
      }
    }
    if (dayClosed) compact();
    thresholds.check(queue.core.view, queue.now());
    schedulePublish();
  };
  const offEvents = queue.onEvents(onEvents);
  // Thresholds depend on time passing too (a ticket waiting ever longer).
  const timer = setInterval(() => thresholds.check(queue.core.view, queue.now()), 30_000);
  timer.unref();

  // At start: the days the controller missed, the retained figures of recent days, today.
  compact();
  inBackground("publishing recent days", async () => {
    const since = addDays(todayDay(), -PUBLISHED_DAYS);
    for (const d of summaryDays(dataDir)) if (d >= since) await publishDay(d);
  });
  thresholds.check(queue.core.view, queue.now());
  publishToday();

  return {
    today: todayReport,
    async report(args) {
      const from = String(args.from);
      const to = String(args.to);
      if (from > to) return fail(`from ${from} is after to ${to}`);
      if (daysBetween(from, to) >= MAX_REPORT_DAYS)
        return fail(
          `a report covers at most ${MAX_REPORT_DAYS} days (${from} to ${to} is ${daysBetween(from, to) + 1})`,
        );
      const groupings = (args.groupings as Grouping[] | undefined) ?? DEFAULT_GROUPINGS;
      const now = queue.now();
      const builder = new ReportBuilder(reportOptions(config, from, to, groupings, now));
      await forEachDayRecord(dataDir, from, to, { now, today: fold?.record(now) ?? null }, (record) =>
        builder.add(record),
      );
      return { ok: true, result: builder.build() };
    },
    async audit(args) {
      const from =
        typeof args.from === "string"
          ? args.from
          : businessDay(queue.now(), config.office.timeZone, config.office.dailyReset);
      const to = typeof args.to === "string" ? args.to : from;
      if (from > to) return fail(`from ${from} is after to ${to}`);
      // Read from the journal at once: a month keeps the desk's answer well under a second.
      if (daysBetween(from, to) >= MAX_AUDIT_DAYS)
        return fail(
          `an audit over MQTT covers at most ${MAX_AUDIT_DAYS} days; vooru report --audit reads more`,
        );
      const trail = readAuditTrail(dataDir, {
        from,
        to,
        ...(typeof args.user === "string" ? { user: args.user } : {}),
        ...(Array.isArray(args.actions) ? { actions: args.actions as AuditAction[] } : {}),
        limit: MAX_AUDIT_ROWS,
      });
      return { ok: true, result: trail };
    },
    settled: () => background,
    stop() {
      stopped = true;
      offEvents();
      clearInterval(timer);
      if (publishTimer) clearTimeout(publishTimer);
    },
  };
}

function fail(message: string): ActionResult {
  return { ok: false, error: { code: "VALIDATION_FAILED", message } };
}
