import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ASB_BITS,
  type AsbFlags,
  DLE_EOT_BITS,
  type DleEotN,
  decodeAsb,
  decodeDleEot,
  decodePaperSensorStatus,
  decodePresenterStatus,
  encodeAsb,
  encodeDleEot,
  encodePaperSensorStatus,
  encodePresenterStatus,
  encodeProcessIdReply,
  isAsbHeader,
  isRealtimeStatusByte,
  mergeFlags,
  type PresenterFlags,
  printerStateOf,
  type StatusFlags,
} from "../../../protocols/escpos/status.js";

/** Every assignment of true/false to `keys`. */
function combinations<K extends string>(keys: readonly K[]): Record<K, boolean>[] {
  const out: Record<K, boolean>[] = [];
  for (let mask = 0; mask < 1 << keys.length; mask++) {
    out.push(Object.fromEntries(keys.map((k, i) => [k, (mask & (1 << i)) !== 0])) as Record<K, boolean>);
  }
  return out;
}

const NS = [1, 2, 3, 4] as const;

describe("byte classes", () => {
  it("real-time status bytes: bits 1 and 4 set, 0 and 7 clear", () => {
    for (let b = 0; b < 256; b++) {
      const expected = (b & 0x02) !== 0 && (b & 0x10) !== 0 && (b & 0x01) === 0 && (b & 0x80) === 0;
      expect(isRealtimeStatusByte(b)).toBe(expected);
    }
  });
  it("ASB headers: bit4 set, bits 0, 1, 7 clear; never a status byte", () => {
    for (let b = 0; b < 256; b++) {
      expect(isAsbHeader(b)).toBe((b & 0x93) === 0x10);
      expect(isAsbHeader(b) && isRealtimeStatusByte(b)).toBe(false);
    }
  });
});

describe("DLE EOT decoding", () => {
  const table: Record<DleEotN, [string, number][]> = {
    1: [
      ["offline", 0x08],
      ["waitingForRecovery", 0x20],
      ["feedButton", 0x40],
    ],
    2: [
      ["coverOpen", 0x04],
      ["feedButtonFeeding", 0x08],
      ["paperEndStop", 0x20],
      ["error", 0x40],
    ],
    3: [
      ["recoverable", 0x04],
      ["autocutter", 0x08],
      ["unrecoverable", 0x20],
      ["autoRecoverable", 0x40],
    ],
    4: [
      ["paperNearEnd", 0x0c],
      ["paperOut", 0x60],
    ],
  };

  it.each(NS)("n=%i: 0x12 is online, nothing wrong", (n) => {
    expect(Object.values(decodeDleEot(n, 0x12)).some(Boolean)).toBe(false);
  });

  it.each(NS)("n=%i: each bit on its own, and all bits", (n) => {
    const keys = table[n].map(([k]) => k);
    for (const [key, mask] of table[n]) {
      const flags = decodeDleEot(n, 0x12 | mask) as unknown as Record<string, boolean>;
      for (const k of keys) expect(flags[k], `${key} -> ${k}`).toBe(k === key);
    }
    const all = table[n].reduce((acc, [, mask]) => acc | mask, 0x12);
    expect(Object.values(decodeDleEot(n, all)).every(Boolean)).toBe(true);
    expect(Object.keys(decodeDleEot(n, 0x12)).sort()).toEqual([...keys].sort());
  });

  it("n=4: either bit of a two-bit field counts (clones set one)", () => {
    expect(decodeDleEot(4, 0x12 | 0x04).paperNearEnd).toBe(true);
    expect(decodeDleEot(4, 0x12 | 0x08).paperNearEnd).toBe(true);
    expect(decodeDleEot(4, 0x12 | 0x20).paperOut).toBe(true);
    expect(decodeDleEot(4, 0x12 | 0x40).paperOut).toBe(true);
  });

  it.each(NS)("n=%i: encode -> decode for every flag combination", (n) => {
    for (const flags of combinations(Object.keys(DLE_EOT_BITS[n]))) {
      const bytes = encodeDleEot(n, flags);
      expect(bytes).toHaveLength(1);
      expect(isRealtimeStatusByte(bytes[0]!)).toBe(true);
      expect(decodeDleEot(n, bytes[0]!)).toEqual(flags);
    }
  });

  it("decode -> encode -> decode is stable for any status byte", () => {
    const statusByte = fc.integer({ min: 0, max: 255 }).filter(isRealtimeStatusByte);
    fc.assert(
      fc.property(fc.constantFrom(...NS), statusByte, (n, b) => {
        const flags = decodeDleEot(n, b);
        expect(decodeDleEot(n, encodeDleEot(n, flags)[0]!)).toEqual(flags);
      }),
    );
  });
});

