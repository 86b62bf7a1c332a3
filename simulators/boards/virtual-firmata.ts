// A minimal virtual Arduino running StandardFirmata, over bytes: enough of the protocol for
// firmata-io to get ready (version, firmware name, capabilities, analog mapping) and for
// johnny-five's Led.Digits to drive an HT16K33 (I2C_REQUEST writes) or a MAX7219 (bit-banged with
// SET_PIN_MODE and DIGITAL_MESSAGE port writes). The chips are the ones of virtual-io.ts: the
// Firmata messages are decoded into the calls of a VirtualIo over a VirtualLedWiring, so the
// display shows what it would behind johnny-five's own virtual plugin.
//
// Digital inputs as StandardFirmata 2.5 has them, for button panels: SET_PIN_MODE INPUT (0) or
// PULLUP (0x0B); writing 1 to an INPUT pin's port bit turns its pull-up on (what the sketch does
// on an AVR: pinMode INPUT_PULLUP), writing 0 does not turn it off; REPORT_DIGITAL (0xD0|port)
// switches a port's reports on (answered at once with the port's state) or off; while on, a
// change of an input pin sends DIGITAL_MESSAGE with the input pins' bits of the port. The
// outside world drives pins with setInput / press / release.
//
// It is a ByteDevice (simulators/shared/attach.ts): put it behind serveByteDeviceTcp, or a mock
// or pty serial port.

import type { ByteDevice } from "../shared/attach.js";
import { type VirtualIo, VirtualLedWiring, type VirtualWiringOptions } from "./virtual-io.js";

export { Ht16k33Chip, Max7219Chip } from "./virtual-io.js";

const DIGITAL_MESSAGE = 0x90;
const SET_PIN_MODE = 0xf4;
const REPORT_VERSION = 0xf9;
const SYSTEM_RESET = 0xff;
const START_SYSEX = 0xf0;
const END_SYSEX = 0xf7;
const QUERY_FIRMWARE = 0x79;
const CAPABILITY_QUERY = 0x6b;
const CAPABILITY_RESPONSE = 0x6c;
const ANALOG_MAPPING_QUERY = 0x69;
const ANALOG_MAPPING_RESPONSE = 0x6a;
const I2C_REQUEST = 0x76;
const I2C_CONFIG = 0x78;

const MODE_INPUT = 0;
const MODE_OUTPUT = 1;
const MODE_I2C = 6;
const MODE_PULLUP = 0x0b;
const REPORT_DIGITAL = 0xd0;

/** Bytes that follow a MIDI-style command (its high nibble, or the whole byte from 0xF0 up). */
function dataLength(command: number): number {
  const kind = command < 0xf0 ? command & 0xf0 : command;
  if (kind === 0x90 || kind === 0xe0 || kind === SET_PIN_MODE || kind === 0xf5) return 2;
  if (kind === 0xc0 || kind === 0xd0) return 1;
  return 0;
}

export interface VirtualFirmataOptions extends VirtualWiringOptions {
  /** Digital pins (default 20, as an Uno: 0..13 digital, 14..19 A0..A5, I2C on 18/19). */
  pinCount?: number;
  /** Firmware name in the QUERY_FIRMWARE answer. */
  firmware?: string;
}

export interface FirmataI2cWrite {
  address: number;
  bytes: number[];
}

export class VirtualFirmata implements ByteDevice {
  readonly wiring: VirtualLedWiring;
  /** Every I2C write request (I2C_REQUEST, write mode), decoded. */
  readonly i2cWrites: FirmataI2cWrite[] = [];
  /** Every digital pin level change, in order. */
  readonly pinWrites: { pin: number; level: number }[] = [];
  /** Pin modes set by SET_PIN_MODE. */
  readonly pinModes = new Map<number, number>();
  /** Queries answered, by command name, for tests. */
  readonly queries: string[] = [];
  readonly #pinCount: number;
  readonly #firmware: string;
  readonly #outputs = new Set<(bytes: Uint8Array) => void>();
  readonly #ports: number[] = new Array(16).fill(0);
  /** Input pins and whether their pull-up is on. */
  readonly #inputs = new Map<number, { pullup: boolean }>();
  /** What the outside world drives pins to (a pressed button). */
  readonly #driven = new Map<number, 0 | 1>();
  readonly #reporting = new Set<number>();
  /** The input bits last sent per port, so only changes are reported. */
  readonly #sent = new Map<number, number>();
  #io: VirtualIo;
  #pending: number[] = [];
  #sysex: number[] | null = null;

