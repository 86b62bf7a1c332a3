// A topic-button panel through johnny-five: GPIO buttons on a Raspberry Pi (the gpiod IO plugin,
// device/gpio/gpiod-io.ts) or an Arduino running StandardFirmata (firmata-io), one johnny-five
// Button per button and one Led per button LED.
//
// Supervised like the board drivers: connect -> open -> (the plugin or Board reports error/close,
// or a write throws) -> offline + PANEL_OFFLINE, releases for the buttons seen down -> backoff ->
// a new plugin from the factory behind the same relay -> buttons set up again, LEDs as they were.
// johnny-five gets one Board, its Buttons and Leds for the life of the driver (PanelRelayIo), and
// is imported only when a panel connects, so an office without one never loads it.
//
// What leaks through from johnny-five and what does not: Button debounces "down"/"up" by 7 ms
// (lodash debounce, trailing, real time), so a press shorter than that is not seen (no finger is
// that quick; the controller debounces on top). Its "hold" repeats are not listened to, and the
// edges are made to alternate per button. LED flash is ours, on the injected timers.

import {
  type FiveBoard,
  type FiveButton,
  type FiveLed,
  type FiveModule,
  importJohnnyFive,
  type JohnnyFiveIo,
  releaseIo,
  whenIoReady,
} from "../boards/led-digits-five.js";
import type { DeviceHealthSink } from "../health.js";
import { type SupervisionOptions, supervisionDefaults, TransportSupervisor } from "../supervisor.js";
import type { Timers } from "../timers.js";
import { createPanelBoard, PanelRelayIo } from "./five-panel-relay.js";
import type { ButtonEdge, ButtonLedState, ButtonPanelDriver } from "./types.js";

export interface FiveButtonConfig {
  /** The name edges carry (ButtonEdge.button). */
  button: string;
  /** GPIO: the line offset (BCM number on a Pi). Firmata: the Arduino pin (2, "A0"). */
  pin: number | string;
  /** The pin of the button's LED, if it has one. */
  led?: number | string;
  /** Default true: the button connects the pin to ground, a pull-up holds it high otherwise. */
  pullUp?: boolean;
}

export interface FiveButtonPanelOptions {
  id: string;
  /** A new IO plugin per connection attempt (gpiodIoFactory, firmataIoFactory). */
  io: () => Promise<JohnnyFiveIo>;
  buttons: FiveButtonConfig[];
  health: DeviceHealthSink;
  clock: () => number;
  timers?: Timers;
  supervision?: SupervisionOptions;
  /** For health details; default from the plugin's name ("Firmata" or else GPIO). */
  ioKind?: "gpio" | "firmata";
  /** Flashing LEDs switch every flashMs (default 250: 2 Hz). */
  flashMs?: number;
  /** How long a new plugin may take to get ready (default 10 s: an Arduino reset by the port takes ~2). */
  readyTimeoutMs?: number;
  /** How johnny-five is loaded; default the lazy import. */
  loadJohnnyFive?: () => Promise<FiveModule>;
}

const OFFLINE = "PANEL_OFFLINE";

interface ButtonSlot {
  config: FiveButtonConfig;
  pullUp: boolean;
  five: FiveButton | null;
  led: FiveLed | null;
}

export class FiveButtonPanel implements ButtonPanelDriver {
  readonly id: string;
  readonly #o: FiveButtonPanelOptions;
  readonly #timers: Timers;
  readonly #sup: TransportSupervisor;
  readonly #relay = new PanelRelayIo();
  readonly #slots = new Map<string, ButtonSlot>();
  readonly #handlers = new Set<(edge: ButtonEdge) => void>();
  readonly #down = new Set<string>();
  readonly #want = new Map<string, ButtonLedState>();
  /** Last level written per LED since the session opened (a gpioset restart saved is worth it). */
  readonly #written = new Map<string, boolean>();
  #board: FiveBoard | null = null;
  #io: JohnnyFiveIo | null = null;
  #live = false;
  #kind: "gpio" | "firmata" | undefined;
  #flashTimer: unknown = null;
  #flashLit = true;
  #edges = 0;
  #lastSeen: number | undefined;
  #reported = "";
  #alert = false;

