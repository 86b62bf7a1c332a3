// A USB HID topic-button panel (X-keys or a boot-protocol keypad) through a HidBackend (node-hid
// on a Pi). node-hid has no plug events, so the driver polls: while the panel is missing it
// looks for it in the device list every pollMs; while it is open, a read error, a write failure
// or the panel vanishing from the list (checked every pollMs) means it was unplugged. Either
// way the controller hears a release for every button that was down, the LEDs it set are sent
// again when the panel is back, and the health record says what is wrong and how to fix it.

import type { AlertSeverity, DeviceHealthSink, DeviceStatus } from "../health.js";
import { realTimers, type Timers } from "../timers.js";
import {
  describeMatch,
  type HidBackend,
  type HidDeviceInfo,
  type HidHandle,
  type HidMatch,
  isHidError,
} from "./hid-backend.js";
import { codecFor, effectiveMatch, type PanelCodec, type PanelKind, pickDevice } from "./hid-panel-codecs.js";
import type { ButtonEdge, ButtonLedState, ButtonPanelDriver } from "./types.js";

export type { HidBackend, HidDeviceInfo, HidHandle, HidMatch } from "./hid-backend.js";
export { HidError, type HidErrorCode } from "./hid-backend.js";
export { nodeHidBackend } from "./node-hid-backend.js";

export interface HidPanelOptions {
  id: string;
  model: PanelKind;
  /** Which HID interface is this panel; at least one field. */
  match: HidMatch;
  backend: HidBackend;
  health: DeviceHealthSink;
  clock: () => number;
  timers?: Timers;
  /** How often to look for a missing panel, and to check an open one is still there. */
  pollMs?: number;
  /** Keypads on a composite device: the report id before the 8 boot bytes. */
  reportId?: number;
}

export interface HidPanelStats {
  model: string;
  path: string | null;
  productId: number | null;
  /** Input reports received, all sessions. */
  reports: number;
  /** Reports skipped as malformed (wrong length, bad content). */
  malformed: number;
  /** Keypad reports that said "too many keys" and were not read as a key state. */
  rollovers: number;
  /** Times the panel went away while open. */
  unplugs: number;
}

/** Health re-reported this often while nothing changes, so lastSeen stays fresh. */
const HEARTBEAT_MS = 60_000;

type Phase = "stopped" | "searching" | "open";

interface Fault {
  fault: string;
  alert: string;
  severity: AlertSeverity;
  message: string;
}

export class HidPanel implements ButtonPanelDriver {
  readonly id: string;
  readonly #o: HidPanelOptions & { timers: Timers; pollMs: number };
  #phase: Phase = "stopped";
  /** Bumped on start, loss and stop: late continuations of an older session do nothing. */
  #session = 0;
  #timer: unknown = null;
  #handle: HidHandle | null = null;
  #device: HidDeviceInfo | null = null;
  #codec: PanelCodec | null = null;
  #writes: Promise<void> = Promise.resolve();
  readonly #handlers = new Set<(edge: ButtonEdge) => void>();
  #held = new Set<string>();
  readonly #leds = new Map<string, ButtonLedState>();
  #stats: HidPanelStats;
  #lastSeen: number | undefined;
  #activeAlert: string | null = null;
  #lastReport = "";
  #lastReportAt = 0;

