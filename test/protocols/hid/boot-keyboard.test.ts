// Boot-protocol keyboard reports (USB HID 1.11 appendix B.1) and the usage names config uses.
import { describe, expect, it } from "vitest";
import {
  decodeBootKeyboardReport,
  diffUsages,
  fromHex,
  KEY_USAGE_NAMES,
  keyUsageName,
  keyUsageOf,
} from "../../../protocols/hid/index.js";

const decode = (hex: string, reportId?: number) =>
  decodeBootKeyboardReport(fromHex(hex), reportId === undefined ? {} : { reportId });

describe("decodeBootKeyboardReport", () => {
  it("reads the keys down, modifiers as usages 0xE0..0xE7", () => {
    expect(decode("0000590000000000")).toEqual({ ok: true, modifiers: 0, usages: [0x59], rollover: false });
    expect(decode("0000000000000000")).toEqual({ ok: true, modifiers: 0, usages: [], rollover: false });
    expect(decode("0200625859000000")).toEqual({
      ok: true,
      modifiers: 2,
      usages: [0x58, 0x59, 0x62, 0xe1],
      rollover: false,
    });
    expect(decode("8100040000000000")).toMatchObject({ usages: [0x04, 0xe0, 0xe7] });
  });

  it("flags ErrorRollOver (all six slots 0x01) instead of reading it as a key state", () => {
    expect(decode("0000010101010101")).toEqual({ ok: true, modifiers: 0, usages: [], rollover: true });
    expect(decode("0100010101010101")).toEqual({ ok: true, modifiers: 1, usages: [0xe0], rollover: true });
    expect(decode("0000010159000000")).toMatchObject({ ok: false, code: "BAD_CONTENT" });
    expect(decode("0000020000000000")).toMatchObject({ ok: false, code: "BAD_CONTENT" });
  });

  it("checks the length, and the report id of a composite device", () => {
    expect(decode("00005900000000")).toMatchObject({ ok: false, code: "BAD_LENGTH" });
    expect(decode("000059000000000000")).toMatchObject({ ok: false, code: "BAD_LENGTH" });
    expect(decode("", undefined)).toMatchObject({ ok: false, code: "BAD_LENGTH" });
    expect(decode("010000590000000000", 1)).toMatchObject({ ok: true, usages: [0x59] });
    expect(decode("020000590000000000", 1)).toMatchObject({ ok: false, code: "BAD_REPORT_ID" });
  });
});

describe("key usage names", () => {
  it("names keypad keys, letters, digits and F-keys by the HID usage tables", () => {
    const expected: Record<string, number> = {
      KP_1: 0x59,
      KP_9: 0x61,
      KP_0: 0x62,
      KP_ENTER: 0x58,
      KP_PLUS: 0x57,
      KP_MINUS: 0x56,
      KP_ASTERISK: 0x55,
      KP_SLASH: 0x54,
      KP_DOT: 0x63,
      NUM_LOCK: 0x53,
      A: 0x04,
      Z: 0x1d,
      "1": 0x1e,
      "0": 0x27,
      ENTER: 0x28,
      F1: 0x3a,
      F12: 0x45,
      F13: 0x68,
      F24: 0x73,
      LEFT_SHIFT: 0xe1,
    };
    for (const [name, usage] of Object.entries(expected)) {
      expect(keyUsageOf(name), name).toBe(usage);
      expect(keyUsageName(usage)).toBe(name);
    }
    expect(keyUsageOf("kp_enter")).toBe(0x58);
    expect(keyUsageOf("USAGE_0xf0")).toBe(0xf0);
    expect(keyUsageName(0xf0)).toBe("USAGE_0xf0");
    expect(keyUsageOf("NOT_A_KEY")).toBeUndefined();
    for (const [usage, name] of KEY_USAGE_NAMES) expect(keyUsageOf(name)).toBe(usage);
  });
});

describe("diffUsages", () => {
  it("gives the keys that went down and came up", () => {
    expect(diffUsages([0x59, 0x5a], [0x5a, 0x58])).toEqual({ down: [0x58], up: [0x59] });
    expect(diffUsages([], [])).toEqual({ down: [], up: [] });
    expect(diffUsages([0x59], [0x59])).toEqual({ down: [], up: [] });
  });
});
