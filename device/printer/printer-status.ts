// What one ESC/POS printer is known to be doing, from its replies, and what that means for health:
// status + faults reported on change, alerts raised and cleared with their condition.

import { type EscPosReply, statusFlagsOf } from "../../protocols/escpos/replies.js";
import { printerStateOf, type StatusFlags } from "../../protocols/escpos/status.js";
import type { AlertSeverity, DeviceHealthSink, DeviceStatus } from "../health.js";
import type { PrinterState, PrinterStatusRecord } from "./types.js";

interface AlertSpec {
  code: string;
  severity: AlertSeverity;
  what: string;
}

const STATE_HEALTH: Record<Exclude<PrinterState, "ok">, { status: DeviceStatus; alert: AlertSpec }> = {
  paper_low: {
    status: "degraded",
    alert: { code: "PAPER_LOW", severity: "warning", what: "paper roll near its end" },
  },
  paper_out: { status: "degraded", alert: { code: "PAPER_OUT", severity: "critical", what: "out of paper" } },
  cover_open: { status: "degraded", alert: { code: "COVER_OPEN", severity: "critical", what: "cover open" } },
  error: {
    status: "degraded",
    alert: { code: "PRINTER_ERROR", severity: "critical", what: "printer error" },
  },
  offline: {
    status: "offline",
    alert: { code: "PRINTER_OFFLINE", severity: "critical", what: "printer offline" },
  },
};

/** lastSeen is also re-reported this often while nothing else changes, so the record stays fresh. */
const HEARTBEAT_MS = 60_000;

export class PrinterStatusTracker {
  #flags: StatusFlags = {};
  #raw: Record<string, number[]> = {};
  #lastSeen: number | null = null;
  /** The printer answered since the transport (re)opened; until then it counts as offline. */
  #connected = false;
  #downReason = "not started";
  #noAnswer = false;
  #alerts = new Map<string, string>();
  #lastReport = "";
  #lastReportAt = 0;

  constructor(
    private readonly name: string,
    private readonly sink: DeviceHealthSink,
    private readonly clock: () => number,
  ) {}

  get connected(): boolean {
    return this.#connected;
  }

  /** What the printer last said, merged over its replies (a copy). */
  get flags(): StatusFlags {
    return { ...this.#flags };
  }

  state(): PrinterState {
    return this.#connected ? printerStateOf(this.#flags) : "offline";
  }

  /** Why print() is refused right now, for the kiosk. */
  describe(): string {
    if (!this.#connected) return `printer ${this.name} is unreachable: ${this.#downReason}`;
    const state = this.state();
    return state === "ok"
      ? `printer ${this.name} is ready`
      : `printer ${this.name}: ${STATE_HEALTH[state].alert.what}`;
  }

  record(): PrinterStatusRecord {
    return { state: this.state(), raw: structuredClone(this.#raw), lastSeen: this.#lastSeen };
  }

  /** Transport gone or never opened. What we knew of paper and cover stays: it is still the best guess. */
  linkDown(reason: string, report = true): void {
    this.#connected = false;
    this.#downReason = reason;
    this.#noAnswer = false;
    if (report) this.#publish();
  }

  noAnswer(on: boolean): void {
    if (this.#noAnswer === on) return;
    this.#noAnswer = on;
    this.#publish();
  }

  reply(reply: EscPosReply): void {
    this.#lastSeen = this.clock();
    // Flags of the last session are kept until fresh replies replace them (the first poll asks
    // for everything), so a non-ASB printer's paper alert does not flap on reconnect.
    this.#connected = true;
    const fresh = definedOnly(statusFlagsOf(reply));
    // Cover open and errors always put the printer offline, so "online" clears them.
    if (reply.type === "status" && reply.n === 1 && fresh.offline === false) {
      Object.assign(fresh, { coverOpen: false, error: false });
    }
    this.#flags = { ...this.#flags, ...fresh };
    const raw = rawOf(reply);
    if (raw) this.#raw[raw[0]] = raw[1];
    this.#publish();
  }

  #publish(): void {
    const state = this.state();
    const now = this.clock();
    let status: DeviceStatus = "ok";
    const faults: string[] = [];
    const wanted = new Map<string, AlertSpec>();
    if (!this.#connected) {
      status = "offline";
      faults.push("unreachable");
      // Paper and cover are unknown while unreachable: keep their alerts as they were.
      for (const code of this.#alerts.keys()) wanted.set(code, { code, severity: "critical", what: "" });
      wanted.set("PRINTER_OFFLINE", {
        ...STATE_HEALTH.offline.alert,
        what: `unreachable: ${this.#downReason}`,
      });
    } else if (state !== "ok") {
      status = STATE_HEALTH[state].status;
      faults.push(state);
      wanted.set(STATE_HEALTH[state].alert.code, STATE_HEALTH[state].alert);
    }
    if (this.#connected && this.#noAnswer) {
      faults.push("no_answer");
      if (status === "ok") status = "degraded";
    }
    for (const code of [...this.#alerts.keys()]) {
      if (!wanted.has(code)) {
        this.#alerts.delete(code);
        this.sink.clear(code);
      }
    }
    for (const [code, spec] of wanted) {
      if (this.#alerts.has(code)) continue;
      this.#alerts.set(code, spec.what);
      this.sink.raise(code, spec.severity, `Printer ${this.name}: ${spec.what}`);
    }
    const report = `${status} ${faults.join(",")}`;
    if (report === this.#lastReport && now - this.#lastReportAt < HEARTBEAT_MS) return;
    this.#lastReport = report;
    this.#lastReportAt = now;
    // The raw status bytes go with the report: IT support can read what the printer said.
    this.sink.report(status, faults, this.#lastSeen ?? undefined, {
      state: this.state(),
      raw: structuredClone(this.#raw),
    });
  }
}

function definedOnly(flags: StatusFlags): StatusFlags {
  return Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined)) as StatusFlags;
}

function rawOf(reply: EscPosReply): [string, number[]] | null {
  switch (reply.type) {
    case "status":
      return [`dleEot${reply.n}`, [reply.byte]];
    case "asb":
      return ["asb", [...reply.bytes]];
    case "paper_sensor":
      return ["paperSensor", [reply.byte]];
    case "presenter":
      return ["presenter", [...reply.bytes]];
    case "process_id":
      return null;
  }
}
