// The relay IO plugin of a johnny-five button panel: the led-digits RelayIo (one johnny-five Board
// for the life of the driver, each reconnect swaps the real plugin behind it) plus what Button and
// Led use beyond it: digitalRead, whose callbacks johnny-five registers once and for good, so the
// relay keeps them and subscribes them again on every new plugin; analogWrite (Led on a PWM pin);
// analogPins (Firmata pin names).

import {
  type FiveBoard,
  type FiveModule,
  type JohnnyFiveIo,
  LOSS_EVENTS,
  RelayIo,
} from "../boards/led-digits-five.js";

type Pin = number | string;

export class PanelRelayIo extends RelayIo {
  readonly #reads = new Map<string, { pin: Pin; callbacks: ((value: number) => void)[] }>();

  get analogPins(): readonly number[] {
    return this.attached?.analogPins ?? [];
  }

  /** The attached plugin's modes, with INPUT and PULLUP when it has them. */
  get modes(): JohnnyFiveIo["MODES"] | null {
    return this.attached?.MODES ?? null;
  }

  digitalRead(pin: Pin, callback: (value: number) => void): void {
    const key = String(pin);
    const entry = this.#reads.get(key) ?? { pin, callbacks: [] };
    entry.callbacks.push(callback);
    this.#reads.set(key, entry);
    if (entry.callbacks.length === 1 && this.attached) this.#subscribe(this.attached, entry.pin);
  }

  analogWrite(pin: Pin, value: number): void {
    const io = this.attached;
    if (!io?.analogWrite)
      throw new Error(io ? `${io.name ?? "IO plugin"} has no analogWrite` : "no IO plugin attached");
    io.analogWrite(pin, value);
  }

  /** After a new plugin is attached and its pins set up: every digitalRead johnny-five made, again. */
  resubscribe(): void {
    const io = this.attached;
    if (!io) return;
    for (const { pin } of this.#reads.values()) this.#subscribe(io, pin);
  }

  /**
   * Tells johnny-five a level the plugin did not report: the released level of a button whose
   * plugin is gone, so Button's own state (and its hold timer) ends.
   */
  inject(pin: Pin, value: number): void {
    for (const callback of this.#reads.get(String(pin))?.callbacks ?? []) callback(value);
  }

  #subscribe(io: JohnnyFiveIo, pin: Pin): void {
    if (!io.digitalRead) throw new Error(`${io.name ?? "IO plugin"} has no digitalRead`);
    io.digitalRead(pin, (value) => {
      if (this.attached === io) this.inject(pin, value);
    });
  }
}

/**
 * johnny-five's Board over `relay` (a ready plugin attached). Its error/close/disconnect go to
 * `onLoss` for the life of the Board. repl and debug off, and sigint: false, or johnny-five
 * installs a SIGINT handler that exits the process.
 */
export async function createPanelBoard(
  five: FiveModule,
  relay: PanelRelayIo,
  readyTimeoutMs: number,
  onLoss: (reason: string) => void,
): Promise<FiveBoard> {
  const board = new five.Board({ io: relay, repl: false, debug: false, sigint: false });
  for (const event of LOSS_EVENTS)
    board.on(event, (...args: unknown[]) => {
      const detail = args[0] instanceof Error ? args[0].message : (args[0] as { message?: string })?.message;
      onLoss(`${event}${detail ? `: ${detail}` : ""}`);
    });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("johnny-five Board did not get ready")), readyTimeoutMs);
    board.once("ready", () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return board;
}
