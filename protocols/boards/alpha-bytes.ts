// Byte values of the Alpha Sign Communications Protocol (Adaptive Micro Systems, pub. 97088061,
// used by BetaBrite and other Alpha signs), shared by the frame builder and the frame parser.

export const NUL = 0x00; // at least five precede a packet: the sign detects the baud rate on them
export const SOH = 0x01;
export const STX = 0x02;
export const ETX = 0x03;
export const EOT = 0x04;
/** Next byte selects an extended character (arrows, symbols); not every sign model has them. */
export const EXT = 0x08;
/** In a TEXT file: the following text starts on the next line of a multi-line sign. */
export const NEW_LINE = 0x0d;
/** In a TEXT file: starts a mode field, ESC display-position mode-code. */
export const ESC = 0x1b;

/** Command code "A": write TEXT file. */
export const WRITE_TEXT = 0x41;

/** Extended characters the parser turns back into text (protocol's extended character table). */
export const EXTENDED_CHARS: ReadonlyMap<number, string> = new Map([
  [0x64, "↑"],
  [0x65, "↓"],
  [0x66, "←"],
  [0x67, "→"],
]);
export const EXT_RIGHT_ARROW = 0x67;

/** The optional checksum: 16-bit sum of the bytes from STX through ETX, as 4 uppercase hex digits. */
export function alphaChecksum(bytes: ArrayLike<number>): string {
  let sum = 0;
  for (let i = 0; i < bytes.length; i++) sum = (sum + ((bytes[i] ?? 0) & 0xff)) & 0xffff;
  return sum.toString(16).toUpperCase().padStart(4, "0");
}
