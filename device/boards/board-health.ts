// What one board on a bus is known to be doing, and what that means for health: status and
// faults reported on change, BOARD_OFFLINE raised and cleared with its condition. The bus-wide
// outage is one alert on the bus (BusHealth below), not one per board.

import type { DeviceHealthSink, DeviceStatus } from "../health.js";

/** lastSeen is also re-reported this often while nothing else changes, so the record stays fresh. */
const HEARTBEAT_MS = 60_000;

export class BoardHealth {
  /** Frames in a row this board did not answer. */
  misses = 0;
  /** Declared offline after too many misses; only a probe's answer brings it back. */
  offline = false;
  /** The bus is down: nothing is known of the board. Starts true: nothing is known before the bus opens. */
  busDown = true;
  lastSeen: number | null = null;
  #lastReport = "";
  #lastReportAt = 0;

  constructor(
    readonly id: string,
    readonly address: number,
    private readonly sink: DeviceHealthSink,
    private readonly clock: () => number,
    private readonly maxMisses: number,
  ) {}

  /** It answered. True if it was offline and is back (its text must be sent again). */
  answered(): boolean {
    const back = this.offline;
    this.lastSeen = this.clock();
    this.misses = 0;
    this.offline = false;
    if (back) this.sink.clear("BOARD_OFFLINE");
    this.publish();
    return back;
  }

  /** It missed a frame (silence or garbage). True if that made it offline just now. */
  missed(detail: string): boolean {
    this.misses++;
    const down = !this.offline && this.misses >= this.maxMisses;
    if (down) {
      this.offline = true;
      this.sink.raise(
        "BOARD_OFFLINE",
        "critical",
        `Board ${this.id} (address ${this.address}) does not answer`,
      );
    }
    this.publish({ lastMiss: detail });
    return down;
  }

  publish(details: Record<string, unknown> = {}): void {
    let status: DeviceStatus = "ok";
    const faults: string[] = [];
    if (this.busDown) {
      status = "offline";
      faults.push("bus_unreachable");
    } else if (this.offline) {
      status = "offline";
      faults.push("no_answer");
    } else if (this.misses > 0) {
      status = "degraded";
      faults.push("no_answer");
    }
    const now = this.clock();
    const report = `${status} ${faults.join(",")}`;
    if (report === this.#lastReport && now - this.#lastReportAt < HEARTBEAT_MS) return;
    this.#lastReport = report;
    this.#lastReportAt = now;
    this.sink.report(status, faults, this.lastSeen ?? undefined, {
      address: this.address,
      misses: this.misses,
      ...details,
    });
  }
}

/** The bus (transport) itself: one alert for all its boards when it is unreachable. */
export class BusHealth {
  #down: string | null = null;

  constructor(
    private readonly id: string,
    private readonly sink: DeviceHealthSink,
    /** False when the sink is a board's: then only the alert goes there, not a status. */
    private readonly own: boolean,
  ) {}

  down(reason: string): void {
    if (this.#down !== null) return;
    this.#down = reason;
    if (this.own) this.sink.report("offline", ["bus_unreachable"], undefined, { reason });
    this.sink.raise("BOARD_BUS_OFFLINE", "critical", `Board bus ${this.id} is unreachable: ${reason}`);
  }

  up(): void {
    if (this.own) this.sink.report("ok", []);
    if (this.#down === null) return;
    this.#down = null;
    this.sink.clear("BOARD_BUS_OFFLINE");
  }
}
