// Topic-button panels wired to the queue: each driver's edges go through the press rules
// (press-rules.ts) to the queue's kiosk issue (reserve durably -> print -> confirm or void) at the
// panel's printer, one press at a time per printer (kiosk-queue.ts). Button LEDs follow the
// service's opening hours, the printer's health and refused presses. Every press ends in exactly
// one outcome, counted per panel and heard by onPress listeners.
import type { ButtonEdge, ButtonLedState, ButtonPanelDriver } from "../../device/panels/types.js";
import { realTimers, type Timers } from "../../device/timers.js";
import type { OfficeConfig } from "../config/schema.js";
import type { DeviceHealth, HealthBoard } from "../health/health-board.js";
import type { Logger } from "../health/log.js";
import { isOpenAt } from "../queue/core/calendar.js";
import type { ActionResult } from "../queue/queue-service.js";
import { type KioskJob, type KioskJobResult, KioskPrintQueues } from "./kiosk-queue.js";
import type { PanelButtonConfig, PanelConfig } from "./panel-schema.js";
import {
  admit,
  buttonLed,
  FLASHING_OUTCOMES,
  type PressCounters,
  type PressOutcome,
  PressRules,
  type RuleDecision,
  zeroCounters,
} from "./press-rules.js";

export interface PressRecord {
  panel: string;
  button: string;
  service: string;
  printer: string;
  /** When the press was made (the edge's time). */
  at: number;
  outcome: PressOutcome;
  /** The number printed (issued) or voided (print_failed). */
  ticket?: string;
  reason?: string;
}

export interface PanelServiceOptions {
  panels: ReadonlyArray<{ config: PanelConfig; driver: ButtonPanelDriver }>;
  /** QueueService.issueAtKiosk: reserve, print at the printer, confirm or void. */
  issue(service: string, printer: string): Promise<ActionResult>;
  /** Whether a service is within its opening hours at a moment. */
  isOpen(service: string, now: number): boolean;
  /** Printer health (to refuse presses and flash LEDs while it cannot print) and panel alerts. */
  health: HealthBoard;
  clock: () => number;
  timers?: Timers;
  log?: Logger;
  /** Hears a panel's counters after they changed (at most every COUNTERS_EVERY_MS). */
  reportCounters?(panel: string, counters: PressCounters): void;
}

/** Counters go to the health record in batches: a burst of presses is one update, not hundreds. */
const COUNTERS_EVERY_MS = 250;

/** A printer that can print: ok, or only warning that its paper runs low. */
export function printerCanPrint(device: DeviceHealth | undefined): boolean {
  if (!device) return false;
  return (
    device.status === "ok" || (device.status === "degraded" && device.faults.every((f) => f === "paper_low"))
  );
}

/** Whether a service is within its opening hours, from the configuration (as the queue decides it). */
export function serviceOpenAt(config: OfficeConfig): (service: string, now: number) => boolean {
  const hours = new Map(config.services.map((s) => [s.id, s.hours]));
  return (service, now) => hours.has(service) && isOpenAt(hours.get(service), now, config.office.timeZone);
}

interface PanelRuntime {
  config: PanelConfig;
  driver: ButtonPanelDriver;
  rules: PressRules;
  buttons: Map<string, PanelButtonConfig>;
  counters: PressCounters;
  /** Button -> until when a refused press keeps it flashing. */
  flashUntil: Map<string, number>;
  leds: Map<string, ButtonLedState>;
  timer: unknown;
  timerAt: number | null;
}

export class PanelService {
  private readonly panels = new Map<string, PanelRuntime>();
  private readonly printerReady = new Map<string, boolean>();
  private readonly queues: KioskPrintQueues;
  private readonly timers: Timers;
  private readonly listeners = new Set<(press: PressRecord) => void>();
  private readonly unsubscribe: Array<() => void> = [];
  private readonly dirtyCounters = new Set<string>();
  private countersTimer: unknown = null;
  private started = false;

