// A johnny-five IO plugin for the GPIO lines of one chip, over a GpioChipBackend (the libgpiod
// tools on a Pi 4 or 5, or the virtual chip). Digital in and out only: what Button and Led need.
//
// What johnny-five does with it (johnny-five 2.1): Board reads isReady, name, pins, MODES, HIGH,
// LOW and waits for "connect"/"ready", then forwards "error"/"close". Button (lib/button.js)
// calls pinMode(pin, MODES.INPUT), then digitalWrite(pin, HIGH) to enable the pull-up (its
// `pullup` option, Arduino style) or LOW for `pulldown`, then digitalRead(pin, cb) and expects cb
// with the level now and on every change. Led calls pinMode(pin, OUTPUT) (no PWM offered here)
// and digitalWrite. These calls come synchronously, one button after another: the plugin gathers
// them and asks the backend once (one gpiomon per bias, not one per button).
//
// Pins are line offsets on the chip: on a Pi, the BCM GPIO numbers (17, "17", "GPIO17").

import { EventEmitter } from "node:events";
import type { JohnnyFiveIo } from "../boards/led-digits-five.js";
import { type GpioBias, type GpioChipBackend, GpioError, type GpioLevel } from "./gpio-chip-backend.js";

// Firmata's numbering, which johnny-five components assume.
const MODES = Object.freeze({ INPUT: 0, OUTPUT: 1, ANALOG: 2, PWM: 3, SERVO: 4, PULLUP: 0x0b });

export interface GpiodIoOptions {
  /** For the plugin's name and messages. */
  chip: string;
  /** A new backend per connection attempt (the old one is lost or closed). */
  backend: () => GpioChipBackend;
  /** Lines on the chip; default 64 (a Pi 4 has 58, the Pi 5's RP1 54). */
  lineCount?: number;
}

interface PinRecord {
  supportedModes: number[];
  mode: number | undefined;
  value: number;
  report: number;
  analogChannel: number;
}

type Listener = (...args: unknown[]) => void;

export class GpiodIo extends EventEmitter implements JohnnyFiveIo {
  readonly name = "gpiod";
  readonly MODES = MODES;
  readonly HIGH = 1;
  readonly LOW = 0;
  readonly pins: PinRecord[];
  readonly analogPins: number[] = [];
  readonly chip: string;
  isReady = false;
  readonly #backend: GpioChipBackend;
  readonly #bias = new Map<number, GpioBias>();
  #flushQueued = false;
  #watching: Promise<void> = Promise.resolve();
  #watchedKey = "";
  #closed = false;
  readonly #offs: (() => void)[] = [];

