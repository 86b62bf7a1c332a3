// Seven-segment digits driven directly (johnny-five Led.Digits or a simulator): MAX7219 over SPI
// and HT16K33 over I2C. One font for both, in the usual gfedcba order (bit0 = a ... bit6 = g,
// bit7 = decimal point), which is also HT16K33 display RAM order (hardware.md: A = 0x77).
//
// Seven segments cannot draw K, M, V, W, X: they are blank rather than a shape that reads as a
// different letter; keep them out of ticket prefixes on these boards. Some letters can only be
// drawn lower-case (b d n o q r t y); O is drawn "o" so it never reads as zero. S = 5 and Z = 2.

import { asciiCells, assertIntIn } from "./text.js";

// biome-ignore format: the font reads best as a table
const FONT: Readonly<Record<string, number>> = {
  "0": 0x3f, "1": 0x06, "2": 0x5b, "3": 0x4f, "4": 0x66, "5": 0x6d, "6": 0x7d, "7": 0x07, "8": 0x7f, "9": 0x6f,
  A: 0x77, B: 0x7c, C: 0x39, D: 0x5e, E: 0x79, F: 0x71, G: 0x3d, H: 0x76, I: 0x30, J: 0x1e, L: 0x38,
  N: 0x54, O: 0x5c, P: 0x73, Q: 0x67, R: 0x50, S: 0x6d, T: 0x78, U: 0x3e, Y: 0x6e, Z: 0x5b,
  "-": 0x40, _: 0x08, " ": 0x00,
};

export const UNRENDERABLE_LETTERS = "KMVWX";
const DP = 0x80;

/** gfedcba segments of one character (case-insensitive); blank for what 7 segments cannot draw. */
export function sevenSegmentCode(ch: string): number {
  return FONT[ch.toUpperCase()] ?? 0;
}

/** Cells of `text` fitted to `digits` (left-aligned, cut from the right); "." lights the DP of the cell before. */
export function segmentCells(text: string, digits: number): number[] {
  const codes: number[] = [];
  for (const c of asciiCells(text.split(/\r?\n/)[0] ?? "", ["-"])) {
    const last = codes.length - 1;
    if (c === "." && last >= 0 && !((codes[last] ?? 0) & DP)) codes[last] = (codes[last] ?? 0) | DP;
    else codes.push(c === "." ? DP : sevenSegmentCode(c));
  }
  const out = codes.slice(0, digits);
  while (out.length < digits) out.push(0);
  return out;
}

/** gfedcba+DP to the MAX7219 no-decode bit order, DP A B C D E F G (datasheet Table 6). */
export function toMax7219Segments(code: number): number {
  let out = code & DP;
  for (let seg = 0; seg < 7; seg++) if (code & (1 << seg)) out |= 1 << (6 - seg);
  return out;
}

export const MAX7219 = {
  decodeMode: 0x09,
  intensity: 0x0a,
  scanLimit: 0x0b,
  shutdown: 0x0c,
  displayTest: 0x0f,
};

export interface Max7219Options {
  digits?: number;
  /** 0..15 (datasheet Table 7: duty cycle 1/32..31/32). */
  intensity?: number;
  /**
   * Register 0x01 (DIG0) drives the rightmost digit on the common 8-digit modules, so the text's
   * last cell goes there; false puts the first cell in DIG0.
   */
  rightmostFirst?: boolean;
}

/**
 * 16-bit frames as [register, data]: no-decode mode (the font is ours), intensity, scan limit,
 * normal operation (leave shutdown), then one frame per digit.
 */
export function max7219Frames(text: string, options: Max7219Options = {}): Array<[number, number]> {
  const digits = options.digits ?? 8;
  const intensity = options.intensity ?? 8;
  assertIntIn("digits", digits, 1, 8);
  assertIntIn("intensity", intensity, 0, 15);
  const cells = segmentCells(text, digits).map(toMax7219Segments);
  if (options.rightmostFirst ?? true) cells.reverse();
  return [
    [MAX7219.decodeMode, 0x00],
    [MAX7219.intensity, intensity],
    [MAX7219.scanLimit, digits - 1],
    [MAX7219.shutdown, 0x01],
    ...cells.map((data, k): [number, number] => [0x01 + k, data]),
  ];
}

/**
 * HT16K33 setup commands (datasheet: system setup 0x21 oscillator on, display setup 0x81 on
 * without blinking, dimming 0xEF full brightness); send before the display RAM.
 */
export const HT16K33_SETUP: readonly number[] = [0x21, 0x81, 0xef];

/**
 * 16 bytes of display RAM from register 0: two bytes per digit (row k = bytes 2k, 2k+1), segments
 * in the low byte, up to 8 digits left to right. Boards with a colon at position 2 (Adafruit
 * 4-digit backpack) are laid out by johnny-five; this is the plain digit-per-row layout.
 */
export function ht16k33DisplayRam(text: string, options: { digits?: number } = {}): Uint8Array {
  const digits = options.digits ?? 8;
  assertIntIn("digits", digits, 1, 8);
  const ram = new Uint8Array(16);
  segmentCells(text, digits).forEach((code, k) => {
    ram[2 * k] = code;
  });
  return ram;
}
