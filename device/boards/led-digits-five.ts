// johnny-five glue for the Led.Digits board driver: the little of johnny-five's API it uses, typed
// here (the package ships no types), its lazy import, and a relay IO plugin.
//
// Why a relay: johnny-five keeps the HT16K33 addresses it has handed out in a module-wide set and
// never gives one back (rwaldron/johnny-five#1834), so a second `Led.Digits` at 0x70 in the same
// process throws, and one created without an address silently takes 0x71. A driver that made a
// new Board and Led.Digits on every reconnect would lose its board after the first reconnect. So
// johnny-five gets one Board and one Led.Digits per display for the life of the process, over
// this relay, and each reconnect only swaps the real IO plugin behind the relay.

import { EventEmitter } from "node:events";
import type { Timers } from "../timers.js";

type Pin = number | string;
type Listener = (...args: unknown[]) => void;

/**
 * A johnny-five IO plugin (firmata-io over a serial port, a GPIO/I2C plugin, the virtual one in
 * simulators/boards/virtual-io.ts): the parts Led.Digits and johnny-five's Board touch.
 */
export interface JohnnyFiveIo {
  readonly isReady: boolean;
  readonly name?: string;
  readonly pins: readonly unknown[];
  readonly MODES: { readonly OUTPUT: number; readonly INPUT?: number; readonly PULLUP?: number };
  readonly HIGH: number;
  readonly LOW: number;
  on(event: string, listener: Listener): unknown;
  removeListener(event: string, listener: Listener): unknown;
  pinMode(pin: Pin, mode: number): unknown;
  digitalWrite(pin: Pin, value: number): unknown;
  i2cConfig(options?: unknown): unknown;
  i2cWrite(address: number, registerOrBytes: number | number[], bytes?: number[]): unknown;
  normalize?(pin: Pin): Pin;
  /** Digital input (johnny-five's Button): `callback` hears the level now and on every change. */
  digitalRead?(pin: Pin, callback: (value: number) => void): unknown;
  /** PWM output (johnny-five's Led on a PWM pin). */
  analogWrite?(pin: Pin, value: number): unknown;
  /** Firmata: the pin numbers of A0, A1, ... (johnny-five's Led and Button read it). */
  readonly analogPins?: readonly number[];
  /** Called when the driver lets the plugin go (stop, or a lost link), if the plugin has it. */
  close?(): unknown;
}

/** johnny-five's Led.Digits instance, as far as the driver uses it. */
export interface FiveDigits {
  /**
   * The controller's own digit write, under Led.Digits#digit: `code` is a segment code in MAX7219
   * order (dp a b c d e f g) at digit `index` (MAX7219: DIGn = register n+1; HT16K33: display RAM
   * byte 2n, bits reordered by johnny-five). The driver uses it instead of digit() so boards show
   * the project's font, not johnny-five's (where B reads as 8 and D and O as 0).
   */
  sendDigit(device: number, index: number, code: number): unknown;
  on(): unknown;
  off(): unknown;
  brightness(percent: number): unknown;
  clear(): unknown;
  /** HT16K33 only (hardware blink); the driver only turns it off. */
  blink?(value: false): unknown;
  /** MAX7219 only. */
  scanLimit?(limit: number): unknown;
  /** MAX7219: one register write to the device at `device` in the chain. */
  send(device: number, register: number, value: number): unknown;
}

export interface FiveBoard {
  on(event: string, listener: Listener): unknown;
  once(event: string, listener: Listener): unknown;
}

/** johnny-five's Button, as far as the button panel driver uses it ("down"/"up"; "hold" ignored). */
export interface FiveButton {
  readonly pin: number | string;
  on(event: "down" | "up", listener: () => void): unknown;
}

/** johnny-five's Led (a plain LED on a digital or PWM pin). */
export interface FiveLed {
  readonly pin: number | string;
  /** The pin mode johnny-five chose: OUTPUT, or PWM on a PWM pin. */
  readonly mode: number | null;
  on(): unknown;
  off(): unknown;
}

export interface FiveModule {
  Board: new (options: Record<string, unknown>) => FiveBoard;
  Led: { Digits: new (options: Record<string, unknown>) => FiveDigits } & (new (
    options: Record<string, unknown>,
  ) => FiveLed);
  Button: new (options: Record<string, unknown>) => FiveButton;
}

