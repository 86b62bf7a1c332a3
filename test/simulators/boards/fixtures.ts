// Frames written out by hand from reference/hardware.md, so the simulators are checked against
// the documented bytes and not against the codecs that produce them.

/** "01 06 00 07" -> bytes. */
export function hex(text: string): Uint8Array {
  return Uint8Array.from(text.trim().split(/\s+/), (h) => Number.parseInt(h, 16));
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(parts.flatMap((p) => [...p]));
}

/** Slave 1 shows "A123" (function 16, registers 0..3), and the module's reply. */
export const SHOW_A123 = hex("01 10 00 00 00 04 08 00 41 00 31 00 32 00 33 7B 60");
export const SHOW_A123_REPLY = hex("01 10 00 00 00 04 C1 CA");
/** Slave 1 shows the number 123 (function 06, register 7); the reply is the same frame. */
export const SHOW_123 = hex("01 06 00 07 00 7B 78 28");
/** SHOW_123 with the last CRC byte wrong. */
export const SHOW_123_BAD_CRC = hex("01 06 00 07 00 7B 78 29");

/** Alpha: "A123" to file A, hold mode, middle line, checksum 01FB. */
export const ALPHA_HOLD_A123 = hex(
  "00 00 00 00 00 01 5A 30 30 02 41 41 1B 20 62 41 31 32 33 03 30 31 46 42 04",
);
/** The same in flash mode ("c"): the sum goes up by one, 01FC. */
export const ALPHA_FLASH_A123 = hex(
  "00 00 00 00 00 01 5A 30 30 02 41 41 1B 20 63 41 31 32 33 03 30 31 46 43 04",
);
/** The hold frame with a wrong checksum (01FA). */
export const ALPHA_BAD_SUM = hex(
  "00 00 00 00 00 01 5A 30 30 02 41 41 1B 20 62 41 31 32 33 03 30 31 46 41 04",
);

/** Alpha "B7" to address `aa` (two ASCII characters), hold mode, no checksum (it is optional). */
export function alphaNoSum(aa: string, text = "B7"): Uint8Array {
  const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));
  return Uint8Array.from([
    0,
    0,
    0,
    0,
    0,
    1,
    0x5a,
    ...ascii(aa),
    2,
    0x41,
    0x41,
    0x1b,
    0x20,
    0x62,
    ...ascii(text),
    4,
  ]);
}
