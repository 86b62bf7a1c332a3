// Health of one Led.Digits board: "ok" while its session is open, "offline" with a fault code and
// BOARD_OFFLINE while it is not. A report goes out on change only; the alert is raised once.

import type { DeviceHealthSink } from "../health.js";

export class LedDigitsHealth {
  readonly #id: string;
  readonly #sink: DeviceHealthSink;
  readonly #clock: () => number;
  readonly #details: () => Record<string, unknown>;
  #lastSeen: number | undefined;
  /** The reported condition, so a report goes out on change only. */
  #reported = "";
  #alert = false;

  constructor(
    id: string,
    sink: DeviceHealthSink,
    clock: () => number,
    details: () => Record<string, unknown>,
  ) {
    this.#id = id;
    this.#sink = sink;
    this.#clock = clock;
    this.#details = details;
  }

  /** The board took a write. */
  seen(): void {
    this.#lastSeen = this.#clock();
  }

  up(): void {
    this.#reported = "ok";
    this.#sink.report("ok", [], this.#lastSeen, this.#details());
    if (this.#alert) {
      this.#alert = false;
      this.#sink.clear("BOARD_OFFLINE");
    }
  }

  down(reason: string, fault: string): void {
    if (this.#reported !== `offline ${fault}`) {
      this.#reported = `offline ${fault}`;
      this.#sink.report("offline", [fault], this.#lastSeen, { ...this.#details(), reason });
    }
    if (!this.#alert) {
      this.#alert = true;
      this.#sink.raise("BOARD_OFFLINE", "critical", `LED board ${this.#id} is unreachable: ${reason}`);
    }
  }
}