  constructor(backend: GpioChipBackend, options: { chip: string; lineCount?: number }) {
    super();
    this.#backend = backend;
    this.chip = options.chip;
    this.pins = Array.from({ length: options.lineCount ?? 64 }, () => ({
      supportedModes: [MODES.INPUT, MODES.OUTPUT, MODES.PULLUP],
      mode: undefined,
      value: 0,
      report: 0,
      analogChannel: 127,
    }));
    this.#offs.push(
      backend.onEdge(({ offset, level }) => this.#report(offset, level)),
      backend.onLost((error) => this.#lost(error)),
    );
    // Ready on the next turn, once whoever made it has listened (as firmata-io after its handshake).
    setImmediate(() => {
      if (this.#closed) return;
      this.isReady = true;
      this.emit("connect");
      this.emit("ready");
    });
  }

  normalize(pin: number | string): number {
    const offset = typeof pin === "number" ? pin : Number(String(pin).replace(/^GPIO/i, ""));
    if (!Number.isInteger(offset) || offset < 0 || offset >= this.pins.length)
      throw new GpioError("GPIO_UNSUPPORTED", `${this.chip}: no line ${String(pin)}`);
    return offset;
  }

  pinMode(pin: number | string, mode: number): this {
    const offset = this.normalize(pin);
    const record = this.#pin(offset);
    record.mode = mode;
    if (mode === MODES.OUTPUT) {
      if (this.#bias.delete(offset)) this.#queueFlush();
      this.#write(offset, record.value ? 1 : 0);
    } else if (mode === MODES.INPUT || mode === MODES.PULLUP) {
      this.#bias.set(offset, mode === MODES.PULLUP ? "pull-up" : (this.#bias.get(offset) ?? "disabled"));
      this.#queueFlush();
    } else throw new GpioError("GPIO_UNSUPPORTED", `${this.chip}: line ${offset} does digital in/out only`);
    return this;
  }

  digitalWrite(pin: number | string, value: number): this {
    const offset = this.normalize(pin);
    const record = this.#pin(offset);
    if (record.mode === MODES.INPUT || record.mode === MODES.PULLUP) {
      // On an input, as on an Arduino: HIGH enables the pull-up; LOW (johnny-five's `pulldown`) the
      // pull-down the Pi has and the Arduino has not.
      const bias: GpioBias = value ? "pull-up" : record.mode === MODES.PULLUP ? "pull-up" : "pull-down";
      if (this.#bias.get(offset) !== bias) {
        this.#bias.set(offset, bias);
        this.#queueFlush();
      }
      return this;
    }
    if (record.mode !== MODES.OUTPUT) record.mode = MODES.OUTPUT;
    record.value = value ? 1 : 0;
    this.#write(offset, value ? 1 : 0);
    return this;
  }

  digitalRead(pin: number | string, callback: (value: number) => void): this {
    const offset = this.normalize(pin);
    const record = this.#pin(offset);
    if (record.mode !== MODES.INPUT && record.mode !== MODES.PULLUP) this.pinMode(offset, MODES.INPUT);
    record.report = 1;
    this.on(`digital-read-${offset}`, callback as Listener);
    this.#queueFlush();
    return this;
  }

  i2cConfig(): never {
    throw new GpioError("GPIO_UNSUPPORTED", `${this.chip}: no I2C through the gpiod plugin`);
  }

  i2cWrite(): never {
    throw new GpioError("GPIO_UNSUPPORTED", `${this.chip}: no I2C through the gpiod plugin`);
  }

  /** Lets the lines go; no "close" is emitted for a close asked for. */
  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    this.isReady = false;
    for (const off of this.#offs.splice(0)) off();
    return this.#backend.close();
  }

  // --- inside ---

  #pin(offset: number): PinRecord {
    const record = this.pins[offset];
    if (!record) throw new GpioError("GPIO_UNSUPPORTED", `${this.chip}: no line ${offset}`);
    return record;
  }

  #write(offset: number, level: GpioLevel): void {
    if (this.#closed) throw new GpioError("GPIO_CLOSED", `${this.chip}: the plugin is closed`);
    this.#backend.set(offset, level).catch((error: Error) => this.#lost(error));
  }

  #queueFlush(): void {
    if (this.#flushQueued || this.#closed) return;
    this.#flushQueued = true;
    // After the current synchronous run of pinMode/digitalWrite/digitalRead calls.
    queueMicrotask(() => {
      this.#flushQueued = false;
      this.#watching = this.#watching.then(() => this.#flush());
    });
  }

  async #flush(): Promise<void> {
    if (this.#closed) return;
    const lines = [...this.#bias].map(([offset, bias]) => ({ offset, bias }));
    const key = JSON.stringify(lines);
    if (key === this.#watchedKey)
      return this.#reportAll(
        lines.map((l) => l.offset),
        null,
      );
    try {
      const levels = await this.#backend.watch(lines);
      this.#watchedKey = key;
      this.#reportAll([...levels.keys()], levels);
    } catch (error) {
      this.#lost(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** As Firmata on REPORT_DIGITAL: every reporting input hears its level (johnny-five filters repeats). */
  #reportAll(offsets: number[], levels: Map<number, GpioLevel> | null): void {
    for (const offset of offsets) {
      const record = this.pins[offset];
      if (!record) continue;
      const level = levels?.get(offset) ?? (record.value ? 1 : 0);
      this.#report(offset, level);
    }
  }

  #report(offset: number, level: GpioLevel): void {
    const record = this.pins[offset];
    if (this.#closed || !record || (record.mode !== MODES.INPUT && record.mode !== MODES.PULLUP)) return;
    record.value = level;
    if (!record.report) return;
    this.emit(`digital-read-${offset}`, level);
    this.emit("digital-read", { pin: offset, value: level });
  }

  #lost(error: Error): void {
    if (this.#closed) return;
    this.#closed = true;
    this.isReady = false;
    for (const off of this.#offs.splice(0)) off();
    void this.#backend.close();
    if (this.listenerCount("error") > 0) this.emit("error", error);
    this.emit("close");
  }
}

/**
 * The `io` factory of a FiveButtonPanel (or LedDigitsBoard) for GPIO lines: each call makes a new
 * backend, checks it can reach the chip (tools installed, chip found: a GpioError otherwise, e.g.
 * GPIO_TOOLS_MISSING), and resolves with a plugin that gets ready on the next turn.
 */
export function gpiodIoFactory(options: GpiodIoOptions): () => Promise<JohnnyFiveIo> {
  return async () => {
    const backend = options.backend();
    try {
      await backend.open();
    } catch (error) {
      await backend.close().catch(() => {});
      throw error;
    }
    return new GpiodIo(backend, {
      chip: options.chip,
      ...(options.lineCount !== undefined ? { lineCount: options.lineCount } : {}),
    });
  };
}
