// One seven-segment LED number board driven by johnny-five's Led.Digits: an HT16K33 backpack over
// I2C or a MAX7219 module on three digital pins (johnny-five bit-bangs its SPI), through any
// johnny-five IO plugin (firmata-io on an Arduino, a GPIO/I2C plugin on the Pi, the virtual one).
//
// Supervised like the other drivers: connect -> open -> (the plugin or Board reports error/close,
// or a write throws) -> offline + BOARD_OFFLINE -> backoff -> a new plugin from the factory ->
// the board is set up again and shows its last text. johnny-five is imported only when a board
// connects the first time, so an office without one never loads it.
//
// Blink is emulated with timers for both chips: the display is switched off and on (one I2C byte
// or one SPI frame each) every blinkMs for blinkFor, then stays on; a newer show stops it.

import { segmentCells, toMax7219Segments } from "../../protocols/boards/led-digits.js";
import { type DeviceHealthSink, nullHealthSink } from "../health.js";
import {
  type SupervisionOptions,
  type SupervisorPhase,
  supervisionDefaults,
  TransportSupervisor,
} from "../supervisor.js";
import type { Timers } from "../timers.js";
import {
  createFiveDisplay,
  type FiveDisplay,
  type FiveModule,
  type Ht16k33Slot,
  ht16k33Slot,
  importJohnnyFive,
  type JohnnyFiveIo,
  RelayIo,
  releaseIo,
  whenIoReady,
} from "./led-digits-five.js";
import { LedDigitsHealth } from "./led-digits-health.js";
import type { BoardBusDriver } from "./types.js";

export type { JohnnyFiveIo } from "./led-digits-five.js";

export type LedDigitsController = "HT16K33" | "MAX7219";

export interface LedDigitsBoardOptions extends SupervisionOptions {
  id: string;
  controller: LedDigitsController;
  /** Makes a new IO plugin for each connection attempt; it may throw, or get ready later. */
  io: () => JohnnyFiveIo | Promise<JohnnyFiveIo>;
  /** HT16K33: I2C address, 0x70..0x77 (default 0x70). One board per address per process. */
  address?: number;
  /** MAX7219: the digital pins wired to DIN, CLK and CS (LOAD). */
  pins?: { data: number | string; clock: number | string; cs: number | string };
  /** Character cells on the board: default 4 (HT16K33 backpack), 8 (MAX7219 module). */
  digits?: number;
  /**
   * HT16K33: display-RAM digit positions of the cells, left to right. Default for 4 cells
   * [0, 1, 3, 4] (Adafruit backpack: the colon sits at 2), else 0..digits-1. (MAX7219: the
   * leftmost cell is DIG(digits-1), DIG0 the rightmost, as on the common modules.)
   */
  positions?: number[];
  /** 0..100; defaults as johnny-five sets up the chips: 100 (HT16K33), 20 (MAX7219). */
  brightness?: number;
  health?: DeviceHealthSink;
  /** Emulated blink: dark/lit half period. */
  blinkMs?: number;
  /** How long a call blinks before the text stays steady. */
  blinkFor?: number;
  /** How long a new plugin may take to get ready. */
  readyTimeoutMs?: number;
  /** How johnny-five is loaded; default a lazy `import("johnny-five")`. */
  loadJohnnyFive?: () => Promise<FiveModule>;
}

export interface ShowResult {
  ok: boolean;
  detail?: string;
}

export interface LedDigitsStats {
  /** Shows written (blink steps not counted). */
  shows: number;
  /** Sessions lost (plugin error/close, failed write) and connection attempts that failed. */
  failures: number;
  reconnects: number;
}

// MAX7219 registers the driver sets beyond what Led.Digits exposes.
const MAX7219_DECODE_MODE = 0x09;
const MAX7219_DISPLAY_TEST = 0x0f;

export class LedDigitsBoard {
  readonly id: string;
  readonly controller: LedDigitsController;
  readonly width: number;
  readonly #o: LedDigitsBoardOptions;
  readonly #health: LedDigitsHealth;
  readonly #timers: Timers;
  readonly #sup: TransportSupervisor;
  readonly #address: number;
  readonly #positions: number[];
  readonly #brightness: number;
  readonly #owner = { lost: (reason: string) => this.#sup.lose(reason) };
  #io: JohnnyFiveIo | null = null;
  #display: FiveDisplay | null = null;
  /** HT16K33: this driver's claim on its address. */
  #slot: Ht16k33Slot | null = null;
  #want: string | null = null;
  #dark = false;
  #blinkTimer: unknown = null;
  #stats = { shows: 0, failures: 0 };