  constructor(options: VirtualFirmataOptions = {}) {
    this.#pinCount = options.pinCount ?? 20;
    this.#firmware = options.firmware ?? "StandardFirmata.ino";
    this.wiring = new VirtualLedWiring(options);
    this.#io = this.wiring.connect({ pinCount: this.#pinCount });
  }

  onOutput(handler: (bytes: Uint8Array) => void): () => void {
    this.#outputs.add(handler);
    return () => this.#outputs.delete(handler);
  }

  /** Drives a pin from outside (null: nothing drives it; a pull-up, if on, holds it high). */
  setInput(pin: number, level: 0 | 1 | null): void {
    if (level === null) this.#driven.delete(pin);
    else this.#driven.set(pin, level);
    this.#report(pin >> 3);
  }

  /** A button on `pin` pressed: to ground if the pin is pulled up, else to 5 V. */
  press(pin: number): void {
    this.setInput(pin, this.#inputs.get(pin)?.pullup === false ? 1 : 0);
  }

  release(pin: number): void {
    this.setInput(pin, null);
  }

  /** What the sketch would read on `pin` (digitalRead). */
  inputLevel(pin: number): 0 | 1 {
    return this.#driven.get(pin) ?? (this.#inputs.get(pin)?.pullup ? 1 : 0);
  }

  /** The level the host last wrote to an output pin (an LED). */
  outputLevel(pin: number): 0 | 1 {
    return ((this.#ports[pin >> 3] ?? 0) >> (pin & 7)) & 1 ? 1 : 0;
  }

  receive(chunk: Uint8Array): void {
    for (const byte of chunk) this.#byte(byte);
  }

  #byte(byte: number): void {
    if (this.#sysex) {
      if (byte === END_SYSEX) {
        const body = this.#sysex;
        this.#sysex = null;
        this.#onSysex(body);
      } else if (byte & 0x80) {
        this.#sysex = null; // an aborted sysex; the byte starts a new message
        this.#byte(byte);
      } else this.#sysex.push(byte);
      return;
    }
    if (byte === START_SYSEX) {
      this.#sysex = [];
      this.#pending = [];
      return;
    }
    if (byte & 0x80) this.#pending = [byte];
    else if (this.#pending.length > 0) this.#pending.push(byte);
    else return; // data byte with no command: noise
    const [command = 0] = this.#pending;
    if (this.#pending.length - 1 < dataLength(command)) return;
    const message = this.#pending;
    this.#pending = [];
    this.#onMessage(message);
  }

  #onMessage([command = 0, a = 0, b = 0]: number[]): void {
    if (command === REPORT_VERSION) {
      this.queries.push("version");
      this.#send([REPORT_VERSION, 2, 5]);
    } else if (command === SYSTEM_RESET) {
      this.#ports.fill(0);
      this.#inputs.clear();
      this.#reporting.clear();
      this.#sent.clear();
    } else if (command === SET_PIN_MODE) {
      this.pinModes.set(a, b);
      if (b === MODE_INPUT || b === MODE_PULLUP) this.#inputs.set(a, { pullup: b === MODE_PULLUP });
      else this.#inputs.delete(a);
      if (a < this.#pinCount) this.#io.pinMode(a, b);
      this.#report(a >> 3);
    } else if ((command & 0xf0) === REPORT_DIGITAL) {
      const port = command & 0x0f;
      if (a) {
        this.#reporting.add(port);
        this.#report(port, true);
      } else this.#reporting.delete(port);
    } else if ((command & 0xf0) === DIGITAL_MESSAGE) {
      const port = command & 0x0f;
      const value = a | (b << 7);
      const before = this.#ports[port] ?? 0;
      this.#ports[port] = value;
      for (let bit = 0; bit < 8; bit++) {
        const mask = 1 << bit;
        const pin = port * 8 + bit;
        const level = value & mask ? 1 : 0;
        const input = this.#inputs.get(pin);
        if (input) {
          // INPUT + 1 turns the pull-up on, and nothing here turns it off; PULLUP pins ignore writes.
          if (level && this.pinModes.get(pin) === MODE_INPUT) input.pullup = true;
          continue;
        }
        if ((before & mask) === (value & mask)) continue;
        this.pinWrites.push({ pin, level });
        if (pin < this.#pinCount) this.#io.digitalWrite(pin, level);
      }
      this.#report(port);
    }
    // analog writes, reporting switches, sampling interval: nothing a display shows
  }

  #onSysex([command = 0, ...data]: number[]): void {
    switch (command) {
      case QUERY_FIRMWARE: {
        this.queries.push("firmware");
        const name = [...Buffer.from(this.#firmware, "utf8")].flatMap((c) => [c & 0x7f, (c >> 7) & 0x7f]);
        this.#send([START_SYSEX, QUERY_FIRMWARE, 2, 5, ...name, END_SYSEX]);
        break;
      }
      case CAPABILITY_QUERY: {
        this.queries.push("capabilities");
        const pins: number[] = [];
        for (let pin = 0; pin < this.#pinCount; pin++) {
          // Every pin: digital input and output; the Uno's SDA/SCL (A4/A5) also I2C.
          pins.push(MODE_INPUT, 1, MODE_OUTPUT, 1, MODE_PULLUP, 1);
          if (pin === 18 || pin === 19) pins.push(MODE_I2C, 1);
          pins.push(0x7f);
        }
        this.#send([START_SYSEX, CAPABILITY_RESPONSE, ...pins, END_SYSEX]);
        break;
      }
      case ANALOG_MAPPING_QUERY: {
        this.queries.push("analog-mapping");
        // A0..A5 on pins 14..19, as an Uno.
        const channels = Array.from({ length: this.#pinCount }, (_, pin) =>
          pin >= 14 && pin < 20 ? pin - 14 : 0x7f,
        );
        this.#send([START_SYSEX, ANALOG_MAPPING_RESPONSE, ...channels, END_SYSEX]);
        break;
      }
      case I2C_CONFIG:
        this.#io.i2cConfig();
        break;
      case I2C_REQUEST: {
        const [lsb = 0, modeByte = 0, ...payload] = data;
        const mode = (modeByte >> 3) & 0x03;
        if (mode !== 0) break; // reads: no chip here answers them
        const address = lsb | ((modeByte & 0x07) << 7);
        const bytes: number[] = [];
        for (let i = 0; i + 1 < payload.length; i += 2)
          bytes.push(((payload[i] ?? 0) | ((payload[i + 1] ?? 0) << 7)) & 0xff);
        this.i2cWrites.push({ address, bytes });
        this.#io.i2cWrite(address, bytes);
        break;
      }
      default:
      // other sysex (sampling interval, serial, ...): ignored, as a sketch without them would
    }
  }

  /** Whether the host has switched on digital reports for this pin's port (REPORT_DIGITAL). */
  reports(pin: number): boolean {
    return this.#reporting.has(pin >> 3);
  }

  /** Sends the port's input bits if it reports and they changed (or `force`, on enable). */
  #report(port: number, force = false): void {
    if (!this.#reporting.has(port)) return;
    let value = 0;
    for (let bit = 0; bit < 8; bit++) {
      const pin = port * 8 + bit;
      if (this.#inputs.has(pin) && this.inputLevel(pin)) value |= 1 << bit;
    }
    if (!force && this.#sent.get(port) === value) return;
    this.#sent.set(port, value);
    this.#send([DIGITAL_MESSAGE | port, value & 0x7f, (value >> 7) & 0x7f]);
  }

  #send(bytes: number[]): void {
    const out = Uint8Array.from(bytes);
    for (const handler of this.#outputs) handler(out);
  }
}