let loading: Promise<FiveModule> | null = null;

/** Imports johnny-five once, when the first led-digits board connects (never at module load). */
export function importJohnnyFive(): Promise<FiveModule> {
  loading ??= (async () => {
    // A variable specifier: johnny-five has no type declarations, and this keeps the import lazy
    // and untyped here instead of declaring an ambient module for the whole project.
    const specifier = "johnny-five";
    const mod = (await import(specifier)) as { default?: FiveModule } & Partial<FiveModule>;
    const five = (mod.default ?? mod) as FiveModule;
    if (typeof five.Board !== "function" || typeof five.Led?.Digits !== "function")
      throw new Error("johnny-five has no Board or Led.Digits");
    return five;
  })();
  loading.catch(() => {
    loading = null; // a later attempt tries again
  });
  return loading;
}

/** Events of the real plugin that end its session; johnny-five's Board re-emits them. */
export const LOSS_EVENTS = ["error", "close", "disconnect"] as const;

/**
 * The IO plugin johnny-five sees: stable for the life of the Board, forwarding to whichever real
 * plugin is attached. Detached, every call throws, which the driver takes as a lost link.
 */
export class RelayIo extends EventEmitter {
  isReady = false;
  #io: JohnnyFiveIo | null = null;
  #forwarders: [string, Listener][] = [];
  #captured: Error[] | null = null;

  constructor() {
    super();
    // Before johnny-five's Board listens (it does from "ready" on), an "error" must not throw.
    this.on("error", () => {});
  }

  get attached(): JohnnyFiveIo | null {
    return this.#io;
  }

  get name(): string {
    return this.#io?.name ?? "relay";
  }

  get pins(): readonly unknown[] {
    return this.#io?.pins ?? [];
  }

  get MODES(): { readonly OUTPUT: number } {
    return this.#current().MODES;
  }

  get HIGH(): number {
    return this.#current().HIGH;
  }

  get LOW(): number {
    return this.#current().LOW;
  }

