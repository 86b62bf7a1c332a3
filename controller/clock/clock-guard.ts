// Holds what depends on the date until the system clock can be trusted. A Pi that booted with
// yesterday's time (or 1970) must not roll the day over, expire the queue or issue tickets into
// the wrong business day. Until the clock is synchronised (or a grace period has passed), the
// durable queue refuses new tickets, does not roll the day over, and stamps events with time
// carried on from the last journal event by the monotonic clock (controller/queue/durable-queue.ts).
import { realTimers, type Timers } from "../../device/timers.js";
import type { ClockConfig } from "../config/schema.js";
import type { HealthBoard } from "../health/health-board.js";
import type { Logger } from "../health/log.js";
import type { ClockSyncSource } from "./clock-sync.js";

/** What the durable queue asks before it trusts the wall clock. */
export interface ClockTrust {
  trusted(): boolean;
  /** Why the clock is not trusted yet, for error messages. */
  whyHeld(): string;
}

export const alwaysTrusted: ClockTrust = { trusted: () => true, whyHeld: () => "" };

export type ClockGuardStatus = "synchronised" | "waiting" | "grace_expired" | "not_required";

export const CLOCK_DEVICE = "clock";

export interface ClockGuardOptions {
  config: ClockConfig;
  source: ClockSyncSource;
  /** Milliseconds that only go forward (performance.now), unaffected by clock steps. */
  monotonic: () => number;
  health: HealthBoard;
  log: Logger;
  timers?: Timers;
  /** How often the source is asked until it says synchronised. Default 5 s. */
  pollMs?: number;
}

export class ClockGuard implements ClockTrust {
  private state: ClockGuardStatus = "waiting";
  private readonly startedAt: number;
  private readonly timers: Timers;
  private poller: unknown = null;
  private stopped = false;
  private readonly listeners = new Set<(status: ClockGuardStatus) => void>();

  constructor(private readonly options: ClockGuardOptions) {
    this.startedAt = options.monotonic();
    this.timers = options.timers ?? realTimers;
    if (options.config.requireSync === "never") this.state = "not_required";
  }

  get status(): ClockGuardStatus {
    this.expireGrace();
    return this.state;
  }

  trusted(): boolean {
    return this.status !== "waiting";
  }

  whyHeld(): string {
    const left = Math.max(0, this.options.config.graceSeconds - this.elapsedSeconds());
    return `the system clock is not synchronised yet; tickets are issued once it is (at most ${Math.ceil(left)} s more)`;
  }

  onChange(listener: (status: ClockGuardStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Asks the source once now, then every pollMs until it says synchronised. */
  async start(): Promise<void> {
    if (this.state === "not_required") return;
    this.options.health.register(CLOCK_DEVICE, "clock", { status: "ok", faults: [] });
    await this.check(true);
    // check() may have changed the state: read it afresh (TypeScript keeps the narrowing above).
    const now = this.state as ClockGuardStatus;
    if (now === "synchronised" || now === "not_required" || this.stopped) return;
    if (now === "waiting") this.options.log.warn(`clock: ${this.whyHeld()}`);
    this.poller = this.timers.setInterval(() => void this.check(false), this.options.pollMs ?? 5000);
  }

  stop(): void {
    this.stopped = true;
    if (this.poller !== null) this.timers.clearInterval(this.poller);
    this.poller = null;
  }

  private elapsedSeconds(): number {
    return (this.options.monotonic() - this.startedAt) / 1000;
  }

  private async check(first: boolean): Promise<void> {
    const answer = await this.options.source.check().catch(() => "unknown" as const);
    if (this.stopped) return;
    if (answer === "synchronised") return this.set("synchronised");
    // A system that cannot tell (no systemd) is trusted under "auto", as before this guard.
    if (answer === "unknown" && this.options.config.requireSync === "auto" && first)
      return this.set("not_required");
    this.expireGrace();
    if (this.state === "waiting" || this.state === "grace_expired") this.reportHeld();
  }

  private expireGrace(): void {
    if (this.state !== "waiting") return;
    if (this.elapsedSeconds() < this.options.config.graceSeconds) return;
    this.set("grace_expired");
  }

  private set(status: ClockGuardStatus): void {
    if (status === this.state) return;
    this.state = status;
    const { health, log } = this.options;
    if (status === "synchronised") {
      if (this.poller !== null) this.timers.clearInterval(this.poller);
      this.poller = null;
      health.report(CLOCK_DEVICE, { status: "ok", faults: [] });
      health.clear(CLOCK_DEVICE, "CLOCK_UNSYNCHRONISED");
      log.info(`clock: synchronised (${this.options.source.name})`);
    } else if (status === "grace_expired") {
      // The alert's message changes: raise it anew so MQTT and the webhook hear the new one.
      this.options.health.clear(CLOCK_DEVICE, "CLOCK_UNSYNCHRONISED");
      log.warn(
        `clock: not synchronised after ${this.options.config.graceSeconds} s; trusting it as it is (${new Date().toISOString()})`,
      );
      this.reportHeld();
    } else if (status === "not_required") {
      health.report(CLOCK_DEVICE, { status: "ok", faults: ["sync_unknown"] });
      log.info("clock: this system cannot say whether the clock is synchronised; trusting it");
    }
    for (const listener of this.listeners) listener(status);
  }

  private reportHeld(): void {
    const { health } = this.options;
    const expired = this.state === "grace_expired";
    health.report(CLOCK_DEVICE, { status: "degraded", faults: ["unsynchronised"] });
    health.raise({
      device: CLOCK_DEVICE,
      code: "CLOCK_UNSYNCHRONISED",
      severity: "warning",
      message: expired
        ? `the system clock was never synchronised; trusted after ${this.options.config.graceSeconds} s: check NTP or fit an RTC`
        : "the system clock is not synchronised yet: new tickets and the daily reset wait for it",
    });
  }
}