  constructor(private readonly o: PanelServiceOptions) {
    this.timers = o.timers ?? realTimers;
    this.queues = new KioskPrintQueues(
      (job) => this.runJob(job),
      (job, result) => this.jobDone(job, result),
    );
    for (const { config, driver } of o.panels) {
      const rules = config.rules;
      this.panels.set(config.id, {
        config,
        driver,
        rules: new PressRules({
          debounceMs: rules.debounceMs,
          minPressIntervalMs: rules.minPressIntervalMs,
          stuckAfterMs: rules.stuckAfterSeconds * 1000,
        }),
        buttons: new Map(config.buttons.map((b) => [b.button, b])),
        counters: zeroCounters(),
        flashUntil: new Map(),
        leds: new Map(),
        timer: null,
        timerAt: null,
      });
    }
  }

  /** Listens to the drivers and the printers' health, sets every LED, and starts the drivers. */
  start(): void {
    if (this.started) return;
    this.started = true;
    for (const device of this.o.health.devices())
      if (device.kind === "printer") this.printerReady.set(device.id, printerCanPrint(device));
    this.unsubscribe.push(
      this.o.health.onChange((change) => {
        if (change.type !== "device" || change.device.kind !== "printer") return;
        const ready = printerCanPrint(change.device);
        if (this.printerReady.get(change.device.id) === ready) return;
        this.printerReady.set(change.device.id, ready);
        for (const p of this.panels.values()) if (p.config.printer === change.device.id) this.updateLeds(p);
      }),
    );
    for (const p of this.panels.values()) {
      this.unsubscribe.push(p.driver.onEdge((edge) => this.onEdge(p, edge)));
      this.updateLeds(p);
      p.driver.start();
    }
  }

  /** Re-derives every LED (opening hours change with time alone: the office tick calls this). */
  refresh(): void {
    for (const p of this.panels.values()) this.updateLeds(p);
  }