  constructor(options: FiveButtonPanelOptions) {
    this.id = options.id;
    this.#o = options;
    this.#kind = options.ioKind;
    for (const config of options.buttons) {
      if (this.#slots.has(config.button)) throw new Error(`panel ${this.id}: button ${config.button} twice`);
      this.#slots.set(config.button, { config, pullUp: config.pullUp ?? true, five: null, led: null });
    }
    const settings = supervisionDefaults({
      clock: options.clock,
      ...(options.timers ? { timers: options.timers } : {}),
      ...options.supervision,
    });
    this.#timers = settings.timers;
    const down = (reason: string, fault: string) => {
      this.#endSession();
      this.#healthDown(reason, fault);
    };
    this.#sup = new TransportSupervisor(settings, {
      connect: (session) => this.#connect(session),
      onConnectError: (error) => this.#sup.failed(this.#sup.session, `driver error: ${error.message}`),
      onLost: (reason) => down(reason, "io_lost"),
      onFailed: (reason, fault) => down(reason, fault ?? "io_unreachable"),
    });
  }

  get connected(): boolean {
    return this.#live;
  }

  stats(): { edges: number; reconnects: number } {
    return { edges: this.#edges, reconnects: this.#sup.reconnects };
  }

  start(): void {
    this.#sup.start();
  }

  async stop(): Promise<void> {
    if (this.#sup.stop() === "stopped") return;
    this.#endSession();
  }

  onEdge(handler: (edge: ButtonEdge) => void): () => void {
    this.#handlers.add(handler);
    return () => this.#handlers.delete(handler);
  }

  setLed(button: string, state: ButtonLedState): void {
    const slot = this.#slots.get(button);
    if (slot?.config.led === undefined) return;
    this.#want.set(button, state);
    if (this.#live) this.#applyLeds();
  }

  // --- supervision ---

  async #connect(session: number): Promise<void> {
    let five: FiveModule;
    try {
      five = await (this.#o.loadJohnnyFive ?? importJohnnyFive)();
    } catch (error) {
      const reason = `johnny-five could not be loaded: ${(error as Error).message}`;
      return this.#sup.failed(session, reason, "johnny_five_missing");
    }
    if (!this.#sup.isCurrent(session)) return;
    let io: JohnnyFiveIo;
    try {
      io = await this.#o.io();
    } catch (error) {
      const { message, code } = error as Error & { code?: unknown };
      const fault = typeof code === "string" && code.startsWith("GPIO_") ? code.toLowerCase() : undefined;
      return this.#sup.failed(session, `IO plugin: ${message}`, fault);
    }
    if (!this.#sup.isCurrent(session)) return releaseIo(io);
    this.#io = io;
    this.#kind = this.#o.ioKind ?? (io.name === "Firmata" ? "firmata" : "gpio");
    try {
      await whenIoReady(io, this.#timers, this.#o.readyTimeoutMs ?? 10_000);
      if (!this.#sup.isCurrent(session)) return;
      this.#relay.attach(io);
      const first = this.#board === null;
      this.#board ??= await createPanelBoard(five, this.#relay, this.#o.readyTimeoutMs ?? 10_000, (reason) =>
        this.#sup.lose(reason),
      );
      if (!this.#sup.isCurrent(session)) return;
      if (!first) this.#setUpAgain();
      this.#createMissing(five, this.#board);
      this.#pullUps();
    } catch (error) {
      return this.#sup.failed(session, (error as Error).message);
    }
    this.#sup.opened();
    this.#sup.resetBackoff();
    this.#live = true;
    this.#lastSeen = this.#o.clock();
    this.#healthUp();
    this.#applyLeds();
  }

  /** Buttons and LEDs johnny-five does not have yet (all of them the first time). */
  #createMissing(five: FiveModule, board: FiveBoard): void {
    for (const [name, slot] of this.#slots) {
      if (!slot.five) {
        const { pin } = slot.config;
        const button = new five.Button({ pin, board, pullup: slot.pullUp, pulldown: !slot.pullUp });
        button.on("down", () => this.#edge(name, true));
        button.on("up", () => this.#edge(name, false));
        slot.five = button;
      }
      if (slot.config.led !== undefined && !slot.led)
        slot.led = new five.Led({ pin: slot.config.led, board });
    }
  }

  /** A new plugin behind the relay: the pins as johnny-five's constructors set them, and its reads again. */
  #setUpAgain(): void {
    const relay = this.#relay;
    const modes = relay.modes;
    for (const slot of this.#slots.values()) {
      if (slot.five) {
        relay.pinMode(slot.five.pin, modes?.INPUT ?? 0);
        relay.digitalWrite(slot.five.pin, slot.pullUp ? relay.HIGH : relay.LOW);
      }
      if (slot.led) relay.pinMode(slot.led.pin, slot.led.mode ?? relay.MODES.OUTPUT);
    }
    relay.resubscribe();
  }

  /**
   * Pull-ups by pin mode where the plugin has PULLUP: StandardFirmata 2.5 turns "write HIGH to an
   * input" into INPUT_PULLUP only on AVR boards, and a later port write cannot undo PULLUP.
   */
  #pullUps(): void {
    const pullup = this.#relay.modes?.PULLUP;
    if (pullup === undefined) return;
    for (const slot of this.#slots.values())
      if (slot.five && slot.pullUp) this.#relay.pinMode(slot.five.pin, pullup);
  }

  /** The session ended (lost, failed, stopped): releases for buttons seen down, the plugin let go. */
  #endSession(): void {
    this.#live = false;
    this.#stopFlash();
    this.#written.clear();
    for (const name of [...this.#down]) this.#emit(name, false, true);
    // johnny-five's Buttons hear the released level too, so their state (and hold timers) end.
    for (const slot of this.#slots.values())
      if (slot.five) this.#relay.inject(slot.five.pin, slot.pullUp ? 1 : 0);
    const io = this.#io;
    this.#io = null;
    if (io && this.#relay.attached === io) this.#relay.detach();
    if (io) releaseIo(io);
  }

  // --- buttons ---

  #edge(name: string, down: boolean): void {
    if (!this.#live || this.#down.has(name) === down) return;
    this.#emit(name, down);
  }

  #emit(name: string, down: boolean, lost = false): void {
    if (down) this.#down.add(name);
    else this.#down.delete(name);
    this.#edges++;
    const at = this.#o.clock();
    this.#lastSeen = at;
    const edge: ButtonEdge = lost ? { button: name, down, at, lost } : { button: name, down, at };
    for (const handler of this.#handlers) {
      try {
        handler(edge);
      } catch {
        // a handler's failure is its own; the panel keeps reporting
      }
    }
  }

  // --- LEDs ---

  #applyLeds(): void {
    let flashing = false;
    for (const [name, slot] of this.#slots) {
      if (!slot.led) continue;
      const state = this.#want.get(name) ?? "off";
      if (state === "flash") flashing = true;
      this.#writeLed(name, slot.led, state === "on" || (state === "flash" && this.#flashLit));
    }
    if (flashing && this.#flashTimer === null) {
      this.#flashTimer = this.#timers.setInterval(() => this.#flashStep(), this.#o.flashMs ?? 250);
    } else if (!flashing) this.#stopFlash();
  }

  #flashStep(): void {
    this.#flashLit = !this.#flashLit;
    if (this.#live) this.#applyLeds();
  }

  #stopFlash(): void {
    if (this.#flashTimer !== null) this.#timers.clearInterval(this.#flashTimer);
    this.#flashTimer = null;
    this.#flashLit = true;
  }

  #writeLed(name: string, led: FiveLed, lit: boolean): void {
    if (!this.#live || this.#written.get(name) === lit) return;
    try {
      if (lit) led.on();
      else led.off();
      this.#written.set(name, lit);
    } catch (error) {
      this.#sup.lose(`LED write failed: ${(error as Error).message}`);
    }
  }

  // --- health ---

  #details(): Record<string, unknown> {
    return { io: this.#kind ?? "gpio", edges: this.#edges, reconnects: this.#sup.reconnects };
  }

  #healthUp(): void {
    this.#reported = "ok";
    this.#o.health.report("ok", [], this.#lastSeen, this.#details());
    if (this.#alert) {
      this.#alert = false;
      this.#o.health.clear(OFFLINE);
    }
  }

  #healthDown(reason: string, fault: string): void {
    if (this.#reported !== `offline ${fault}`) {
      this.#reported = `offline ${fault}`;
      this.#o.health.report("offline", [fault], this.#lastSeen, { ...this.#details(), reason });
    }
    if (!this.#alert) {
      this.#alert = true;
      this.#o.health.raise(OFFLINE, "warning", `Button panel ${this.id} is offline: ${reason}`);
    }
  }
}
