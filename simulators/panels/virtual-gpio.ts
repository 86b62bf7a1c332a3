// A virtual GPIO chip: the lines and what is wired to them, in memory. Its backend() sessions have
// the shape of device/gpio's GpioChipBackend (kept structural: simulators do not import device/),
// so the real gpiod IO plugin over it is a complete virtual GPIO IO plugin for johnny-five:
//
//   gpiodIoFactory({ chip: "virtual", backend: () => chip.backend() })
//
// Bias as on the hardware: a pull-up input reads 1 until its button connects it to ground, a
// pull-down input reads 0 until its button connects it to 3.3 V, an input with no bias and nothing
// driving it reads 0 here (floating, in truth). Like the real tools, a session that ends (closed,
// or failed: the gpiomon process died) lets its output lines go, so LEDs go dark; the wiring (a
// held button) stays.

import type { GpioBias, GpioEdgeEvent, GpioLevel } from "../../protocols/gpio/gpiomon-output.js";

interface Line {
  /** Bias while requested as an input; null when not an input. */
  bias: GpioBias | null;
  /** The level a session drives it to; null when not an output. */
  output: GpioLevel | null;
  /** What the outside world does to it: a pressed button, a test's setInput. */
  external: GpioLevel | null;
}

export interface VirtualGpioSession {
  readonly description: string;
  open(): Promise<void>;
  watch(lines: readonly { offset: number; bias: GpioBias }[]): Promise<Map<number, GpioLevel>>;
  set(offset: number, level: GpioLevel): Promise<void>;
  onEdge(handler: (edge: GpioEdgeEvent) => void): () => void;
  onLost(handler: (error: Error) => void): () => void;
  close(): Promise<void>;
}

export class VirtualGpioChip {
  readonly name: string;
  readonly lineCount: number;
  readonly #lines = new Map<number, Line>();
  readonly #sessions = new Set<Session>();
  #present = true;
  /** Sessions made (each connection attempt of a driver makes one). */
  sessions = 0;
  /** watch() calls, over all sessions (one per gpiomon start on the hardware). */
  watches = 0;
  /** Every output change, in order, as the LEDs saw it. */
  readonly outputLog: { offset: number; level: GpioLevel }[] = [];

  constructor(options: { name?: string; lineCount?: number } = {}) {
    this.name = options.name ?? "gpiochip0";
    this.lineCount = options.lineCount ?? 54;
  }

  /** A new backend session (what gpiodIoFactory's `backend` returns). */
  backend(): VirtualGpioSession {
    this.sessions++;
    const session = new Session(this);
    this.#sessions.add(session);
    return session;
  }

