import { describe, expect, it } from "vitest";
import {
  HT16K33_SETUP,
  ht16k33DisplayRam,
  max7219Frames,
  segmentCells,
  sevenSegmentCode,
  toMax7219Segments,
  UNRENDERABLE_LETTERS,
} from "../../../protocols/boards/led-digits.js";

describe("seven-segment font (gfedcba)", () => {
  it("draws the digits and A the standard way (hardware.md: A 77, 1 06, 2 5B, 3 4F)", () => {
    expect([..."0123456789"].map(sevenSegmentCode)).toEqual([
      0x3f, 0x06, 0x5b, 0x4f, 0x66, 0x6d, 0x7d, 0x07, 0x7f, 0x6f,
    ]);
    expect(sevenSegmentCode("A")).toBe(0x77);
    expect(sevenSegmentCode("a")).toBe(0x77);
    expect([sevenSegmentCode("-"), sevenSegmentCode(" ")]).toEqual([0x40, 0]);
  });

  it("draws every letter it can, and distinguishes O from 0 and B from 8", () => {
    for (const c of "ABCDEFGHIJLNOPQRSTUYZ") expect(sevenSegmentCode(c)).not.toBe(0);
    for (const c of UNRENDERABLE_LETTERS) expect(sevenSegmentCode(c)).toBe(0);
    expect(sevenSegmentCode("O")).not.toBe(sevenSegmentCode("0"));
    expect(sevenSegmentCode("B")).not.toBe(sevenSegmentCode("8"));
  });

  it("fits cells like the other boards and puts a '.' on the cell before", () => {
    expect(segmentCells("A023 → 4", 4)).toEqual([0x77, 0x3f, 0x5b, 0x4f]);
    expect(segmentCells("1.5", 4)).toEqual([0x86, 0x6d, 0, 0]);
    expect(segmentCells(".", 2)).toEqual([0x80, 0]);
  });
});

describe("MAX7219", () => {
  it("reorders segments to DP A B C D E F G", () => {
    expect([..."A123"].map((c) => toMax7219Segments(sevenSegmentCode(c)))).toEqual([0x77, 0x30, 0x6d, 0x79]);
    expect(toMax7219Segments(0x80)).toBe(0x80);
  });

  it("frames A123: no-decode, intensity, scan limit, leave shutdown, then DIG0 = rightmost", () => {
    expect(max7219Frames("A123", { digits: 4 })).toEqual([
      [0x09, 0x00],
      [0x0a, 0x08],
      [0x0b, 0x03],
      [0x0c, 0x01],
      [0x01, 0x79],
      [0x02, 0x6d],
      [0x03, 0x30],
      [0x04, 0x77],
    ]);
    const eight = max7219Frames("A123", { intensity: 15, rightmostFirst: false });
    expect(eight.slice(0, 4)).toEqual([
      [0x09, 0],
      [0x0a, 15],
      [0x0b, 7],
      [0x0c, 1],
    ]);
    expect(eight.slice(4)).toEqual([
      [1, 0x77],
      [2, 0x30],
      [3, 0x6d],
      [4, 0x79],
      [5, 0],
      [6, 0],
      [7, 0],
      [8, 0],
    ]);
    expect(() => max7219Frames("1", { digits: 9 })).toThrow(RangeError);
  });
});

describe("HT16K33", () => {
  it("fills 16 bytes of display RAM, two per digit, for A123", () => {
    expect(Array.from(ht16k33DisplayRam("A123"))).toEqual([
      0x77, 0, 0x06, 0, 0x5b, 0, 0x4f, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ]);
    expect(ht16k33DisplayRam("123456789")[14]).toBe(sevenSegmentCode("8"));
    expect(HT16K33_SETUP).toEqual([0x21, 0x81, 0xef]);
  });
});