describe("ASB", () => {
  const keys = [
    ...Object.keys(ASB_BITS.byte1),
    ...Object.keys(ASB_BITS.byte2),
    ...Object.keys(ASB_BITS.byte3),
  ] as (keyof AsbFlags)[];

  it("bit table", () => {
    const cases: [keyof AsbFlags, number[]][] = [
      ["offline", [0x18, 0, 0, 0]],
      ["coverOpen", [0x30, 0, 0, 0]],
      ["feedButton", [0x50, 0, 0, 0]],
      ["recoverable", [0x10, 0x04, 0, 0]],
      ["autocutter", [0x10, 0x08, 0, 0]],
      ["unrecoverable", [0x10, 0x20, 0, 0]],
      ["autoRecoverable", [0x10, 0x40, 0, 0]],
      ["paperNearEnd", [0x10, 0, 0x03, 0]],
      ["paperOut", [0x10, 0, 0x0c, 0]],
    ];
    expect(keys.sort()).toEqual(cases.map(([k]) => k).sort());
    for (const [key, bytes] of cases) {
      const flags = decodeAsb(bytes);
      for (const k of keys) expect(flags[k], `${key} -> ${k}`).toBe(k === key);
    }
    expect(Object.values(decodeAsb([0x10, 0, 0, 0])).some(Boolean)).toBe(false);
    expect(Object.values(decodeAsb([0x78, 0x6c, 0x0f, 0])).every(Boolean)).toBe(true);
    expect(() => decodeAsb([0x10, 0, 0])).toThrow(RangeError);
  });

  it("encode -> decode for every flag combination (512)", () => {
    for (const flags of combinations(keys)) {
      const bytes = encodeAsb(flags);
      expect(bytes).toHaveLength(4);
      expect(isAsbHeader(bytes[0]!)).toBe(true);
      for (const b of bytes.subarray(1)) expect(b & 0x90).toBe(0);
      expect(decodeAsb(bytes)).toEqual(flags);
    }
  });
});

describe("GS r 1 paper sensor", () => {
  it("bit table: 0x03 near end, 0x0C paper end", () => {
    expect(decodePaperSensorStatus(0x00)).toEqual({ paperNearEnd: false, paperOut: false });
    expect(decodePaperSensorStatus(0x03)).toEqual({ paperNearEnd: true, paperOut: false });
    expect(decodePaperSensorStatus(0x0c)).toEqual({ paperNearEnd: false, paperOut: true });
    expect(decodePaperSensorStatus(0x0f)).toEqual({ paperNearEnd: true, paperOut: true });
    expect(decodePaperSensorStatus(0x60)).toEqual({ paperNearEnd: false, paperOut: false });
  });
  it("encode -> decode for every flag combination; bits 4 and 7 stay clear", () => {
    for (const flags of combinations(["paperNearEnd", "paperOut"] as const)) {
      const bytes = encodePaperSensorStatus(flags);
      expect(bytes[0]! & 0x90).toBe(0);
      expect(decodePaperSensorStatus(bytes[0]!)).toEqual(flags);
    }
  });
});

describe("DLE EOT 20 presenter status", () => {
  it("paper byte bit0 absent, bit2 near end, bit5 ticket in output", () => {
    expect(decodePresenterStatus([0x10, 0x0f, 0x01, 0, 0, 0])).toMatchObject({
      paperAbsent: true,
      paperNearEnd: false,
      ticketInOutput: false,
    });
    expect(decodePresenterStatus([0x10, 0x0f, 0x04, 0, 0, 0]).paperNearEnd).toBe(true);
    expect(decodePresenterStatus([0x10, 0x0f, 0x20, 0, 0, 0]).ticketInOutput).toBe(true);
    expect(decodePresenterStatus([0x10, 0x0f, 0, 0x02, 0, 0]).coverOpen).toBe(true);
    expect(decodePresenterStatus([0x10, 0x0f, 0, 0, 0, 0x04]).error).toBe(true);
    expect(Object.values(decodePresenterStatus([0x10, 0x0f, 0, 0, 0, 0])).some(Boolean)).toBe(false);
    expect(() => decodePresenterStatus([0x10, 0x0e, 0, 0, 0, 0])).toThrow(RangeError);
  });
  it("encode -> decode for every flag combination", () => {
    const keys = ["paperAbsent", "paperNearEnd", "ticketInOutput", "coverOpen", "error"] as const;
    for (const flags of combinations<keyof PresenterFlags>(keys)) {
      expect(decodePresenterStatus(encodePresenterStatus(flags))).toEqual(flags);
    }
  });
});

describe("process ID reply", () => {
  it("is 37 22 d1..d4 00", () => {
    expect(Array.from(encodeProcessIdReply("0A1z"))).toEqual([0x37, 0x22, 0x30, 0x41, 0x31, 0x7a, 0x00]);
    expect(() => encodeProcessIdReply("abc")).toThrow(RangeError);
  });
});

describe("printer state", () => {
  it.each([
    [{}, "ok"],
    [{ offline: false, coverOpen: false, paperOut: false, paperNearEnd: false, error: false }, "ok"],
    [{ paperNearEnd: true }, "paper_low"],
    [{ offline: true, paperNearEnd: true }, "offline"],
    [{ offline: true, error: true }, "error"],
    [{ offline: true, error: true, paperOut: true }, "paper_out"],
    [{ offline: true, coverOpen: true, paperOut: true, error: true, paperNearEnd: true }, "cover_open"],
  ] as [StatusFlags, string][])("%j -> %s", (flags, state) => {
    expect(printerStateOf(flags)).toBe(state);
  });

  it("mergeFlags: true wins, false beats unknown, unknown stays absent", () => {
    expect(mergeFlags({ offline: true }, { offline: false, coverOpen: false }, { error: true })).toEqual({
      offline: true,
      coverOpen: false,
      error: true,
    });
    expect(mergeFlags()).toEqual({});
    expect(mergeFlags({ paperOut: undefined })).toEqual({});
  });
});