  /** Presses the button on `line`: to ground on a pull-up input, to 3.3 V on a pull-down one. */
  press(line: number): void {
    this.setInput(line, this.#line(line).bias === "pull-down" ? 1 : 0);
  }

  /** Lets the button go: the bias decides the level again. */
  release(line: number): void {
    this.setInput(line, null);
  }

  /** Drives an input from outside (null: nothing drives it). */
  setInput(line: number, level: GpioLevel | null): void {
    const before = this.level(line);
    this.#line(line).external = level;
    this.#changed(line, before);
  }

  /** The level of a line: what a session drives on an output (an LED), else the input level. */
  level(line: number): GpioLevel {
    const l = this.#line(line);
    if (l.output !== null) return l.output;
    if (l.external !== null) return l.external;
    return l.bias === "pull-up" ? 1 : 0;
  }

  /** The bias an input line was requested with, or null. */
  bias(line: number): GpioBias | null {
    return this.#line(line).bias;
  }

  /** The tool process dies (as gpiomon does when the chip goes): every live session is lost. */
  fail(reason = "gpiomon: error waiting for events: No such device"): void {
    for (const session of [...this.#sessions]) session.lose(new Error(reason));
  }

  /** The chip is gone: live sessions are lost and new ones fail to open until plug(). */
  unplug(): void {
    this.#present = false;
    this.fail();
  }

  plug(): void {
    this.#present = true;
  }

  get present(): boolean {
    return this.#present;
  }

  /** Sessions open now. */
  get live(): number {
    return this.#sessions.size;
  }

  // --- for sessions ---

  _requestInput(line: number, bias: GpioBias): GpioLevel {
    const l = this.#line(line);
    const before = this.level(line);
    l.output = null;
    l.bias = bias === "as-is" ? (l.bias ?? "disabled") : bias;
    this.#changed(line, before);
    return this.level(line);
  }

  _releaseInput(line: number): void {
    this.#line(line).bias = null;
  }

  _drive(line: number, level: GpioLevel | null): void {
    const l = this.#line(line);
    if (l.output === level) return;
    l.output = level;
    l.bias = null;
    if (level !== null) this.outputLog.push({ offset: line, level });
  }

  _ended(session: Session): void {
    this.#sessions.delete(session);
  }

  #line(line: number): Line {
    if (!Number.isInteger(line) || line < 0 || line >= this.lineCount)
      throw new Error(`${this.name}: no line ${line}`);
    let l = this.#lines.get(line);
    if (!l) {
      l = { bias: null, output: null, external: null };
      this.#lines.set(line, l);
    }
    return l;
  }

  #changed(line: number, before: GpioLevel): void {
    const after = this.level(line);
    if (after === before) return;
    for (const session of this.#sessions) session.edge(line, after);
  }
}

let eventNanos = 0;

class Session implements VirtualGpioSession {
  readonly description: string;
  readonly #chip: VirtualGpioChip;
  readonly #edgeHandlers = new Set<(edge: GpioEdgeEvent) => void>();
  readonly #lostHandlers = new Set<(error: Error) => void>();
  #watched = new Set<number>();
  readonly #outputs = new Set<number>();
  #dead: Error | null = null;

  constructor(chip: VirtualGpioChip) {
    this.#chip = chip;
    this.description = `virtual GPIO chip ${chip.name}`;
  }

  async open(): Promise<void> {
    if (!this.#chip.present) {
      this.#end(new Error(`gpiodetect: cannot find GPIO chip character device '${this.#chip.name}'`));
      throw this.#dead;
    }
  }

  async watch(lines: readonly { offset: number; bias: GpioBias }[]): Promise<Map<number, GpioLevel>> {
    this.#alive();
    this.#chip.watches++;
    for (const offset of this.#watched) this.#chip._releaseInput(offset);
    this.#watched = new Set();
    const levels = new Map<number, GpioLevel>();
    for (const { offset, bias } of lines) {
      this.#outputs.delete(offset);
      levels.set(offset, this.#chip._requestInput(offset, bias));
      this.#watched.add(offset);
    }
    return levels;
  }

  async set(offset: number, level: GpioLevel): Promise<void> {
    this.#alive();
    this.#watched.delete(offset);
    this.#outputs.add(offset);
    this.#chip._drive(offset, level);
  }

  onEdge(handler: (edge: GpioEdgeEvent) => void): () => void {
    this.#edgeHandlers.add(handler);
    return () => this.#edgeHandlers.delete(handler);
  }

  onLost(handler: (error: Error) => void): () => void {
    this.#lostHandlers.add(handler);
    return () => this.#lostHandlers.delete(handler);
  }

  async close(): Promise<void> {
    this.#end(new Error(`${this.description}: closed`));
  }

  edge(offset: number, level: GpioLevel): void {
    if (this.#dead || !this.#watched.has(offset)) return;
    eventNanos += 1000;
    const edge = { offset, level, seconds: Math.floor(eventNanos / 1e9), nanos: eventNanos % 1e9 };
    for (const handler of this.#edgeHandlers) handler(edge);
  }

  lose(error: Error): void {
    if (this.#dead) return;
    this.#end(error);
    for (const handler of this.#lostHandlers) handler(error);
  }

  #end(error: Error): void {
    if (this.#dead) return;
    this.#dead = error;
    for (const offset of this.#watched) this.#chip._releaseInput(offset);
    for (const offset of this.#outputs) this.#chip._drive(offset, null);
    this.#chip._ended(this);
  }

  #alive(): void {
    if (this.#dead) throw this.#dead;
  }
}
