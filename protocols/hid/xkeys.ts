// X-keys (P.I. Engineering) input and output reports, as pure codecs.
//
// Sources: SuperFlyTV's `xkeys` library (github.com/SuperFlyTV/xkeys), packages/core/src/xkeys.ts
// and products.ts (report layout, model table, backlight commands, 36-byte padded writes),
// packages/webhid/src/methods.ts (the button interface is usage page 12 with output reports of
// more than 20 bytes), and its hardware recordings in packages/node/src/__tests__/recordings/
// (1121_XK-60.json, 1049_XK-16 Stick.json: 32-byte input reports, no report id byte); and P.I.
// Engineering's data report notes (xkeys.com/PISupport/DeveloperHIDDataReports.php).
//
// Input report (32 bytes, no report id on hidraw): byte 0 unit id, byte 1 bit 0 program switch and
// bit 1 "generated on request" (bytes 1 > 3 are other reports, e.g. 214 = version reply), then one
// byte per column from byte 2, bit n = row n; on most models a 4-byte big-endian millisecond
// timestamp after them. Button id = column * 8 + row: the backlight LED index P.I. Engineering uses
// on matrix models (SuperFlyTV: ledIndex = (col - 1) * 8 + row - 1); the second LED bank (red)
// is the same index plus the model's bank offset.

import { type HidDecodeResult, reportError } from "./result.js";

export const XKEYS_VENDOR_ID = 0x05f3;
/** The interface carrying button reports (the others are keyboard/mouse emulation). */
export const XKEYS_USAGE_PAGE = 0x000c;
export const XKEYS_INTERFACE = 0;
export const XKEYS_INPUT_REPORT_LENGTH = 32;
/** Output reports are 35 bytes plus the report id 0 written first. */
export const XKEYS_OUTPUT_REPORT_LENGTH = 36;

export type XkeysLedState = "off" | "on" | "flash";

export interface XkeysModel {
  name: string;
  productIds: readonly number[];
  /** Button data bytes from byte 2 (one per matrix column). */
  columns: number;
  /** Bits used in each column byte (rows). */
  rows: number;
  /** Byte offset of the 4-byte big-endian ms timestamp, if the model sends one. */
  timestampOffset?: number;
  /** matrix: LED index = button id; stick: one row of keys, LED index remapped; none: no backlight. */
  backlight: "matrix" | "stick" | "none";
  /** LED index offset of the second (red) bank, on models that have one. */
  secondBankOffset?: number;
}

/** The models we can name with confidence (products.ts of SuperFlyTV/xkeys). */
export const XKEYS_MODELS: readonly XkeysModel[] = [
  {
    name: "XK-24",
    productIds: [1029, 1027],
    columns: 4,
    rows: 6,
    timestampOffset: 6,
    backlight: "matrix",
    secondBankOffset: 32,
  },
  {
    name: "XK-4 Stick",
    productIds: [1127, 1129],
    columns: 4,
    rows: 1,
    timestampOffset: 6,
    backlight: "stick",
  },
  {
    name: "XK-8 Stick",
    productIds: [1130, 1132],
    columns: 4,
    rows: 2,
    timestampOffset: 6,
    backlight: "stick",
  },
  {
    name: "XK-16 Stick",
    productIds: [1049, 1051, 1213, 1216],
    columns: 4,
    rows: 4,
    timestampOffset: 6,
    backlight: "stick",
  },
  {
    name: "XK-60",
    productIds: [1121, 1123, 1231, 1234],
    columns: 10,
    rows: 8,
    timestampOffset: 12,
    backlight: "matrix",
    secondBankOffset: 80,
  },
  {
    name: "XK-80",
    productIds: [1089, 1091, 1217, 1220],
    columns: 10,
    rows: 8,
    timestampOffset: 12,
    backlight: "matrix",
    secondBankOffset: 80,
  },
];

export function xkeysModelFor(productId: number): XkeysModel | undefined {
  return XKEYS_MODELS.find((m) => m.productIds.includes(productId));
}

/** Every button id the model has, ascending. */
export function xkeysButtonIds(model: XkeysModel): number[] {
  const ids: number[] = [];
  for (let column = 0; column < model.columns; column++)
    for (let row = 0; row < model.rows; row++) ids.push(column * 8 + row);
  return ids;
}

export function isXkeysButton(model: XkeysModel, id: number): boolean {
  return Number.isInteger(id) && id >= 0 && id < model.columns * 8 && id % 8 < model.rows;
}

export interface XkeysButtonReport {
  unitId: number;
  /** The program switch (a separate key, not in the matrix). */
  programSwitch: boolean;
  /** The report answers a "generate data" request rather than a key change. */
  generated: boolean;
  /** Pressed button ids, ascending. */
  pressed: number[];
  /** Device milliseconds since boot, on models that send it. */
  timestamp?: number;
}