  onPress(listener: (press: PressRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  counters(panel: string): PressCounters | undefined {
    const p = this.panels.get(panel);
    return p ? { ...p.counters } : undefined;
  }

  /** What the controller last set each LED of a panel to. */
  leds(panel: string): Record<string, ButtonLedState> {
    return Object.fromEntries(this.panels.get(panel)?.leds ?? []);
  }

  /** Resolves once no press is printing or waiting. */
  idle(): Promise<void> {
    return this.queues.idle();
  }

  /** Stops listening, ends waiting presses, waits for the ones printing, and stops the drivers. */
  async stop(): Promise<void> {
    this.started = false;
    for (const off of this.unsubscribe.splice(0)) off();
    for (const p of this.panels.values()) this.timers.clearTimeout(p.timer);
    await this.queues.stop();
    this.flushCounters();
    await Promise.all([...this.panels.values()].map((p) => p.driver.stop()));
  }

  private onEdge(p: PanelRuntime, edge: ButtonEdge): void {
    // A key no service is mapped to is not a topic button.
    if (!p.buttons.has(edge.button)) return;
    this.handle(p, p.rules.edge(edge));
  }

  private onTimer(p: PanelRuntime): void {
    p.timer = null;
    p.timerAt = null;
    const decisions = p.rules.tick(this.o.clock());
    // Ends the flashes that are over before handle() schedules the next timer.
    this.updateLeds(p);
    this.handle(p, decisions);
  }

  private handle(p: PanelRuntime, decisions: RuleDecision[]): void {
    for (const d of decisions) {
      switch (d.type) {
        case "press":
          this.admitPress(p, d.button, d.at);
          break;
        case "ignored":
          this.finish(p, d.button, d.at, { outcome: d.outcome });
          break;
        case "stuck":
          this.o.health.raise({
            device: p.config.id,
            code: "BUTTON_STUCK",
            severity: "warning",
            message: `Panel ${p.config.id}: button ${d.button} (${this.serviceOf(p, d.button)}) has been held down for ${p.config.rules.stuckAfterSeconds} s; it is ignored until released`,
          });
          break;
        case "released":
          if (p.rules.stuckButtons().length === 0) this.o.health.clear(p.config.id, "BUTTON_STUCK");
          break;
      }
    }
    this.schedule(p);
  }

  private admitPress(p: PanelRuntime, button: string, at: number): void {
    const service = this.serviceOf(p, button);
    const printer = p.config.printer;
    const admission = admit({
      open: this.o.isOpen(service, at),
      printerReady: this.printerReady.get(printer) ?? false,
      pending: this.queues.pending(printer),
      maxQueued: p.config.rules.maxQueuedPerPrinter,
    });
    if (admission === "accepted") this.queues.push({ panel: p.config.id, button, service, printer, at });
    else this.finish(p, button, at, { outcome: admission });
  }

  /** A press's turn at its printer: still printable? Then the queue's issue path. */
  private async runJob(job: KioskJob): Promise<KioskJobResult> {
    if (!(this.printerReady.get(job.printer) ?? false))
      return { outcome: "printer_unavailable", reason: `${job.printer} went into fault while it waited` };
    const result = await this.o.issue(job.service, job.printer);
    if (result.ok) {
      const ticket = (result.result.ticket as { number?: string } | null)?.number;
      return { outcome: "issued", ...(ticket ? { ticket } : {}) };
    }
    const { code, message } = result.error;
    if (code === "SERVICE_CLOSED") return { outcome: "closed", reason: message };
    return { outcome: "print_failed", reason: message, ...(result.voided ? { ticket: result.voided } : {}) };
  }

  private jobDone(job: KioskJob, result: KioskJobResult): void {
    const p = this.panels.get(job.panel);
    if (!p) return;
    if (result.outcome === "print_failed")
      this.o.log?.warn(`panel ${job.panel} button ${job.button}: no ticket came out: ${result.reason}`);
    this.finish(p, job.button, job.at, result);
  }

  private finish(
    p: PanelRuntime,
    button: string,
    at: number,
    result: { outcome: PressOutcome; ticket?: string; reason?: string },
  ): void {
    p.counters[result.outcome]++;
    this.markCounters(p.config.id);
    if (FLASHING_OUTCOMES.has(result.outcome)) {
      p.flashUntil.set(button, this.o.clock() + p.config.rules.refusedFlashSeconds * 1000);
      this.updateLed(p, button);
      this.schedule(p);
    }
    const record: PressRecord = {
      panel: p.config.id,
      button,
      service: this.serviceOf(p, button),
      printer: p.config.printer,
      at,
      ...result,
    };
    for (const listener of this.listeners) {
      try {
        listener(record);
      } catch (error) {
        this.o.log?.error(`press listener failed: ${(error as Error).message}`);
      }
    }
  }

  private updateLeds(p: PanelRuntime): void {
    for (const button of p.buttons.keys()) this.updateLed(p, button);
  }

  private updateLed(p: PanelRuntime, button: string): void {
    const config = p.buttons.get(button);
    if (!config || config.led === undefined || config.led === false) return;
    const now = this.o.clock();
    const until = p.flashUntil.get(button);
    if (until !== undefined && until <= now) p.flashUntil.delete(button);
    const state = buttonLed({
      open: this.o.isOpen(config.service, now),
      printerReady: this.printerReady.get(p.config.printer) ?? false,
      refusedFlash: until !== undefined && until > now,
    });
    if (p.leds.get(button) === state) return;
    p.leds.set(button, state);
    p.driver.setLed(button, state);
  }

  /** One timer per panel, at the next rule deadline or the end of a refused-press flash. */
  private schedule(p: PanelRuntime): void {
    if (!this.started) return;
    let next = p.rules.nextDeadline() ?? Number.POSITIVE_INFINITY;
    for (const until of p.flashUntil.values()) next = Math.min(next, until);
    const at = Number.isFinite(next) ? next : null;
    if (at === p.timerAt) return;
    this.timers.clearTimeout(p.timer);
    p.timer = null;
    p.timerAt = at;
    if (at !== null)
      p.timer = this.timers.setTimeout(() => this.onTimer(p), Math.max(0, at - this.o.clock()));
  }

  private markCounters(panel: string): void {
    this.dirtyCounters.add(panel);
    if (this.countersTimer !== null || !this.o.reportCounters) return;
    this.countersTimer = this.timers.setTimeout(() => this.flushCounters(), COUNTERS_EVERY_MS);
  }

  private flushCounters(): void {
    this.timers.clearTimeout(this.countersTimer);
    this.countersTimer = null;
    for (const panel of this.dirtyCounters) {
      const p = this.panels.get(panel);
      if (p) this.o.reportCounters?.(panel, { ...p.counters });
    }
    this.dirtyCounters.clear();
  }

  private serviceOf(p: PanelRuntime, button: string): string {
    return p.buttons.get(button)?.service ?? "?";
  }
}
