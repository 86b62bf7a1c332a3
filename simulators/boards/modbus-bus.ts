// Seven-segment Modbus RTU modules (DM56A04 style) sharing one RS-485 bus. Every module hears every
// byte the master sends; only the addressed one answers, and none answers a broadcast. A slave
// drops a frame whose CRC is wrong without a word, so the master sees a timeout, not an error.

import {
  checkCrc,
  exceptionReply,
  MAX_READ_REGISTERS,
  type ModbusRequest,
  ModbusRequestParser,
  readHoldingRegistersReply,
  writeMultipleRegistersReply,
  writeSingleRegister,
} from "../../protocols/boards/modbus.js";
import { NUMBER_REGISTER } from "../../protocols/boards/seven-segment-modbus.js";

export interface BoardHistoryEntry {
  /** When the display changed (the bus's clock, ms). */
  at: number;
  text: string;
}

export interface ModbusBusStats {
  /** Frames with a good CRC, whatever their address. */
  frames: number;
  badCrcs: number;
  /** Bytes that made no frame: noise, and the bytes of the bad-CRC frames. */
  garbageBytes: number;
  /** Frames the modules sent back, garbled ones included. */
  replies: number;
}

export interface VirtualModbusBusOptions {
  /** Clock for history(); Date.now by default. */
  now?: () => number;
  /**
   * Quiet time after which an unfinished frame is dropped, as a slave does after 3.5 character
   * times; longer than on the wire (20 ms) because TCP and ptys deliver in bursts. 0: never.
   */
  silenceMs?: number;
}

/** Registers 0..5: one ASCII character per digit; register 7: a number. 6 is kept, shown nowhere. */
const CHAR_REGISTERS = 6;
const REGISTER_COUNT = NUMBER_REGISTER + 1;
const ILLEGAL_DATA_ADDRESS = 2;
const ILLEGAL_DATA_VALUE = 3;

interface Module {
  readonly address: number;
  readonly digits: number;
  registers: number[];
  /** Which register block was written last decides what the digits show. */
  shows: "chars" | "number";
  dead: boolean;
  garbage: boolean;
  history: BoardHistoryEntry[];
  text: string;
}

export class VirtualModbusBus {
  private readonly modules = new Map<number, Module>();
  private readonly outputHandlers = new Set<(bytes: Uint8Array) => void>();
  private readonly parser = new ModbusRequestParser();
  private readonly now: () => number;
  private readonly silenceMs: number;
  private silence: ReturnType<typeof setTimeout> | undefined;
  private counts = { frames: 0, replies: 0 };

  constructor(options: VirtualModbusBusOptions = {}) {
    this.now = options.now ?? Date.now;
    this.silenceMs = options.silenceMs ?? 20;
  }

  /** A module at slave `address` (1..247) with `digits` digits (1..6), blank as after power-on. */
  addModule(address: number, options: { digits?: number } = {}): void {
    const digits = options.digits ?? 4;
    if (!Number.isInteger(address) || address < 1 || address > 247) {
      throw new RangeError(`Modbus slave address must be 1..247, got ${address}`);
    }
    if (!Number.isInteger(digits) || digits < 1 || digits > CHAR_REGISTERS) {
      throw new RangeError(`digits must be 1..${CHAR_REGISTERS}, got ${digits}`);
    }
    if (this.modules.has(address)) throw new Error(`a module already answers at address ${address}`);
    this.modules.set(address, {
      address,
      digits,
      registers: new Array(REGISTER_COUNT).fill(0),
      shows: "chars",
      dead: false,
      garbage: false,
      history: [],
      text: " ".repeat(digits),
    });
  }

  /** Bytes from the master. Replies go out synchronously, before this returns. */
  receive(chunk: Uint8Array): void {
    clearTimeout(this.silence);
    this.handle(this.parser.push(chunk));
    if (this.parser.buffered > 0 && this.silenceMs > 0) {
      this.silence = setTimeout(() => this.handle(this.parser.flush()), this.silenceMs);
      this.silence.unref?.();
    }
  }

  /** Bytes to the master. Returns an unsubscribe function. */
  onOutput(handler: (bytes: Uint8Array) => void): () => void {
    this.outputHandlers.add(handler);
    return () => this.outputHandlers.delete(handler);
  }

