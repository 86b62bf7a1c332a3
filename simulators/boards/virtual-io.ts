// A virtual johnny-five IO plugin and the LED driver chips wired to it, so Led.Digits boards run
// through the real johnny-five with no hardware.
//
// What Led.Digits uses of an IO plugin (johnny-five 2.1, lib/led/ledcontrol.js):
// - HT16K33: i2cConfig(options) once, then i2cWrite(address, bytes): single command bytes
//   (0x21 oscillator on, 0x81 display on / no blink, 0xE0|n dimming, 0x20 standby) and the whole
//   display RAM as [0x00, 16 bytes] after every digit.
// - MAX7219 ("DEFAULT" controller): pinMode(data|clock|cs, MODES.OUTPUT), then per register write
//   digitalWrite(cs, LOW), 16 bits MSB first by Board#shiftOut (clock LOW, data, clock HIGH), and
//   digitalWrite(cs, HIGH) which latches the frame.
// johnny-five's Board itself reads name, isReady, pins, MODES, HIGH, LOW and listens for
// connect/ready, then error/close/disconnect.
//
// The chips (VirtualLedWiring) outlive the plugins: like real hardware, a display keeps showing
// what it had when the link to it drops, and a new plugin (a reconnect) reaches the same chips.

import { EventEmitter } from "node:events";
import { Ht16k33Chip, Max7219Chip } from "./virtual-io-chips.js";

export { type DigitsView, Ht16k33Chip, Max7219Chip, readSegments } from "./virtual-io-chips.js";

type Pin = number | string;

export interface SpiPins {
  data: Pin;
  clock: Pin;
  cs: Pin;
}

export interface VirtualWiringOptions {
  /** I2C addresses of HT16K33 chips on the bus. */
  ht16k33?: number[];
  /** MAX7219 chains, each on its own three pins; `devices` chips daisy-chained (default 1). */
  max7219?: { pins: SpiPins; digits?: number; devices?: number }[];
}

export interface VirtualIoOptions {
  /** Digital pins the plugin has (default 20). */
  pinCount?: number;
  /** Emits connect/ready after this many ms (default: on the next tick). */
  readyDelayMs?: number;
  /** Never gets ready (a board that does not answer its handshake). */
  neverReady?: boolean;
  /** An I2C write to an address nobody answers emits "error" (default: counted only). */
  errorOnNack?: boolean;
}

interface SpiChain {
  pins: SpiPins;
  chips: Max7219Chip[];
}

export interface I2cWrite {
  address: number;
  bytes: number[];
}

/** The chips on the far side of the IO plugin, and the plug between them. */
export class VirtualLedWiring {
  readonly #i2c = new Map<number, Ht16k33Chip>();
  readonly #spi: SpiChain[] = [];
  readonly #live = new Set<VirtualIo>();
  #plugged = true;
  #unpluggedReason = "";
  /** Plugins made, including refused attempts. */
  attempts = 0;

  constructor(options: VirtualWiringOptions = {}) {
    for (const address of options.ht16k33 ?? []) this.#i2c.set(address, new Ht16k33Chip(address));
    for (const { pins, digits = 8, devices = 1 } of options.max7219 ?? []) {
      this.#spi.push({ pins, chips: Array.from({ length: devices }, () => new Max7219Chip(digits)) });
    }
  }