  /** Puts a ready plugin behind the relay; its error/close events become the relay's (so the Board's). */
  attach(io: JohnnyFiveIo): void {
    this.detach();
    this.#io = io;
    for (const event of LOSS_EVENTS) {
      const forward: Listener = (...args) => {
        if (this.#io === io) this.emit(event, ...args);
      };
      io.on(event, forward);
      this.#forwarders.push([event, forward]);
    }
    // The first attach makes the relay ready; johnny-five's Board then emits connect and ready.
    this.isReady = true;
  }

  detach(): JohnnyFiveIo | null {
    const io = this.#io;
    if (!io) return null;
    for (const [event, forward] of this.#forwarders) io.removeListener(event, forward);
    this.#forwarders = [];
    this.#io = null;
    // Keep a late "error" from the old plugin from becoming an unhandled one.
    io.on("error", () => {});
    return io;
  }

  normalize(pin: Pin): Pin {
    const io = this.#io;
    return io?.normalize ? io.normalize(pin) : pin;
  }

  pinMode(pin: Pin, mode: number): void {
    this.#call((io) => io.pinMode(pin, mode));
  }

  digitalWrite(pin: Pin, value: number): void {
    this.#call((io) => io.digitalWrite(pin, value));
  }

  i2cConfig(options?: unknown): void {
    this.#call((io) => io.i2cConfig(options));
  }

  i2cWrite(address: number, registerOrBytes: number | number[], bytes?: number[]): void {
    this.#call((io) =>
      bytes === undefined
        ? io.i2cWrite(address, registerOrBytes)
        : io.i2cWrite(address, registerOrBytes, bytes),
    );
  }

  /**
   * Runs `fn` (a johnny-five constructor) with IO errors collected instead of thrown, so an IO
   * failure cannot leave johnny-five half set up (an HT16K33 address taken, and no Led.Digits).
   */
  capturing<T>(fn: () => T): { result: T; failure: Error | null } {
    const captured: Error[] = [];
    this.#captured = captured;
    try {
      return { result: fn(), failure: captured[0] ?? null };
    } finally {
      this.#captured = null;
    }
  }

  #call(fn: (io: JohnnyFiveIo) => unknown): void {
    try {
      fn(this.#current());
    } catch (error) {
      if (!this.#captured) throw error;
      this.#captured.push(error instanceof Error ? error : new Error(String(error)));
    }
  }

  #current(): JohnnyFiveIo {
    if (!this.#io) throw new Error("no IO plugin attached");
    return this.#io;
  }
}

export interface DisplayOwner {
  lost(reason: string): void;
}

/** One display as johnny-five knows it: created once, reused by every session and driver instance. */
export interface FiveDisplay {
  readonly relay: RelayIo;
  readonly digits: FiveDigits;
  /** The driver currently using it; johnny-five's Board events go to it. */
  owner: DisplayOwner | null;
}

/** An HT16K33 address in one johnny-five instance: which driver has it, and its display once made. */
export interface Ht16k33Slot {
  owner: DisplayOwner | null;
  display: FiveDisplay | null;
}

// By johnny-five module instance, then I2C address: johnny-five's own address set is per module
// instance, so ours is too.
const ht16k33Slots = new WeakMap<FiveModule, Map<number, Ht16k33Slot>>();

export function ht16k33Slot(five: FiveModule, address: number): Ht16k33Slot {
  const byAddress = ht16k33Slots.get(five) ?? new Map<number, Ht16k33Slot>();
  ht16k33Slots.set(five, byAddress);
  const slot = byAddress.get(address) ?? { owner: null, display: null };
  byAddress.set(address, slot);
  return slot;
}

/**
 * Makes johnny-five's Board over `relay` (which must have a ready plugin attached) and, once the
 * Board is ready, the Led.Digits. The Board's error/close/disconnect go to `display.owner`.
 * `failure` is the first IO error during Led.Digits' own set-up: the display exists all the same
 * (johnny-five has taken the HT16K33 address by then), and the caller keeps it before failing.
 */
export async function createFiveDisplay(
  five: FiveModule,
  relay: RelayIo,
  digitsOptions: Record<string, unknown>,
  readyTimeoutMs: number,
): Promise<{ display: FiveDisplay; failure: Error | null }> {
  // sigint: false, or johnny-five installs a SIGINT handler that exits the process.
  const board = new five.Board({ io: relay, repl: false, debug: false, sigint: false });
  let display: FiveDisplay | null = null;
  const toOwner =
    (event: string) =>
    (...args: unknown[]) => {
      const detail = args[0] instanceof Error ? args[0].message : (args[0] as { message?: string })?.message;
      display?.owner?.lost(`${event}${detail ? `: ${detail}` : ""}`);
    };
  // Always listened to: an "error" with no listener would throw out of johnny-five.
  for (const event of LOSS_EVENTS) board.on(event, toOwner(event));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("johnny-five Board did not get ready")), readyTimeoutMs);
    board.once("ready", () => {
      clearTimeout(timer);
      resolve();
    });
  });
  const { result: digits, failure } = relay.capturing(() => new five.Led.Digits({ ...digitsOptions, board }));
  display = { relay, digits, owner: null };
  return { display, failure };
}

/** Resolves once `io` is ready; rejects if it fails, closes or takes longer than `ms`. */
export function whenIoReady(io: JohnnyFiveIo, timers: Timers, ms: number): Promise<void> {
  if (io.isReady) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const listeners: [string, (...args: unknown[]) => void][] = [
      ["ready", () => done()],
      ["error", (error) => done(new Error(`IO plugin failed: ${describe(error)}`))],
      ["close", () => done(new Error("IO plugin closed before it was ready"))],
    ];
    const timer = timers.setTimeout(() => done(new Error(`IO plugin not ready after ${ms} ms`)), ms);
    const done = (error?: Error) => {
      timers.clearTimeout(timer);
      for (const [event, listener] of listeners) io.removeListener(event, listener);
      if (error) reject(error);
      else resolve();
    };
    for (const [event, listener] of listeners) io.on(event, listener);
  });
}

/** Lets a plugin go: closes it if it can be closed, ignoring how that goes. */
export function releaseIo(io: JohnnyFiveIo): void {
  try {
    const closing = io.close?.();
    if (closing instanceof Promise) closing.catch(() => {});
  } catch {
    // it is being let go anyway
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
