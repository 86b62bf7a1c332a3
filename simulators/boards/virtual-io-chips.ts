// The LED driver chips behind the virtual johnny-five IO plugin: an HT16K33 (I2C) and a MAX7219
// (16-bit SPI frames), each keeping its registers like the real chip and decoding what its
// seven-segment digits show.
//
// Segment codes here are in one canonical order, the HT16K33's and protocols/boards/led-digits.ts':
// bit0 = a (top), bit1 = b, bit2 = c, bit3 = d, bit4 = e, bit5 = f, bit6 = g (middle), bit7 = the
// decimal point. A MAX7219 in no-decode mode has them the other way round: bit7 dp, bit6 a ... bit0 g.

import { sevenSegmentCode } from "../../protocols/boards/led-digits.js";

export const DECIMAL_POINT = 0x80;

// What a code reads as, in the project's font (protocols/boards/led-digits.ts). Some codes are
// shared (S = 5, Z = 2, I = 1): digits win, then letters in alphabetical order.
const READS = new Map<number, string>();
for (const ch of "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-_ ") {
  const code = sevenSegmentCode(ch);
  if ((code !== 0 || ch === " ") && !READS.has(code)) READS.set(code, ch);
}

/** What one digit's segment code reads as: a character ("?" if none), "." appended for the point. */
export function readSegments(code: number): string {
  const ch = READS.get(code & 0x7f) ?? "?";
  return code & DECIMAL_POINT ? `${ch}.` : ch;
}

/** Canonical segment code of a MAX7219 no-decode digit register (dp a b c d e f g, MSB first). */
export function fromMax7219Order(value: number): number {
  let code = value & 0x80;
  for (let bit = 0; bit < 7; bit++) if (value & (0x40 >> bit)) code |= 1 << bit;
  return code;
}

// MAX7219 Code B font (decode mode): 0-9, -, E, H, L, P, blank; bit7 the decimal point.
const CODE_B = "0123456789-EHLP ";

export interface DigitsView {
  /** What the digits read, left to right ("." joined to the digit whose point is lit). */
  text: string;
  /** Canonical segment codes, left to right. */
  segments: number[];
  /** Whether the display is on (oscillator and display on; not shut down). */
  lit: boolean;
  /** What a person in the waiting room sees: `text` when lit, blanks when not. */
  shown: string;
}

function view(segments: number[], lit: boolean): DigitsView {
  const text = segments.map(readSegments).join("");
  const shown = lit ? text : " ".repeat(segments.length);
  return { text, segments, lit, shown };
}

/** An HT16K33 as on the Adafruit 7-segment backpack: digit n in display RAM byte 2n. */
export class Ht16k33Chip {
  /** Display RAM, 16 bytes. */
  readonly ram: number[] = new Array(16).fill(0);
  oscillator = false;
  displayOn = false;
  /** 0 = no blink, 1 = 2 Hz, 2 = 1 Hz, 3 = 0.5 Hz. */
  blinkRate = 0;
  /** 0..15 (1/16 .. 16/16 duty). */
  dimming = 15;
  /** Every I2C write it got, as bytes. */
  readonly writes: number[][] = [];

  constructor(readonly address = 0x70) {}

  /** One I2C write: a command byte, or the RAM pointer followed by data (auto-incrementing). */
  write(bytes: readonly number[]): void {
    this.writes.push([...bytes]);
    const [first, ...data] = bytes;
    if (first === undefined) return;
    switch (first & 0xf0) {
      case 0x00:
        data.forEach((value, i) => {
          this.ram[(first + i) & 0x0f] = value & 0xff;
        });
        break;
      case 0x20:
        this.oscillator = (first & 0x01) === 1;
        break;
      case 0x80:
        this.displayOn = (first & 0x01) === 1;
        this.blinkRate = (first >> 1) & 0x03;
        break;
      case 0xe0:
        this.dimming = first & 0x0f;
        break;
      default: // row/int set, key RAM: nothing a display shows
    }
  }

  get lit(): boolean {
    return this.oscillator && this.displayOn;
  }

  /** The colon of the 4-digit backpack (RAM byte 4, bit 1). */
  get colon(): boolean {
    return ((this.ram[4] ?? 0) & 0x02) !== 0;
  }

  /** The digits at these positions (RAM byte 2n each); default the 4-digit backpack's 0, 1, 3, 4. */
  view(positions: readonly number[] = [0, 1, 3, 4]): DigitsView {
    return view(
      positions.map((p) => (this.ram[2 * p] ?? 0) & 0xff),
      this.lit,
    );
  }
}

/** A MAX7219 driving `digits` seven-segment digits; DIGIT0 is the rightmost, as on the common modules. */
export class Max7219Chip {
  /** Registers 0x01..0x08: DIGIT0..DIGIT7. */
  readonly digitRegisters: number[] = new Array(8).fill(0);
  decodeMode = 0;
  intensity = 0;
  scanLimit = 0;
  /** Power-on state is shutdown. */
  shutdown = true;
  displayTest = false;
  /** Every 16-bit frame it latched. */
  readonly frames: number[] = [];

  constructor(readonly digits = 8) {}

  /** One latched 16-bit frame: register in bits 11..8, data in bits 7..0. */
  frame(word: number): void {
    this.frames.push(word & 0xffff);
    const register = (word >> 8) & 0x0f;
    const data = word & 0xff;
    if (register >= 0x01 && register <= 0x08) this.digitRegisters[register - 1] = data;
    else if (register === 0x09) this.decodeMode = data;
    else if (register === 0x0a) this.intensity = data & 0x0f;
    else if (register === 0x0b) this.scanLimit = data & 0x07;
    else if (register === 0x0c) this.shutdown = (data & 0x01) === 0;
    else if (register === 0x0f) this.displayTest = (data & 0x01) === 1;
    // 0x00 no-op: the frame was for another chip down the chain
  }

  get lit(): boolean {
    return this.displayTest || !this.shutdown;
  }

  /** Canonical segment code of DIGITn as lit (blank beyond the scan limit). */
  segmentsOf(digit: number): number {
    if (this.displayTest) return 0xff;
    if (digit > this.scanLimit) return 0;
    const value = this.digitRegisters[digit] ?? 0;
    if (this.decodeMode & (1 << digit)) {
      const code = sevenSegmentCode(CODE_B[value & 0x0f] ?? " ");
      return code | (value & 0x80);
    }
    return fromMax7219Order(value);
  }

  /** The digits left to right: DIGIT(digits-1) .. DIGIT0. */
  view(): DigitsView {
    const segments = Array.from({ length: this.digits }, (_, i) => this.segmentsOf(this.digits - 1 - i));
    return view(segments, this.lit);
  }
}