  /** A new IO plugin over these chips (what a driver's `io` factory returns); throws when unplugged. */
  connect(options: VirtualIoOptions = {}): VirtualIo {
    this.attempts++;
    if (!this.#plugged) throw new Error(this.#unpluggedReason);
    const io = new VirtualIo(this, options);
    this.#live.add(io);
    return io;
  }

  /** Pulls the cable: every live plugin emits "close", new ones are refused until plug(). */
  unplug(reason = "virtual IO unplugged"): void {
    this.#plugged = false;
    this.#unpluggedReason = reason;
    for (const io of [...this.#live]) io.disconnect(reason);
  }

  plug(): void {
    this.#plugged = true;
  }

  /** The plugins in use. */
  get live(): VirtualIo[] {
    return [...this.#live];
  }

  ht16k33(address = 0x70): Ht16k33Chip {
    const chip = this.#i2c.get(address);
    if (!chip) throw new Error(`no HT16K33 at 0x${address.toString(16)}`);
    return chip;
  }

  /** The MAX7219 on the chain whose CS is `cs`; device 0 is the one nearest the data pin. */
  max7219(cs: Pin, device = 0): Max7219Chip {
    const chip = this.#spi.find((chain) => chain.pins.cs === cs)?.chips[device];
    if (!chip) throw new Error(`no MAX7219 ${device} on CS pin ${cs}`);
    return chip;
  }

  /** @internal */
  i2cChip(address: number): Ht16k33Chip | undefined {
    return this.#i2c.get(address);
  }

  /** @internal */
  spiChains(): readonly SpiChain[] {
    return this.#spi;
  }

  /** @internal */
  forget(io: VirtualIo): void {
    this.#live.delete(io);
  }
}

/** A johnny-five IO plugin that reaches a VirtualLedWiring's chips, and records what it sent. */
export class VirtualIo extends EventEmitter {
  readonly name = "VirtualIo";
  readonly MODES = { INPUT: 0, OUTPUT: 1, ANALOG: 2, PWM: 3, SERVO: 4, I2C: 6 } as const;
  readonly HIGH = 1;
  readonly LOW = 0;
  readonly pins: {
    supportedModes: number[];
    mode: number;
    value: number;
    report: number;
    analogChannel: number;
  }[];
  readonly analogPins: number[] = [];
  isReady = false;
  /** Every I2C write, as [register?, ...bytes] to an address. */
  readonly i2cWrites: I2cWrite[] = [];
  /** Every latched SPI transfer: the 16-bit words in the order they were shifted out. */
  readonly spiFrames: number[][] = [];
  /** I2C writes nobody answered. */
  nacks = 0;
  i2cConfigured = false;
  /** Writes throw (a bus error the plugin reports by throwing). */
  throwOnWrite: Error | null = null;
  #dead: string | null = null;
  readonly #wiring: VirtualLedWiring;
  readonly #errorOnNack: boolean;
  readonly #levels = new Map<Pin, number>();
  /** Bits shifted in since CS went low, per chain (by CS pin). */
  readonly #shifting = new Map<Pin, number[]>();

  constructor(wiring: VirtualLedWiring, options: VirtualIoOptions = {}) {
    super();
    this.#wiring = wiring;
    this.#errorOnNack = options.errorOnNack ?? false;
    this.pins = Array.from({ length: options.pinCount ?? 20 }, () => ({
      supportedModes: [0, 1, 6],
      mode: 0,
      value: 0,
      report: 0,
      analogChannel: 127,
    }));
    if (options.neverReady) return;
    const ready = () => {
      if (this.#dead) return;
      this.isReady = true;
      this.emit("connect");
      this.emit("ready");
    };
    if (options.readyDelayMs !== undefined) setTimeout(ready, options.readyDelayMs);
    else process.nextTick(ready);
  }

  get alive(): boolean {
    return this.#dead === null;
  }

  pinMode(pin: Pin, mode: number): void {
    this.#check();
    const state = this.pins[Number(pin)];
    if (state) state.mode = mode;
  }

  digitalWrite(pin: Pin, value: number): void {
    this.#check();
    const level = value ? 1 : 0;
    const before = this.#levels.get(pin) ?? 0;
    this.#levels.set(pin, level);
    const state = this.pins[Number(pin)];
    if (state) state.value = level;
    for (const chain of this.#wiring.spiChains()) this.#spiEdge(chain, pin, before, level);
  }

  digitalRead(pin: Pin, callback: (value: number) => void): void {
    this.#check();
    callback(this.#levels.get(pin) ?? 0);
  }

  i2cConfig(_options?: unknown): void {
    this.#check();
    this.i2cConfigured = true;
  }

  /** i2cWrite(address, bytes) or i2cWrite(address, register, bytes | byte), as in the IO plugin spec. */
  i2cWrite(address: number, registerOrBytes: number | number[], bytes?: number | number[]): void {
    this.#check();
    const data = Array.isArray(registerOrBytes)
      ? [...registerOrBytes]
      : [registerOrBytes, ...(bytes === undefined ? [] : Array.isArray(bytes) ? bytes : [bytes])];
    this.i2cWrites.push({ address, bytes: data });
    const chip = this.#wiring.i2cChip(address);
    if (chip) chip.write(data);
    else {
      this.nacks++;
      if (this.#errorOnNack)
        this.emit("error", new Error(`no I2C device answers at 0x${address.toString(16)}`));
    }
  }

  i2cWriteReg(address: number, register: number, value: number): void {
    this.i2cWrite(address, [register, value]);
  }

  /** The plugin fails: emits "error" and refuses everything from now on. */
  fail(message = "virtual IO failed"): void {
    if (this.#dead) return;
    this.#dead = message;
    this.#wiring.forget(this);
    this.emit("error", new Error(message));
  }

  /** The link drops: emits "close" and refuses everything from now on. */
  disconnect(reason = "virtual IO closed"): void {
    if (this.#dead) return;
    this.#dead = reason;
    this.#wiring.forget(this);
    this.emit("close");
  }

  /** Let go by its user: quietly dead. */
  close(): void {
    if (this.#dead) return;
    this.#dead = "closed";
    this.#wiring.forget(this);
  }

  #check(): void {
    if (this.#dead) throw new Error(`virtual IO is gone: ${this.#dead}`);
    if (this.throwOnWrite) throw this.throwOnWrite;
  }

  /** MAX7219 bit-banged SPI: bits sampled on clock rising edges while CS is low, latched when CS goes high. */
  #spiEdge(chain: SpiChain, pin: Pin, before: number, level: number): void {
    const { data, clock, cs } = chain.pins;
    const bits = this.#shifting.get(cs);
    if (pin === cs) {
      if (level === 0 && !bits) this.#shifting.set(cs, []);
      else if (level === 1 && bits) this.#latch(chain);
    } else if (pin === clock && before === 0 && level === 1 && bits) {
      bits.push(this.#levels.get(data) ?? 0);
    }
  }

  #latch(chain: SpiChain): void {
    const bits = this.#shifting.get(chain.pins.cs);
    this.#shifting.delete(chain.pins.cs);
    if (!bits || bits.length === 0) return;
    const words: number[] = [];
    for (let i = 0; i + 16 <= bits.length; i += 16) {
      words.push(bits.slice(i, i + 16).reduce((acc, bit) => (acc << 1) | bit, 0));
    }
    this.spiFrames.push(words);
    // The last word shifted in sits in the chip nearest the data pin (device 0).
    const n = chain.chips.length;
    const tail = words.slice(-n);
    for (const [i, word] of tail.entries()) chain.chips[tail.length - 1 - i]?.frame(word);
  }
}