  constructor(options: LedDigitsBoardOptions) {
    this.id = options.id;
    this.controller = options.controller;
    this.#o = options;
    const settings = supervisionDefaults(options);
    this.#timers = settings.timers;
    this.#address = options.address ?? 0x70;
    const ht = options.controller === "HT16K33";
    this.width = options.digits ?? (ht ? 4 : 8);
    if (!Number.isInteger(this.width) || this.width < 1 || this.width > 8)
      throw new Error(`led-digits board ${this.id}: digits must be 1..8`);
    if (!ht && !options.pins)
      throw new Error(`led-digits board ${this.id}: a MAX7219 needs pins {data, clock, cs}`);
    this.#positions =
      options.positions ??
      (ht && this.width === 4 ? [0, 1, 3, 4] : Array.from({ length: this.width }, (_, i) => i));
    if (this.#positions.length !== this.width)
      throw new Error(`led-digits board ${this.id}: ${this.width} digits need ${this.width} positions`);
    this.#brightness = options.brightness ?? (ht ? 100 : 20);
    this.#health = new LedDigitsHealth(this.id, options.health ?? nullHealthSink, settings.clock, () =>
      this.#details(),
    );
    const lost = (reason: string, fault = "bus_unreachable") => {
      this.#stats.failures++;
      this.#endSession();
      this.#health.down(reason, fault);
    };
    this.#sup = new TransportSupervisor(settings, {
      connect: (session) => this.#connect(session),
      // Nothing is expected to throw there; if something does, treat it as a failed attempt.
      onConnectError: (error) => this.#sup.failed(this.#sup.session, `driver error: ${error.message}`),
      // The open session ended: the Board reported error/close/disconnect, or a write threw.
      onLost: (reason) => lost(reason),
      onFailed: lost,
    });
  }

  get status(): SupervisorPhase {
    return this.#sup.phase;
  }

  stats(): LedDigitsStats {
    return { ...this.#stats, reconnects: this.#sup.reconnects };
  }

  start(): void {
    this.#sup.start();
  }

  async stop(): Promise<void> {
    if (this.#sup.stop() === "stopped") return;
    this.#endSession();
    if (this.#display?.owner === this.#owner) this.#display.owner = null;
    if (this.#slot?.owner === this.#owner) this.#slot.owner = null;
  }

  /**
   * Shows `text` in the project's seven-segment font (protocols/boards/led-digits.ts: left-aligned,
   * cut from the right, "." lights the point of the cell before, K M V W X blank). Never rejects.
   * The text is remembered: a board that is offline shows it once it is back.
   */
  show(text: string, options: { blink?: boolean } = {}): Promise<ShowResult> {
    this.#want = text;
    this.#stopBlink();
    if (this.#sup.phase === "stopped")
      return Promise.resolve({ ok: false, detail: `board ${this.id} is stopped` });
    if (this.#sup.phase !== "open")
      return Promise.resolve({ ok: false, detail: `board ${this.id} is unreachable; shown when it is back` });
    try {
      this.#write(text);
      this.#stats.shows++;
      if (options.blink === true) this.#startBlink();
      return Promise.resolve({ ok: true });
    } catch (error) {
      const reason = `write failed: ${(error as Error).message}`;
      this.#sup.lose(reason);
      return Promise.resolve({ ok: false, detail: reason });
    }
  }

  // --- supervision ---

  async #connect(session: number): Promise<void> {
    let five: FiveModule;
    try {
      five = await (this.#o.loadJohnnyFive ?? importJohnnyFive)();
    } catch (error) {
      return this.#sup.failed(
        session,
        `johnny-five could not be loaded: ${(error as Error).message}`,
        "johnny_five_missing",
      );
    }
    if (!this.#sup.isCurrent(session)) return;
    let io: JohnnyFiveIo;
    try {
      io = await this.#o.io();
    } catch (error) {
      return this.#sup.failed(session, `IO plugin: ${(error as Error).message}`);
    }
    if (!this.#sup.isCurrent(session)) return releaseIo(io);
    this.#io = io;
    try {
      await whenIoReady(io, this.#timers, this.#o.readyTimeoutMs ?? 10_000);
      if (!this.#sup.isCurrent(session)) return;
      const display = await this.#displayFor(five, io);
      if (!this.#sup.isCurrent(session)) return;
      display.owner = this.#owner;
      this.#setUp(display);
    } catch (error) {
      const { message, code } = error as Error & { code?: string };
      return this.#sup.failed(session, message, code === "address_in_use" ? code : undefined);
    }
    this.#sup.opened();
    this.#sup.resetBackoff();
    this.#health.up();
  }

  /** The display johnny-five knows, with `io` attached behind its relay. */
  async #displayFor(five: FiveModule, io: JohnnyFiveIo): Promise<FiveDisplay> {
    const ht = this.controller === "HT16K33";
    const slot = ht ? ht16k33Slot(five, this.#address) : null;
    if (slot) {
      if (slot.owner && slot.owner !== this.#owner) {
        const hex = `0x${this.#address.toString(16)}`;
        throw Object.assign(
          new Error(`another led-digits board in this process uses HT16K33 address ${hex}`),
          {
            code: "address_in_use",
          },
        );
      }
      slot.owner = this.#owner; // claimed before anything awaits: a second driver is refused
      this.#slot = slot;
    }
    const known = this.#display ?? slot?.display;
    if (known) {
      this.#display = known;
      known.relay.attach(io);
      return known;
    }
    const relay = new RelayIo();
    relay.attach(io);
    const options: Record<string, unknown> = ht
      ? { controller: "HT16K33", addresses: [this.#address] }
      : { pins: { ...this.#o.pins }, digits: this.width, devices: 1 };
    const { display, failure } = await createFiveDisplay(
      five,
      relay,
      options,
      this.#o.readyTimeoutMs ?? 10_000,
    );
    // Kept even if set-up failed or the driver stopped meanwhile: johnny-five's Board lives on.
    this.#display = display;
    if (slot) slot.display = display;
    if (failure) throw failure;
    return display;
  }

  /** Sets the chip up as after power-on (it may have been reset meanwhile) and shows the last text. */
  #setUp({ relay, digits }: FiveDisplay): void {
    if (this.controller === "HT16K33") {
      relay.i2cConfig({ address: this.#address, addresses: [this.#address] });
      digits.on(); // oscillator on
      digits.blink?.(false); // display on, hardware blink off
    } else {
      const pins = this.#o.pins ?? { data: 0, clock: 0, cs: 0 };
      for (const pin of [pins.data, pins.clock, pins.cs])
        relay.pinMode(relay.normalize(pin), relay.MODES.OUTPUT);
      digits.send(0, MAX7219_DISPLAY_TEST, 0);
      digits.send(0, MAX7219_DECODE_MODE, 0); // raw segments: Led.Digits sends segment codes
      digits.scanLimit?.(this.width - 1);
      digits.on();
    }
    digits.brightness(this.#brightness);
    digits.clear();
    this.#dark = false;
    // The last call again, steady: after a reconnect it is no longer new.
    if (this.#want !== null) this.#write(this.#want);
    this.#health.seen();
  }

  /** Lets the session's plugin go (the supervisor has moved the session id on). */
  #endSession(): void {
    this.#stopBlink(false);
    const io = this.#io;
    this.#io = null;
    if (this.#display?.relay.attached === io) this.#display?.relay.detach();
    if (io) releaseIo(io);
  }

  // --- writing ---

  #write(text: string): void {
    const display = this.#display;
    if (!display) throw new Error("no display");
    const cells = segmentCells(text, this.width);
    for (const [i, code] of cells.entries())
      display.digits.sendDigit(0, this.#index(i), toMax7219Segments(code));
    if (this.#dark) {
      display.digits.on();
      this.#dark = false;
    }
    this.#health.seen();
  }

  /** The chip's digit index of cell i (left to right). */
  #index(i: number): number {
    // MAX7219 modules have DIG0 rightmost (as johnny-five's digit() and max7219Frames assume).
    return this.controller === "HT16K33" ? (this.#positions[i] ?? i) : this.width - 1 - i;
  }

  #startBlink(): void {
    const blinkMs = this.#o.blinkMs ?? 500;
    const steps = Math.max(1, Math.round((this.#o.blinkFor ?? 5000) / blinkMs));
    let step = 0;
    this.#blinkTimer = this.#timers.setInterval(() => {
      step++;
      const last = step >= steps;
      if (last) this.#stopBlink(false);
      this.#setDark(!last && step % 2 === 1);
    }, blinkMs);
  }

  /** Ends a running blink; with `relight` the text is lit again if it was dark. */
  #stopBlink(relight = true): void {
    if (this.#blinkTimer !== null) {
      this.#timers.clearInterval(this.#blinkTimer);
      this.#blinkTimer = null;
    }
    if (relight && this.#dark && this.#sup.phase === "open") this.#setDark(false);
  }

  #setDark(dark: boolean): void {
    const digits = this.#display?.digits;
    if (!digits || this.#sup.phase !== "open" || dark === this.#dark) return;
    try {
      if (dark) digits.off();
      else digits.on();
      this.#dark = dark;
      this.#health.seen();
    } catch (error) {
      this.#sup.lose(`write failed: ${(error as Error).message}`);
    }
  }

  // --- health ---

  #details(): Record<string, unknown> {
    const where = this.controller === "HT16K33" ? { address: this.#address } : { pins: { ...this.#o.pins } };
    return { controller: this.controller, ...where };
  }
}

/** The board as a one-board BoardBusDriver, for wiring that treats every board kind alike. */
export function ledDigitsBusDriver(board: LedDigitsBoard): BoardBusDriver {
  return {
    id: board.id,
    show: (boardId, text, options) =>
      boardId === board.id
        ? board.show(text, options)
        : Promise.resolve({ ok: false, detail: `no board ${boardId} on ${board.id}` }),
    start: () => board.start(),
    stop: () => board.stop(),
  };
}
