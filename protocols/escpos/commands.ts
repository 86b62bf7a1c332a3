// ESC/POS command builders for the status and confirmation side of printing (the ticket text itself
// is encoded by @point-of-sale/receipt-printer-encoder). Byte layouts: docs/hardware.md.
// Every builder validates its arguments: a wrong byte here is silently misread by the printer.

/** `n` of `DLE EOT n`: 1..4 are Epson's one-byte real-time statuses, 20 the kiosk presenter status. */
export type StatusRequestN = 1 | 2 | 3 | 4 | 20;

const DLE = 0x10;
const EOT = 0x04;
const ESC = 0x1b;
const GS = 0x1d;

function byteArg(name: string, value: number, min = 0, max = 0xff): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer in ${min}..${max}, got ${value}`);
  }
  return value;
}

/** Real-time status request `DLE EOT n` (10 04 n): answered at once, even with a full buffer. */
export function dleEot(n: StatusRequestN): Uint8Array {
  if (n !== 1 && n !== 2 && n !== 3 && n !== 4 && n !== 20) {
    throw new RangeError(`DLE EOT n must be 1, 2, 3, 4 or 20, got ${String(n)}`);
  }
  return Uint8Array.of(DLE, EOT, n);
}

/**
 * Automatic Status Back `GS a n` (1D 61 n). Flags: bit0 drawer, bit1 online/offline,
 * bit2 errors, bit3 paper sensor; the default asks for everything a ticket printer has.
 */
export function enableAsb(flags = 0x0f): Uint8Array {
  return Uint8Array.of(GS, 0x61, byteArg("ASB flags", flags));
}

/** `GS a 0`: stop unsolicited status, e.g. left enabled by a previous session. */
export function disableAsb(): Uint8Array {
  return Uint8Array.of(GS, 0x61, 0x00);
}

/** Process ID characters d1..d4: Epson allows 48..126 each. */
export function isValidProcessId(id: string): boolean {
  if (id.length !== 4) return false;
  for (let i = 0; i < 4; i++) {
    const c = id.charCodeAt(i);
    if (c < 0x30 || c > 0x7e) return false;
  }
  return true;
}

/**
 * Process ID response request `GS ( H` fn 48 (1D 28 48 06 00 30 30 d1 d2 d3 d4).
 * Epson answers `37 22 d1 d2 d3 d4 00` only once everything before it has printed
 * (TM-T88III and later), which makes it the strongest "ticket is out" barrier.
 */
export function processIdRequest(id: string): Uint8Array {
  if (!isValidProcessId(id)) {
    throw new RangeError(`process id must be exactly 4 characters in 0x30..0x7E, got ${JSON.stringify(id)}`);
  }
  const out = Uint8Array.of(GS, 0x28, 0x48, 0x06, 0x00, 0x30, 0x30, 0, 0, 0, 0);
  for (let i = 0; i < 4; i++) out[7 + i] = id.charCodeAt(i);
  return out;
}

/** `GS r 1` (1D 72 01): paper sensor status, processed in order after the data before it. */
export function paperSensorStatus(): Uint8Array {
  return Uint8Array.of(GS, 0x72, 0x01);
}

/**
 * Print a stored NV graphic `GS ( L` fn 69 (1D 28 4C 06 00 30 45 kc1 kc2 x y).
 * Epson manual: key codes kc1, kc2 in 32..126; scales x, y in 1..2.
 */
export function printNvLogo(kc1: number, kc2: number, scaleX = 1, scaleY = 1): Uint8Array {
  return Uint8Array.of(
    GS,
    0x28,
    0x4c,
    0x06,
    0x00,
    0x30,
    0x45,
    byteArg("kc1", kc1, 32, 126),
    byteArg("kc2", kc2, 32, 126),
    byteArg("scaleX", scaleX, 1, 2),
    byteArg("scaleY", scaleY, 1, 2),
  );
}

/** `ESC @` (1B 40). Also resets the code page, so select it again after. */
export function initialize(): Uint8Array {
  return Uint8Array.of(ESC, 0x40);
}

/** `GS V 65|66 n` (1D 56 41|42 n): feed n to the cutter, then a full or partial cut. */
export function cut(partial = false, feed = 3): Uint8Array {
  return Uint8Array.of(GS, 0x56, partial ? 0x42 : 0x41, byteArg("cut feed", feed));
}
