// What a report decoder returns: the decoded value, or a typed reason the bytes are not one.
// Decoders never throw on device input: a panel sending garbage must not take the driver down.

export type HidReportErrorCode =
  /** The report is not one of the lengths this device sends. */
  | "BAD_LENGTH"
  /** A report id byte was expected (or found) and it is not the right one. */
  | "BAD_REPORT_ID"
  /** A well-formed report of another kind (an X-keys version reply, ...): not an error, not buttons. */
  | "OTHER_REPORT"
  /** The bytes contradict the format (a boot report with a non-zero reserved byte, ...). */
  | "BAD_CONTENT";

export interface HidReportError {
  ok: false;
  code: HidReportErrorCode;
  message: string;
}

export type HidDecodeResult<T> = ({ ok: true } & T) | HidReportError;

export function reportError(code: HidReportErrorCode, message: string): HidReportError {
  return { ok: false, code, message };
}

/** Hex of a byte array for messages and fixtures ("00b5 ..." without spaces). */
export function toHex(bytes: ArrayLike<number>): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export function fromHex(hex: string): Uint8Array {
  const clean = hex.replace(/\s+/g, "");
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}
