// Live threshold alerts for the manager and the desk: a service's longest wait, how many wait,
// tickets waiting with no open counter for them, a counter paused too long. Raised and cleared on
// the health board like device alerts (alerts/{device}, the webhook, the log).
import type { OfficeConfig, ServiceConfig } from "../config/schema.js";
import type { HealthBoard } from "../health/health-board.js";
import { buildModel, type QueueModel } from "../queue/core/model.js";
import type { QueueState } from "../queue/core/types.js";
import type { ServiceThresholds } from "./stats-schema.js";

export const THRESHOLD_CODES = ["LONGEST_WAIT", "WAITING_OVER", "NO_OPEN_COUNTER", "COUNTER_PAUSED"] as const;

export interface ThresholdWatchOptions {
  config: OfficeConfig;
  health: Pick<HealthBoard, "raise" | "clear">;
}

const MINUTE = 60_000;

export const serviceAlertDevice = (service: string) => `service-${service}`;
export const counterAlertDevice = (counter: string) => `counter-${counter}`;

function nameOf(config: OfficeConfig, service: ServiceConfig): string {
  const names = service.names as Record<string, string | undefined>;
  return names.en ?? names[config.office.languages[0] ?? "en"] ?? Object.values(names)[0] ?? service.id;
}

export class ThresholdWatch {
  private readonly model: QueueModel;
  private readonly thresholds: Map<string, ServiceThresholds>;
  /** service -> since when no open counter has served it (as observed). */
  private readonly noCounterSince = new Map<string, number>();
  /** counter -> since when it has been paused (as observed). */
  private readonly pausedSince = new Map<string, number>();

  constructor(private readonly options: ThresholdWatchOptions) {
    const { config } = options;
    this.model = buildModel(config);
    const office = config.stats.thresholds;
    this.thresholds = new Map(
      config.services.map((s) => [
        s.id,
        {
          longestWaitMinutes: s.thresholds?.longestWaitMinutes ?? office.longestWaitMinutes,
          waitingMoreThan: s.thresholds?.waitingMoreThan ?? office.waitingMoreThan,
          noOpenCounterMinutes: s.thresholds?.noOpenCounterMinutes ?? office.noOpenCounterMinutes,
        },
      ]),
    );
  }

  /** One pass over the waiting tickets; call after every change and on a timer. */
  check(state: QueueState, now: number): void {
    const waiting = new Map<
      string,
      { count: number; oldest: { number: string; arrivedAt: number } | null }
    >();
    for (const ticket of state.tickets.values()) {
      if (ticket.state !== "waiting") continue;
      let entry = waiting.get(ticket.service);
      if (!entry) {
        entry = { count: 0, oldest: null };
        waiting.set(ticket.service, entry);
      }
      entry.count++;
      if (!entry.oldest || ticket.arrivedAt < entry.oldest.arrivedAt) entry.oldest = ticket;
    }
    for (const [id, limits] of this.thresholds) this.checkService(state, id, limits, waiting.get(id), now);
    this.checkCounters(state, now);
  }

  private checkService(
    state: QueueState,
    id: string,
    limits: ServiceThresholds,
    waiting: { count: number; oldest: { number: string; arrivedAt: number } | null } | undefined,
    now: number,
  ): void {
    const { config } = this.options;
    const service = this.model.services.get(id) as ServiceConfig;
    const label = `Service ${id} (${nameOf(config, service)})`;
    const device = serviceAlertDevice(id);
    const oldest = waiting?.oldest ?? null;
    const count = waiting?.count ?? 0;

    const waitedMs = oldest ? now - oldest.arrivedAt : 0;
    this.toggle(
      device,
      "LONGEST_WAIT",
      limits.longestWaitMinutes !== undefined &&
        oldest !== null &&
        waitedMs > limits.longestWaitMinutes * MINUTE,
      () =>
        `${label}: ${oldest?.number} has waited ${Math.floor(waitedMs / MINUTE)} min, over the ${limits.longestWaitMinutes} min threshold; open another counter for ${id} or call it`,
    );
    this.toggle(
      device,
      "WAITING_OVER",
      limits.waitingMoreThan !== undefined && count > limits.waitingMoreThan,
      () =>
        `${label}: ${count} tickets are waiting, over the threshold of ${limits.waitingMoreThan}; open another counter for ${id}`,
    );

    let open = false;
    for (const [counterId, profile] of this.model.counters)
      if (profile.weights.has(id) && state.counters.get(counterId)?.status === "open") open = true;
    if (open || count === 0) this.noCounterSince.delete(id);
    else if (!this.noCounterSince.has(id)) this.noCounterSince.set(id, now);
    const since = this.noCounterSince.get(id);
    const heldMs = since === undefined || !oldest ? 0 : now - Math.max(since, oldest.arrivedAt);
    this.toggle(
      device,
      "NO_OPEN_COUNTER",
      limits.noOpenCounterMinutes !== undefined &&
        since !== undefined &&
        oldest !== null &&
        heldMs >= limits.noOpenCounterMinutes * MINUTE,
      () =>
        `${label}: ${count} ticket(s) waiting and no counter serving ${id} is open (for ${Math.floor(heldMs / MINUTE)} min); open a counter for ${id}`,
      "critical",
    );
  }

  private checkCounters(state: QueueState, now: number): void {
    const limit = this.options.config.stats.thresholds.counterPausedMinutes;
    for (const id of this.model.counters.keys()) {
      const paused = state.counters.get(id)?.status === "paused";
      if (!paused) this.pausedSince.delete(id);
      else if (!this.pausedSince.has(id)) this.pausedSince.set(id, now);
      const since = this.pausedSince.get(id);
      const pausedMs = since === undefined ? 0 : now - since;
      this.toggle(
        counterAlertDevice(id),
        "COUNTER_PAUSED",
        limit !== undefined && since !== undefined && pausedMs > limit * MINUTE,
        () =>
          `Counter ${id} has been paused for ${Math.floor(pausedMs / MINUTE)} min, over the ${limit} min threshold; open or close it`,
      );
    }
  }

  private toggle(
    device: string,
    code: (typeof THRESHOLD_CODES)[number],
    active: boolean,
    message: () => string,
    severity: "warning" | "critical" = "warning",
  ): void {
    if (active) this.options.health.raise({ device, code, severity, message: message() });
    else this.options.health.clear(device, code);
  }
}