/**
 * Decodes one input report. 32 bytes as hidraw delivers it, or 33 with a leading report id 0 as
 * a backend that always prefixes the id does; anything else is BAD_LENGTH.
 */
export function decodeXkeysReport(
  model: XkeysModel,
  data: ArrayLike<number>,
): HidDecodeResult<XkeysButtonReport> {
  let bytes = Uint8Array.from(data);
  if (bytes.length === XKEYS_INPUT_REPORT_LENGTH + 1) {
    if (bytes[0] !== 0)
      return reportError(
        "BAD_REPORT_ID",
        `X-keys reports have no report id, got 33 bytes starting ${bytes[0]}`,
      );
    bytes = bytes.subarray(1);
  }
  if (bytes.length !== XKEYS_INPUT_REPORT_LENGTH)
    return reportError("BAD_LENGTH", `X-keys input report of ${data.length} bytes, expected 32`);
  const flags = bytes[1] ?? 0;
  if (flags > 3) return reportError("OTHER_REPORT", `X-keys report type ${flags} carries no buttons`);
  const pressed: number[] = [];
  for (let column = 0; column < model.columns; column++) {
    const byte = bytes[2 + column] ?? 0;
    for (let row = 0; row < model.rows; row++) if (byte & (1 << row)) pressed.push(column * 8 + row);
  }
  const report: XkeysButtonReport = {
    unitId: bytes[0] ?? 0,
    programSwitch: (flags & 1) !== 0,
    generated: (flags & 2) !== 0,
    pressed,
  };
  if (model.timestampOffset !== undefined) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    report.timestamp = view.getUint32(model.timestampOffset, false);
  }
  return { ok: true, ...report };
}

const LED_STATE: Record<XkeysLedState, number> = { off: 0, on: 1, flash: 2 };

/** A full output report: report id 0, command bytes, zero padding to 36 bytes. */
export function xkeysOutputReport(command: readonly number[]): Uint8Array {
  const out = new Uint8Array(XKEYS_OUTPUT_REPORT_LENGTH);
  out.set(command.slice(0, XKEYS_OUTPUT_REPORT_LENGTH - 1), 1);
  return out;
}

/**
 * The backlight LED index of a button, or null if it has none. Stick models number their LEDs
 * along the stick in groups with gaps (SuperFlyTV STICK_BUTTONS): physical key k (0-based from the
 * left, k = row * 4 + column) is LED k, k + 2 from the 7th key, k + 4 from the 13th.
 */
export function xkeysLedIndex(model: XkeysModel, buttonId: number, bank: 1 | 2 = 1): number | null {
  if (!isXkeysButton(model, buttonId)) return null;
  if (model.backlight === "none") return null;
  if (model.backlight === "stick") {
    if (bank === 2) return null; // blue only
    const key = (buttonId % 8) * 4 + Math.floor(buttonId / 8);
    return key > 11 ? key + 4 : key > 5 ? key + 2 : key;
  }
  if (bank === 2) return model.secondBankOffset === undefined ? null : buttonId + model.secondBankOffset;
  return buttonId;
}

/**
 * Sets one key's backlight: [0, 0xB5, led index, 0 off | 1 on | 2 flash, 1]. The trailing 1 is
 * what SuperFlyTV/xkeys sends to these models (its recordings show it); the state is byte 3.
 */
export function xkeysBacklightReport(
  model: XkeysModel,
  buttonId: number,
  state: XkeysLedState,
  bank: 1 | 2 = 1,
): Uint8Array | null {
  const index = xkeysLedIndex(model, buttonId, bank);
  if (index === null) return null;
  return xkeysOutputReport([0xb5, index, LED_STATE[state], 1]);
}

/** All backlights of a bank on or off at once: [0, 0xB6, bank - 1, 0 | 0xFF]. */
export function xkeysAllBacklightsReport(bank: 1 | 2, on: boolean): Uint8Array {
  return xkeysOutputReport([0xb6, bank - 1, on ? 0xff : 0]);
}

/** The green (6) and red (7) indicator LEDs above the keys: [0, 0xB3, 6 | 7, 0 | 1 | 2]. */
export function xkeysIndicatorReport(led: "green" | "red", state: XkeysLedState): Uint8Array {
  return xkeysOutputReport([0xb3, led === "green" ? 6 : 7, LED_STATE[state]]);
}

/**
 * Flash speed for every flashing LED of the panel, 1 (fastest) to 255 (about 4 s): [0, 0xB4, f].
 * Flashing works without it (the panel has a default); out of range values are clamped.
 */
export function xkeysFlashFrequencyReport(frequency: number): Uint8Array {
  return xkeysOutputReport([0xb4, Math.min(255, Math.max(1, Math.round(frequency)))]);
}