  /** What the module's digits show now, exactly `digits` characters. */
  display(address: number): string {
    return this.module(address).text;
  }

  /** Every change of what the module shows, oldest first (lets tests see blinking). */
  history(address: number): BoardHistoryEntry[] {
    return [...this.module(address).history];
  }

  /** The module's holding registers 0..7 as a read would return them. */
  registers(address: number): number[] {
    return [...this.module(address).registers];
  }

  /** Power lost: no answers, and nothing kept; back alive it starts blank, as after power-on. */
  setDead(address: number, dead: boolean): void {
    const module = this.module(address);
    if (module.dead === dead) return;
    module.dead = dead;
    module.registers.fill(0);
    module.shows = "chars";
    this.refresh(module);
  }

  /** A module whose replies arrive garbled (bad termination, wrong baud): it still obeys writes. */
  setGarbage(address: number, garbage: boolean): void {
    this.module(address).garbage = garbage;
  }

  stats(): ModbusBusStats {
    return {
      frames: this.counts.frames,
      badCrcs: this.parser.badCrcs,
      garbageBytes: this.parser.garbage,
      replies: this.counts.replies,
    };
  }

  private handle(requests: ModbusRequest[]): void {
    for (const request of requests) {
      this.counts.frames++;
      if (request.address === 0) {
        for (const module of this.modules.values()) if (!module.dead) this.apply(module, request);
        continue;
      }
      const module = this.modules.get(request.address);
      if (!module || module.dead) continue;
      const reply = this.apply(module, request);
      this.send(module.garbage ? garble(reply) : reply);
    }
  }

  private module(address: number): Module {
    const module = this.modules.get(address);
    if (!module) throw new Error(`no module at address ${address}`);
    return module;
  }

  /** Carries out a request and returns the reply the module would send if addressed alone. */
  private apply(module: Module, request: ModbusRequest): Uint8Array {
    const { address, start } = request;
    // Broadcasts are carried out but never answered; the protocol's reply builders refuse address 0.
    const slave = address || module.address;
    if (request.function === 3) {
      const { count } = request;
      if (count < 1 || count > MAX_READ_REGISTERS) return exceptionReply(slave, 3, ILLEGAL_DATA_VALUE);
      if (start + count > REGISTER_COUNT) return exceptionReply(slave, 3, ILLEGAL_DATA_ADDRESS);
      return readHoldingRegistersReply(slave, module.registers.slice(start, start + count));
    }
    const { values } = request;
    if (start + values.length > REGISTER_COUNT) {
      return exceptionReply(slave, request.function, ILLEGAL_DATA_ADDRESS);
    }
    values.forEach((value, i) => {
      module.registers[start + i] = value;
      // In register order, so a write covering both blocks ends on the number, as the module would.
      if (start + i === NUMBER_REGISTER) module.shows = "number";
      else if (start + i < CHAR_REGISTERS) module.shows = "chars";
    });
    this.refresh(module);
    return request.function === 6
      ? writeSingleRegister(slave, start, values[0] ?? 0)
      : writeMultipleRegistersReply(slave, start, values.length);
  }

  private refresh(module: Module): void {
    const text = module.dead ? " ".repeat(module.digits) : shown(module);
    if (text === module.text) return;
    module.text = text;
    module.history.push({ at: this.now(), text });
  }

  private send(bytes: Uint8Array): void {
    this.counts.replies++;
    for (const handler of this.outputHandlers) handler(bytes);
  }
}

function shown(module: Module): string {
  if (module.shows === "number") {
    // Unsigned; a number wider than the module keeps its last digits (what fits on the right).
    const digits = String(module.registers[NUMBER_REGISTER] ?? 0);
    return digits.slice(-module.digits).padStart(module.digits, " ");
  }
  return module.registers
    .slice(0, module.digits)
    .map((value) => {
      const code = value & 0xff; // the high byte is not part of the character
      return code >= 0x20 && code < 0x7f ? String.fromCharCode(code) : " ";
    })
    .join("");
}

/** The reply's bytes scrambled, with a CRC that is sure to be wrong. */
function garble(reply: Uint8Array): Uint8Array {
  const out = reply.map((byte, i) => byte ^ (0x5a + i * 0x1d) ^ 0xff);
  if (checkCrc(out)) out[out.length - 1] = (out[out.length - 1] ?? 0) ^ 0x01;
  return out;
}
