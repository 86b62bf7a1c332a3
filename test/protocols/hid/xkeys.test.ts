// X-keys report codecs against reports recorded from real panels by SuperFlyTV/xkeys
// (packages/node/src/__tests__/recordings/1121_XK-60.json and "1049_XK-16 Stick.json": the
// input events byte for byte, and the output reports its library sent for the same actions).
import { describe, expect, it } from "vitest";
import {
  decodeXkeysReport,
  fromHex,
  isXkeysButton,
  toHex,
  XKEYS_MODELS,
  type XkeysModel,
  xkeysAllBacklightsReport,
  xkeysBacklightReport,
  xkeysButtonIds,
  xkeysFlashFrequencyReport,
  xkeysIndicatorReport,
  xkeysLedIndex,
  xkeysModelFor,
} from "../../../protocols/hid/index.js";

const XK24 = xkeysModelFor(1029)!;
const XK60 = xkeysModelFor(1121)!;
const XK16 = xkeysModelFor(1049)!;
const pad36 = (hex: string) => hex.padEnd(72, "0");

function decoded(model: XkeysModel, hex: string) {
  const result = decodeXkeysReport(model, fromHex(hex));
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  return result;
}

describe("X-keys model table", () => {
  it("names the models by product id and lists their button ids (column * 8 + row)", () => {
    expect(XK24.name).toBe("XK-24");
    expect(xkeysModelFor(1027)?.name).toBe("XK-24");
    expect(XK60.name).toBe("XK-60");
    expect(xkeysModelFor(1089)?.name).toBe("XK-80");
    expect(xkeysModelFor(1130)?.name).toBe("XK-8 Stick");
    expect(xkeysModelFor(0x1234)).toBeUndefined();
    const ids = xkeysButtonIds(XK24);
    expect(ids).toHaveLength(24);
    expect(ids.slice(0, 8)).toEqual([0, 1, 2, 3, 4, 5, 8, 9]);
    expect(ids.at(-1)).toBe(29);
    expect(isXkeysButton(XK24, 6)).toBe(false); // row 6 does not exist on a 6-row panel
    expect(xkeysButtonIds(XK60)).toHaveLength(80);
    for (const model of XKEYS_MODELS) expect(model.productIds.length).toBeGreaterThan(0);
  });
});

describe("decodeXkeysReport", () => {
  it("decodes recorded XK-60 reports: unit id 5, key bits column-major, timestamp at byte 12", () => {
    // "Button 1 pressed. row: 1, col: 1, timestamp: 50039"
    expect(decoded(XK60, "0500010000000000000000000000c37700000000000000000000000000000000")).toEqual({
      ok: true,
      unitId: 5,
      programSwitch: false,
      generated: false,
      pressed: [0],
      timestamp: 50039,
    });
    // "Button 9 pressed. row: 1, col: 2, timestamp: 58238"
    expect(decoded(XK60, "0500000100000000000000000000e37e00000000000000000000000000000000")).toMatchObject({
      pressed: [8],
      timestamp: 58238,
    });
    // "Button 40 pressed. row: 8, col: 5, timestamp: 83456"
    expect(decoded(XK60, "0500000000008000000000000001460000000000000000000000000000000000")).toMatchObject({
      pressed: [39],
      timestamp: 83456,
    });
    // "Button 1 released. timestamp: 50189"
    expect(decoded(XK60, "0500000000000000000000000000c40d00000000000000000000000000000000")).toMatchObject({
      pressed: [],
      timestamp: 50189,
    });
  });

  it("decodes recorded XK-16 Stick reports: timestamp at byte 6, the program switch in byte 1", () => {
    // "Button 1 pressed. timestamp: 17787"
    expect(decoded(XK16, "0200010000000000457b00000000000000000000000000000000000000000000")).toMatchObject({
      unitId: 2,
      pressed: [0],
      programSwitch: false,
      timestamp: 17787,
    });
    // "Button 2 pressed. row: 1, col: 5" = byte 2 bit 1
    expect(decoded(XK16, "020002000000000051ce00000000000000000000000000000000000000000000").pressed).toEqual(
      [1],
    );
    // "Button 16 pressed. row: 1, col: 16" = byte 5 bit 3
    expect(decoded(XK16, "020000000008000062c600000000000000000000000000000000000000000000").pressed).toEqual(
      [27],
    );
    // "Button 0 pressed" (the program switch)
    expect(decoded(XK16, "020100000000000069aa00000000000000000000000000000000000000000000")).toMatchObject({
      programSwitch: true,
      pressed: [],
      timestamp: 27050,
    });
  });

  it("decodes an XK-24 report built from the documented layout: 4 columns x 6 rows, timestamp at byte 6", () => {
    // keys 0 (col 0 row 0), 13 (col 1 row 5) and 29 (col 3 row 5) down, program switch down
    const hex = `0301012000200001e240${"00".repeat(22)}`;
    expect(decoded(XK24, hex)).toEqual({
      ok: true,
      unitId: 3,
      programSwitch: true,
      generated: false,
      pressed: [0, 13, 29],
      timestamp: 123456,
    });
    // bits beyond the 6 rows are not keys
    expect(decoded(XK24, `0000c0000000${"00".repeat(26)}`).pressed).toEqual([]);
    // a reply to "generate data" (byte 1 bit 1)
    expect(decoded(XK24, `0002${"00".repeat(30)}`).generated).toBe(true);
  });

  it("accepts a 33-byte report with a leading report id 0 (a backend that always prefixes it)", () => {
    const plain = `0500010000000000000000000000c37700000000000000000000000000000000`;
    expect(decoded(XK60, `00${plain}`)).toEqual(decoded(XK60, plain));
  });

  it("returns typed errors for malformed reports instead of throwing", () => {
    expect(decodeXkeysReport(XK24, [])).toMatchObject({ ok: false, code: "BAD_LENGTH" });
    expect(decodeXkeysReport(XK24, new Uint8Array(31))).toMatchObject({ ok: false, code: "BAD_LENGTH" });
    expect(decodeXkeysReport(XK24, new Uint8Array(64))).toMatchObject({ ok: false, code: "BAD_LENGTH" });
    const prefixed = new Uint8Array(33);
    prefixed[0] = 2;
    expect(decodeXkeysReport(XK24, prefixed)).toMatchObject({ ok: false, code: "BAD_REPORT_ID" });
    // the version reply (byte 1 = 214) is a report of another kind, not buttons
    const version = new Uint8Array(32);
    version[1] = 214;
    expect(decodeXkeysReport(XK24, version)).toMatchObject({ ok: false, code: "OTHER_REPORT" });
  });
});

