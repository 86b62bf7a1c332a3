// Boot-protocol keyboard input reports (USB HID 1.11, appendix B.1), as generic USB keypads send
// them: 8 bytes = modifier bits, a reserved byte, six key usages (page 0x07). When more keys are
// down than fit, every slot holds ErrorRollOver (0x01): the report says nothing about which keys
// are down, so a decoder must not read it as "all released". Usage names follow the HID Usage
// Tables (keyboard/keypad page) in the spelling config files use: "KP_1", "KP_ENTER", "A", "F1".

import { type HidDecodeResult, reportError } from "./result.js";

export const BOOT_KEYBOARD_REPORT_LENGTH = 8;
export const USAGE_ERROR_ROLLOVER = 0x01;
/** The modifier bits of byte 0 are usages 0xE0..0xE7 (LEFT_CTRL .. RIGHT_GUI). */
const MODIFIER_BASE = 0xe0;

const NAMED: Array<[number, string]> = [
  [0x28, "ENTER"],
  [0x29, "ESCAPE"],
  [0x2a, "BACKSPACE"],
  [0x2b, "TAB"],
  [0x2c, "SPACE"],
  [0x2d, "MINUS"],
  [0x2e, "EQUAL"],
  [0x2f, "LEFT_BRACKET"],
  [0x30, "RIGHT_BRACKET"],
  [0x31, "BACKSLASH"],
  [0x33, "SEMICOLON"],
  [0x34, "QUOTE"],
  [0x35, "GRAVE"],
  [0x36, "COMMA"],
  [0x37, "DOT"],
  [0x38, "SLASH"],
  [0x39, "CAPS_LOCK"],
  [0x46, "PRINT_SCREEN"],
  [0x47, "SCROLL_LOCK"],
  [0x48, "PAUSE"],
  [0x49, "INSERT"],
  [0x4a, "HOME"],
  [0x4b, "PAGE_UP"],
  [0x4c, "DELETE"],
  [0x4d, "END"],
  [0x4e, "PAGE_DOWN"],
  [0x4f, "RIGHT"],
  [0x50, "LEFT"],
  [0x51, "DOWN"],
  [0x52, "UP"],
  [0x53, "NUM_LOCK"],
  [0x54, "KP_SLASH"],
  [0x55, "KP_ASTERISK"],
  [0x56, "KP_MINUS"],
  [0x57, "KP_PLUS"],
  [0x58, "KP_ENTER"],
  [0x62, "KP_0"],
  [0x63, "KP_DOT"],
  [0x67, "KP_EQUAL"],
  [0x85, "KP_COMMA"],
  [0xb0, "KP_00"],
  [0xb1, "KP_000"],
  [0xbb, "KP_BACKSPACE"],
  [0xe0, "LEFT_CTRL"],
  [0xe1, "LEFT_SHIFT"],
  [0xe2, "LEFT_ALT"],
  [0xe3, "LEFT_GUI"],
  [0xe4, "RIGHT_CTRL"],
  [0xe5, "RIGHT_SHIFT"],
  [0xe6, "RIGHT_ALT"],
  [0xe7, "RIGHT_GUI"],
];

function buildNames(): Map<number, string> {
  const names = new Map<number, string>();
  for (let i = 0; i < 26; i++) names.set(0x04 + i, String.fromCharCode(65 + i)); // A..Z
  for (let i = 0; i < 9; i++) names.set(0x1e + i, String(i + 1)); // 1..9
  names.set(0x27, "0");
  for (let i = 0; i < 12; i++) names.set(0x3a + i, `F${i + 1}`); // F1..F12
  for (let i = 0; i < 12; i++) names.set(0x68 + i, `F${i + 13}`); // F13..F24
  for (let i = 0; i < 9; i++) names.set(0x59 + i, `KP_${i + 1}`); // KP_1..KP_9
  for (const [usage, name] of NAMED) names.set(usage, name);
  return names;
}

/** Usage id -> name. */
export const KEY_USAGE_NAMES: ReadonlyMap<number, string> = buildNames();
const USAGES_BY_NAME = new Map([...KEY_USAGE_NAMES].map(([usage, name]) => [name, usage]));

/** The name config files use for a usage; unnamed ones are "USAGE_0x5f". */
export function keyUsageName(usage: number): string {
  return KEY_USAGE_NAMES.get(usage) ?? `USAGE_0x${usage.toString(16).padStart(2, "0")}`;
}

/** The usage of a name ("KP_1" -> 0x59, "usage_0x5f" -> 0x5f), or undefined if it names none. */
export function keyUsageOf(name: string): number | undefined {
  const upper = name.trim().toUpperCase();
  const named = USAGES_BY_NAME.get(upper);
  if (named !== undefined) return named;
  const raw = /^USAGE_0X([0-9A-F]{1,2})$/.exec(upper);
  return raw ? Number.parseInt(raw[1] ?? "", 16) : undefined;
}

export interface BootKeyboardReport {
  /** The modifier byte as sent. */
  modifiers: number;
  /** Every key down, modifiers as 0xE0..0xE7, ascending, no duplicates. */
  usages: number[];
  /** ErrorRollOver: too many keys down; `usages` holds only the modifiers and is not the key state. */
  rollover: boolean;
}

export interface BootKeyboardDecodeOptions {
  /**
   * The report id a composite device puts before the 8 bytes (9-byte reports). Without it only
   * 8-byte reports are accepted.
   */
  reportId?: number;
}

export function decodeBootKeyboardReport(
  data: ArrayLike<number>,
  options: BootKeyboardDecodeOptions = {},
): HidDecodeResult<BootKeyboardReport> {
  let bytes = Uint8Array.from(data);
  if (bytes.length === BOOT_KEYBOARD_REPORT_LENGTH + 1 && options.reportId !== undefined) {
    if (bytes[0] !== options.reportId)
      return reportError("BAD_REPORT_ID", `report id ${bytes[0]}, expected ${options.reportId}`);
    bytes = bytes.subarray(1);
  }
  if (bytes.length !== BOOT_KEYBOARD_REPORT_LENGTH)
    return reportError("BAD_LENGTH", `keyboard report of ${data.length} bytes, expected 8`);
  const modifiers = bytes[0] ?? 0;
  const keys = Array.from(bytes.subarray(2));
  const usages = new Set<number>();
  for (let bit = 0; bit < 8; bit++) if (modifiers & (1 << bit)) usages.add(MODIFIER_BASE + bit);
  if (keys.includes(USAGE_ERROR_ROLLOVER)) {
    if (keys.some((k) => k !== USAGE_ERROR_ROLLOVER))
      return reportError("BAD_CONTENT", "ErrorRollOver mixed with key usages");
    return { ok: true, modifiers, usages: [...usages].sort((a, b) => a - b), rollover: true };
  }
  for (const key of keys) {
    if (key === 0) continue;
    if (key === 0x02 || key === 0x03)
      return reportError("BAD_CONTENT", `error usage 0x0${key} (POST fail / undefined error)`);
    usages.add(key);
  }
  return { ok: true, modifiers, usages: [...usages].sort((a, b) => a - b), rollover: false };
}

export interface UsageEdges {
  down: number[];
  up: number[];
}

/** Keys that went down and came up between two key states (each ascending). */
export function diffUsages(previous: Iterable<number>, next: Iterable<number>): UsageEdges {
  const before = new Set(previous);
  const after = new Set(next);
  return {
    down: [...after].filter((u) => !before.has(u)).sort((a, b) => a - b),
    up: [...before].filter((u) => !after.has(u)).sort((a, b) => a - b),
  };
}
