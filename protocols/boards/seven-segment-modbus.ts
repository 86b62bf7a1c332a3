// Modbus RTU seven-segment modules such as the eletechsup DM56A04 (see reference/hardware.md):
// registers 0..5 hold one ASCII character per digit, register 7 a number to show. The module
// draws the characters itself, so this codec only fits text and frames it.

import {
  ModbusReplyParser,
  readHoldingRegisters,
  writeMultipleRegisters,
  writeSingleRegister,
} from "./modbus.js";
import { asciiCells, assertIntIn, fitCells } from "./text.js";
import type { BoardCodec } from "./types.js";

export interface SevenSegmentModbusOptions {
  /** Digits on the module (DM56A04: 4). */
  digits?: number;
  /** Register of the leftmost digit (DM56A04: 0). */
  startRegister?: number;
}

/** DM56A04: writing a number here shows it (decimal) instead of the character registers. */
export const NUMBER_REGISTER = 7;

/** Show a number through register 7 (function 06): 123 on slave 1 = `01 06 00 07 00 7B 78 28`. */
export function showNumberFrame(address: number, n: number): Uint8Array {
  return writeSingleRegister(address, NUMBER_REGISTER, n);
}

/**
 * Modbus over Serial Line V1.02, 2.5.1.1: frames are separated by 3.5 character times of silence,
 * a character being 11 bits; above 19200 baud the spec fixes it at 1750 us. Rounded up to whole
 * milliseconds because timers have ms resolution and rounding down would break the rule; so
 * never below 2 ms (9600 baud: 5 ms).
 */
export function modbusRtuGapMs(baudRate: number): number {
  if (!(baudRate > 0)) throw new RangeError(`baud rate must be positive, got ${String(baudRate)}`);
  const ms = baudRate > 19200 ? 1.75 : (3.5 * 11 * 1000) / baudRate;
  return Math.ceil(ms);
}

/**
 * Text on a seven-segment module: left-aligned, cut from the right if too long ("A023 → 4" on four
 * digits shows "A023"), padded with spaces; "→" becomes "-" (one cell, the closest 7-segment
 * shape). Written in one function 16 frame, one character per register: `00 41 00 31 ...`.
 * The module cannot blink by itself: the driver emulates it (nativeBlink false).
 */
export function sevenSegmentModbusCodec(options: SevenSegmentModbusOptions = {}): BoardCodec {
  const digits = options.digits ?? 4;
  const start = options.startRegister ?? 0;
  assertIntIn("digits", digits, 1, 123);
  assertIntIn("startRegister", start, 0, 0x10000 - digits);
  return {
    protocol: "modbus-7seg",
    width: digits,
    nativeBlink: false,
    encodeShow(address, text) {
      const line = text.split(/\r?\n/)[0] ?? "";
      const cells = fitCells(asciiCells(line, ["-"]), digits, true);
      return [
        writeMultipleRegisters(
          address,
          start,
          cells.map((c) => c.charCodeAt(0)),
        ),
      ];
    },
    encodeProbe(address) {
      return address === 0 ? null : readHoldingRegisters(address, start, 1);
    },
    expectsReply: (address) => address !== 0,
    newReplyParser: () => new ModbusReplyParser(),
    interFrameGapMs: modbusRtuGapMs,
  };
}