describe("X-keys output reports", () => {
  it("match the XK-60 recording byte for byte: backlight on, flash, off, red bank, indicators, all off", () => {
    expect(toHex(xkeysBacklightReport(XK60, 0, "on")!)).toBe(pad36("00b5000101"));
    expect(toHex(xkeysBacklightReport(XK60, 0, "flash")!)).toBe(pad36("00b5000201"));
    expect(toHex(xkeysBacklightReport(XK60, 0, "off")!)).toBe(pad36("00b5000001"));
    expect(toHex(xkeysBacklightReport(XK60, 0, "off", 2)!)).toBe(pad36("00b5500001"));
    expect(toHex(xkeysIndicatorReport("green", "on"))).toBe(pad36("00b30601"));
    expect(toHex(xkeysIndicatorReport("red", "off"))).toBe(pad36("00b30700"));
    expect(toHex(xkeysAllBacklightsReport(1, false))).toBe(pad36("00b600"));
    expect(toHex(xkeysAllBacklightsReport(2, false))).toBe(pad36("00b601"));
    expect(toHex(xkeysAllBacklightsReport(1, true))).toBe(pad36("00b600ff"));
    expect(xkeysBacklightReport(XK60, 0, "on")).toHaveLength(36);
  });

  it("matches the XK-16 Stick recording, and maps stick keys to their LED numbers", () => {
    expect(toHex(xkeysBacklightReport(XK16, 0, "on")!)).toBe(pad36("00b5000101"));
    // physical keys 1..16 from the left are (byte, bit) = (k % 4, k / 4); LEDs skip 6,7 and 14,15
    expect(xkeysLedIndex(XK16, 8)).toBe(1); // byte 1 bit 0: 2nd key
    expect(xkeysLedIndex(XK16, 1)).toBe(4); // byte 0 bit 1: 5th key
    expect(xkeysLedIndex(XK16, 2)).toBe(10); // byte 0 bit 2: 9th key
    expect(xkeysLedIndex(XK16, 27)).toBe(19); // byte 3 bit 3: 16th key
    expect(xkeysLedIndex(XK16, 0, 2)).toBeNull(); // blue only
  });

  it("puts the XK-24's red bank 32 above the blue one, and refuses keys the model lacks", () => {
    expect(toHex(xkeysBacklightReport(XK24, 29, "flash", 2)!)).toBe(pad36("00b53d0201"));
    expect(xkeysBacklightReport(XK24, 6, "on")).toBeNull();
    expect(xkeysBacklightReport(XK24, 32, "on")).toBeNull();
    expect(xkeysBacklightReport(XK24, -1, "on")).toBeNull();
  });

  it("sets the flash frequency, clamped to 1..255", () => {
    expect(toHex(xkeysFlashFrequencyReport(20))).toBe(pad36("00b414"));
    expect(xkeysFlashFrequencyReport(0)[2]).toBe(1);
    expect(xkeysFlashFrequencyReport(999)[2]).toBe(255);
  });
});
