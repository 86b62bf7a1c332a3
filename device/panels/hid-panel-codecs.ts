// What the HID panel driver needs to know per panel kind: which interface to pick, how a report
// becomes the set of buttons down, and which output reports light a button. The byte formats
// themselves live in protocols/hid.

import {
  decodeBootKeyboardReport,
  decodeXkeysReport,
  keyUsageName,
  XKEYS_INTERFACE,
  XKEYS_USAGE_PAGE,
  XKEYS_VENDOR_ID,
  type XkeysModel,
  xkeysAllBacklightsReport,
  xkeysBacklightReport,
  xkeysIndicatorReport,
  xkeysModelFor,
} from "../../protocols/hid/index.js";
import { type HidDeviceInfo, type HidMatch, matchesHid } from "./hid-backend.js";
import type { ButtonLedState } from "./types.js";

export type PanelKind = "xkeys" | "keypad";

/** The X-keys program switch, reported as a button of its own. */
export const XKEYS_PROGRAM_SWITCH = "PS";
/** The two indicator LEDs above an X-keys' keys, settable like button LEDs. */
export const XKEYS_INDICATORS = { INDICATOR_GREEN: "green", INDICATOR_RED: "red" } as const;

export type DecodedReport =
  | { kind: "buttons"; down: Set<string> }
  | { kind: "ignored"; why: "other_report" | "rollover" }
  | { kind: "malformed"; code: string; message: string };

export interface PanelCodec {
  /** "XK-24", "keypad". */
  readonly modelName: string;
  decode(report: Uint8Array): DecodedReport;
  /** The output reports that show `state` on `button`; null if the button has no LED. */
  ledReports(button: string, state: ButtonLedState): Uint8Array[] | null;
  /** Sent once after every open, before the remembered LEDs: a known starting point. */
  openReports(): Uint8Array[];
}

/** The match with the kind's defaults filled in (X-keys: P.I. Engineering's vendor id). */
export function effectiveMatch(kind: PanelKind, match: HidMatch): HidMatch {
  return kind === "xkeys" ? { vendorId: XKEYS_VENDOR_ID, ...match } : { ...match };
}

/**
 * The interface that carries the buttons. An X-keys shows several (its keyboard and mouse
 * emulation too): the button reports come on usage page 0x000C, interface 0. A keypad's keys
 * come on the keyboard collection (usage page 1, usage 6). A backend that reports no usage page
 * (0 or absent, as some libusb builds do) falls back to the interface number.
 */
export function pickDevice(kind: PanelKind, match: HidMatch, devices: HidDeviceInfo[]): HidDeviceInfo | null {
  const wanted = effectiveMatch(kind, match);
  const candidates = devices.filter((d) => d.path && matchesHid(d, wanted));
  const explicit = match.usagePage !== undefined || match.interface !== undefined || match.path !== undefined;
  if (explicit) return candidates[0] ?? null;
  const noUsage = (d: HidDeviceInfo) => !d.usagePage;
  const fits =
    kind === "xkeys"
      ? (d: HidDeviceInfo) =>
          d.usagePage === XKEYS_USAGE_PAGE || (noUsage(d) && d.interface === XKEYS_INTERFACE)
      : (d: HidDeviceInfo) => (d.usagePage === 1 && d.usage === 6) || noUsage(d);
  return candidates.find(fits) ?? null;
}

/** The codec for a found device, or a reason it cannot be driven. */
export function codecFor(
  kind: PanelKind,
  device: HidDeviceInfo,
  options: { reportId?: number } = {},
): PanelCodec | { unsupported: string } {
  if (kind === "keypad") return keypadCodec(options.reportId);
  const model = xkeysModelFor(device.productId);
  if (!model)
    return {
      unsupported: `X-keys product id ${device.productId} (${device.product ?? "unnamed"}) is not a model vooru knows`,
    };
  return xkeysCodec(model);
}

export function xkeysCodec(model: XkeysModel): PanelCodec {
  return {
    modelName: model.name,
    decode(report) {
      const result = decodeXkeysReport(model, report);
      if (!result.ok)
        return result.code === "OTHER_REPORT"
          ? { kind: "ignored", why: "other_report" }
          : { kind: "malformed", code: result.code, message: result.message };
      const down = new Set(result.pressed.map(String));
      if (result.programSwitch) down.add(XKEYS_PROGRAM_SWITCH);
      return { kind: "buttons", down };
    },
    ledReports(button, state) {
      if (button in XKEYS_INDICATORS) {
        const led = XKEYS_INDICATORS[button as keyof typeof XKEYS_INDICATORS];
        return [xkeysIndicatorReport(led, state)];
      }
      if (!/^\d+$/.test(button)) return null;
      const report = xkeysBacklightReport(model, Number(button), state);
      return report ? [report] : null;
    },
    openReports() {
      // Whatever the panel kept in EEPROM or showed before, dark until the controller says.
      if (model.backlight === "none") return [];
      const banks: Array<1 | 2> = model.secondBankOffset === undefined ? [1] : [1, 2];
      return banks.map((bank) => xkeysAllBacklightsReport(bank, false));
    },
  };
}

export function keypadCodec(reportId?: number): PanelCodec {
  return {
    modelName: "keypad",
    decode(report) {
      const result = decodeBootKeyboardReport(report, reportId === undefined ? {} : { reportId });
      if (!result.ok) return { kind: "malformed", code: result.code, message: result.message };
      if (result.rollover) return { kind: "ignored", why: "rollover" };
      return { kind: "buttons", down: new Set(result.usages.map(keyUsageName)) };
    },
    ledReports: () => null, // keypads have no per-key LEDs
    openReports: () => [],
  };
}