  constructor(options: HidPanelOptions) {
    if (Object.values(options.match).every((v) => v === undefined))
      throw new TypeError(`panel ${options.id}: match needs at least one field`);
    this.id = options.id;
    this.#o = { ...options, timers: options.timers ?? realTimers, pollMs: options.pollMs ?? 2000 };
    this.#stats = {
      model: options.model === "xkeys" ? "xkeys" : "keypad",
      path: null,
      productId: null,
      reports: 0,
      malformed: 0,
      rollovers: 0,
      unplugs: 0,
    };
  }

  get connected(): boolean {
    return this.#phase === "open";
  }

  stats(): HidPanelStats {
    return { ...this.#stats };
  }

  start(): void {
    if (this.#phase !== "stopped") return;
    this.#phase = "searching";
    this.#search(++this.#session);
  }

  async stop(): Promise<void> {
    if (this.#phase === "stopped") return;
    this.#phase = "stopped";
    this.#session++;
    this.#o.timers.clearTimeout(this.#timer);
    this.#timer = null;
    this.#releaseHeld();
    const handle = this.#handle;
    this.#handle = null;
    if (handle) await handle.close().catch(() => {});
  }

  onEdge(handler: (edge: ButtonEdge) => void): () => void {
    this.#handlers.add(handler);
    return () => this.#handlers.delete(handler);
  }

  setLed(button: string, state: ButtonLedState): void {
    this.#leds.set(button, state); // remembered: sent again after every reconnect
    if (this.#phase === "open") this.#sendLed(button, state);
  }

  // --- finding and opening ---

  #search(session: number): void {
    this.#connect(session).catch((error: Error) => {
      // Nothing in connect() is expected to throw; if it does, retry like any failed attempt.
      if (session !== this.#session) return;
      this.#down({
        fault: "driver_error",
        alert: "PANEL_OFFLINE",
        severity: "warning",
        message: `Panel ${this.id}: ${error.message}`,
      });
      this.#schedule(session);
    });
  }

  async #connect(session: number): Promise<void> {
    let devices: HidDeviceInfo[];
    try {
      devices = await this.#o.backend.devices();
    } catch (error) {
      if (session !== this.#session) return;
      this.#down(this.#listFault(error as Error));
      return this.#schedule(session);
    }
    if (session !== this.#session) return;
    const device = pickDevice(this.#o.model, this.#o.match, devices);
    if (!device?.path) {
      this.#down(this.#notFound());
      return this.#schedule(session);
    }
    const codec = codecFor(this.#o.model, device, { reportId: this.#o.reportId });
    if ("unsupported" in codec) {
      this.#down({
        fault: "unsupported_model",
        alert: "PANEL_UNSUPPORTED",
        severity: "critical",
        message: `Panel ${this.id}: ${codec.unsupported}`,
      });
      return this.#schedule(session);
    }
    let handle: HidHandle;
    try {
      handle = await this.#o.backend.open(device.path);
    } catch (error) {
      if (session !== this.#session) return;
      this.#down(this.#openFault(device.path, error as Error));
      return this.#schedule(session);
    }
    if (session !== this.#session) {
      await handle.close().catch(() => {}); // stopped while opening
      return;
    }
    this.#opened(session, handle, device, codec);
  }

  #opened(session: number, handle: HidHandle, device: HidDeviceInfo, codec: PanelCodec): void {
    this.#phase = "open";
    this.#handle = handle;
    this.#device = device;
    this.#codec = codec;
    this.#writes = Promise.resolve();
    this.#stats = {
      ...this.#stats,
      model: codec.modelName,
      path: device.path ?? null,
      productId: device.productId,
    };
    handle.onData((report) => {
      if (session === this.#session) this.#onReport(report);
    });
    handle.onError((error) => {
      if (session === this.#session) this.#lost(`read failed: ${error.message}`);
    });
    this.#clearAlert();
    this.#publish("ok", [], true);
    for (const report of codec.openReports()) this.#write(session, report);
    for (const [button, state] of this.#leds) this.#sendLed(button, state);
    this.#schedule(session);
  }

  /** The next look: for the missing panel, or whether the open one is still listed. */
  #schedule(session: number): void {
    if (session !== this.#session || this.#phase === "stopped") return;
    this.#o.timers.clearTimeout(this.#timer);
    this.#timer = this.#o.timers.setTimeout(() => {
      this.#timer = null;
      if (session !== this.#session) return;
      if (this.#phase === "open") void this.#checkStillThere(session);
      else this.#search(session);
    }, this.#o.pollMs);
  }

  async #checkStillThere(session: number): Promise<void> {
    let devices: HidDeviceInfo[] | null = null;
    try {
      devices = await this.#o.backend.devices();
    } catch {
      devices = null; // cannot tell: reads and writes will say if it is gone
    }
    if (session !== this.#session) return;
    const path = this.#device?.path;
    if (devices && !devices.some((d) => d.path === path)) return this.#lost("gone from the USB device list");
    this.#schedule(session);
  }

  /** The open panel went away: release what was held, report it, look for it again. */
  #lost(reason: string): void {
    if (this.#phase !== "open") return;
    const session = ++this.#session;
    this.#phase = "searching";
    this.#stats.unplugs++;
    const handle = this.#handle;
    this.#handle = null;
    this.#o.timers.clearTimeout(this.#timer);
    this.#timer = null;
    handle?.close().catch(() => {});
    this.#releaseHeld();
    this.#down({
      fault: "unplugged",
      alert: "PANEL_OFFLINE",
      severity: "warning",
      message: `Panel ${this.id} (${this.#stats.model}) was unplugged or stopped answering (${reason}); looking for it every ${this.#o.pollMs} ms`,
    });
    this.#schedule(session);
  }

  // --- reports and edges ---

  #onReport(report: Uint8Array): void {
    const codec = this.#codec;
    if (!codec) return;
    this.#stats.reports++;
    this.#lastSeen = this.#o.clock();
    const decoded = codec.decode(report);
    if (decoded.kind === "malformed") this.#stats.malformed++;
    else if (decoded.kind === "ignored" && decoded.why === "rollover") this.#stats.rollovers++;
    else if (decoded.kind === "buttons") this.#applyState(decoded.down);
    this.#publish("ok", []);
  }

  #applyState(down: Set<string>): void {
    const at = this.#o.clock();
    const previous = this.#held;
    this.#held = new Set(down);
    for (const button of previous) if (!down.has(button)) this.#emit({ button, down: false, at });
    for (const button of down) if (!previous.has(button)) this.#emit({ button, down: true, at });
  }

  #releaseHeld(): void {
    if (this.#held.size === 0) return;
    const at = this.#o.clock();
    const held = [...this.#held];
    this.#held = new Set();
    for (const button of held) this.#emit({ button, down: false, at, lost: true });
  }

  #emit(edge: ButtonEdge): void {
    for (const handler of this.#handlers) {
      try {
        handler(edge);
      } catch {
        // A handler's bug must not read as an unplug (node-hid turns throws in its data callback
        // into "error" events) nor stop the other handlers.
      }
    }
  }

  // --- LEDs ---

  #sendLed(button: string, state: ButtonLedState): void {
    const reports = this.#codec?.ledReports(button, state);
    if (!reports) return; // no LED on that button
    for (const report of reports) this.#write(this.#session, report);
  }

  /** Writes in order; a failed write means the panel is gone. */
  #write(session: number, report: Uint8Array): void {
    const handle = this.#handle;
    if (!handle) return;
    this.#writes = this.#writes
      .then(() => (session === this.#session ? handle.write(report) : undefined))
      .catch((error: Error) => {
        if (session === this.#session) this.#lost(`write failed: ${error.message}`);
      });
  }

  // --- health ---

  #notFound(): Fault {
    const what = describeMatch(effectiveMatch(this.#o.model, this.#o.match));
    return {
      fault: "not_found",
      alert: "PANEL_OFFLINE",
      severity: "warning",
      message: `Panel ${this.id} (${this.#o.model === "xkeys" ? "X-keys" : "keypad"}, ${what}) is not connected; looking for it every ${this.#o.pollMs} ms`,
    };
  }

  #listFault(error: Error): Fault {
    if (isHidError(error, "HID_UNAVAILABLE"))
      return {
        fault: "hid_unavailable",
        alert: "HID_UNAVAILABLE",
        severity: "critical",
        message: `Panel ${this.id}: USB HID is unavailable: ${error.message}`,
      };
    return {
      fault: "enumeration_failed",
      alert: "PANEL_OFFLINE",
      severity: "warning",
      message: `Panel ${this.id}: cannot list USB HID devices: ${error.message}`,
    };
  }

  #openFault(path: string, error: Error & { code?: unknown }): Fault {
    const denied =
      error.code === "EACCES" ||
      error.code === "EPERM" ||
      isHidError(error, "HID_PERMISSION_DENIED") ||
      /permission|EACCES/i.test(error.message);
    return {
      fault: denied ? "permission_denied" : "open_failed",
      alert: "PANEL_OPEN_FAILED",
      severity: "critical",
      message: denied
        ? `Panel ${this.id}: no permission to open ${path}; add a udev rule giving the vooru user access to this hidraw device (see docs/raspberry-pi.md, "udev rules")`
        : `Panel ${this.id}: found at ${path} but cannot be opened: ${error.message}`,
    };
  }

  #down(fault: Fault): void {
    if (this.#activeAlert !== fault.alert) this.#clearAlert();
    this.#activeAlert = fault.alert;
    this.#o.health.raise(fault.alert, fault.severity, fault.message);
    this.#publish("offline", [fault.fault], false, { reason: fault.message });
  }

  #clearAlert(): void {
    if (this.#activeAlert) this.#o.health.clear(this.#activeAlert);
    this.#activeAlert = null;
  }

  /** Reports on change, and at least every HEARTBEAT_MS while reports arrive. */
  #publish(status: DeviceStatus, faults: string[], force = false, extra: Record<string, unknown> = {}): void {
    const now = this.#o.clock();
    const key = `${status} ${faults.join(",")}`;
    if (!force && key === this.#lastReport && now - this.#lastReportAt < HEARTBEAT_MS) return;
    this.#lastReport = key;
    this.#lastReportAt = now;
    const { model, path, reports, malformed, productId, rollovers, unplugs } = this.#stats;
    this.#o.health.report(status, faults, this.#lastSeen, {
      model,
      path,
      reports,
      malformed,
      productId,
      rollovers,
      unplugs,
      ...extra,
    });
  }
}
