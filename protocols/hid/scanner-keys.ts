// A barcode / QR scanner in USB keyboard mode: it "types" what it read as boot-keyboard reports
// (boot-keyboard.ts), one key down then all up per character, and Enter at the end. Pure: the
// decoder turns reports into the codes typed; the encoder turns a code into the reports a
// scanner sends (the simulated scanner types through it). Booking codes use A-Z, 0-9 and "-",
// so those are the keys read; any other key makes the code unreadable (reported, not guessed).
import { type BootKeyboardDecodeOptions, decodeBootKeyboardReport, diffUsages } from "./boot-keyboard.js";

const ENTER = 0x28;
const KP_ENTER = 0x58;
const MINUS = 0x2d;
const KP_MINUS = 0x56;
const LEFT_SHIFT_BIT = 0x02;
/** Longer than any booking code: a scanner reading a long URL is cut off and refused. */
export const MAX_SCANNED_LENGTH = 64;

function charOf(usage: number): string | null {
  if (usage >= 0x04 && usage <= 0x1d) return String.fromCharCode(65 + usage - 0x04);
  if (usage >= 0x1e && usage <= 0x26) return String(usage - 0x1e + 1);
  if (usage === 0x27 || usage === 0x62) return "0";
  if (usage >= 0x59 && usage <= 0x61) return String(usage - 0x59 + 1);
  if (usage === MINUS || usage === KP_MINUS) return "-";
  return null;
}

function usageOf(char: string): number {
  const c = char.toUpperCase();
  if (c >= "A" && c <= "Z") return 0x04 + c.charCodeAt(0) - 65;
  if (c >= "1" && c <= "9") return 0x1e + c.charCodeAt(0) - 49;
  if (c === "0") return 0x27;
  if (c === "-") return MINUS;
  throw new RangeError(`a scanner types A-Z, 0-9 and -, not ${JSON.stringify(char)}`);
}

export type ScannedCode = { ok: true; code: string } | { ok: false; reason: string };

/** Reads typed codes out of a scanner's reports, Enter by Enter. */
export class ScannerDecoder {
  private down: number[] = [];
  private text = "";
  private unreadable: string | null = null;

  constructor(private readonly options: BootKeyboardDecodeOptions = {}) {}

  /** One input report; a code (or why it could not be read) when it ends with Enter. */
  feed(report: ArrayLike<number>): ScannedCode | null {
    const decoded = decodeBootKeyboardReport(report, this.options);
    if (!decoded.ok) {
      this.unreadable ??= `a bad report (${decoded.message})`;
      return null;
    }
    if (decoded.rollover) return null;
    const { down } = diffUsages(this.down, decoded.usages);
    this.down = decoded.usages;
    for (const usage of down) {
      if (usage >= 0xe0) continue; // modifiers: codes are read upper case
      if (usage === ENTER || usage === KP_ENTER) return this.finish();
      const char = charOf(usage);
      if (char === null)
        this.unreadable ??= `a key that is not A-Z, 0-9 or - (usage 0x${usage.toString(16)})`;
      else if (this.text.length >= MAX_SCANNED_LENGTH)
        this.unreadable ??= `more than ${MAX_SCANNED_LENGTH} characters`;
      else this.text += char;
    }
    return null;
  }

  private finish(): ScannedCode | null {
    const text = this.text;
    const unreadable = this.unreadable;
    this.text = "";
    this.unreadable = null;
    if (unreadable) return { ok: false, reason: `unreadable scan: ${unreadable}` };
    if (text === "") return null;
    return { ok: true, code: text };
  }

  /** Forgets a half-typed code (the scanner was unplugged mid-code). */
  reset(): void {
    this.down = [];
    this.text = "";
    this.unreadable = null;
  }
}

/** The 8-byte reports a keyboard-mode scanner sends for `code`: per character down then up, Enter last. */
export function encodeScannerText(code: string): Uint8Array[] {
  const reports: Uint8Array[] = [];
  const key = (usage: number, modifiers = 0) => {
    reports.push(Uint8Array.of(modifiers, 0, usage, 0, 0, 0, 0, 0));
    reports.push(new Uint8Array(8));
  };
  for (const char of code) {
    const upper = char >= "A" && char <= "Z";
    key(usageOf(char), upper ? LEFT_SHIFT_BIT : 0);
  }
  key(ENTER);
  return reports;
}
