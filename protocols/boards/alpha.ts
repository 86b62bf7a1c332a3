// Alpha sign protocol (Adaptive Micro Systems; BetaBrite) frames that write a TEXT file, and the
// codec for the waiting-room signs. Signs never answer writes, so it is write-only.
//
// Choices:
// - "→" goes out as ASCII "->" by default: the protocol's extended character 08 67 (right arrow)
//   may be missing from a sign's character set (a BetaBrite knows only the Alpha 1.0 subset), and
//   "->" reads the same everywhere. `arrow: "extended"` opts in for signs that have it.
// - Lines are separated by 0D, the protocol's new-line code for multi-line signs; "\n" maps to it.
// - Text is folded to printable ASCII: a control byte inside the text would end or corrupt the packet.
// - 50 ms between packets: the protocol has no acknowledgement or flow control, so time is the only
//   guard against a sign still busy storing the previous file. The figure is our conservative
//   choice, not the manual's; a queue call never notices it.

import {
  alphaChecksum,
  EOT,
  ESC,
  ETX,
  EXT,
  EXT_RIGHT_ARROW,
  NEW_LINE,
  NUL,
  SOH,
  STX,
  WRITE_TEXT,
} from "./alpha-bytes.js";
import { FrameScanner, type Step } from "./frame-scanner.js";
import { asciiCells, assertIntIn, fitCells } from "./text.js";
import type { BoardCodec, BoardReply, BoardReplyParser } from "./types.js";

export { alphaChecksum } from "./alpha-bytes.js";
export { type AlphaFrame, AlphaFrameParser } from "./alpha-parser.js";

export type AlphaArrow = "ascii" | "extended";

export interface AlphaTextOptions {
  arrow?: AlphaArrow;
  /** Characters per line; longer lines are cut from the right. */
  width?: number;
}

export interface AlphaWriteTextOptions {
  /** Sign type code; "Z" = all types. */
  typeCode?: string;
  /** 0..255 as two hex digits, or two characters as sent ("00" = broadcast, "?" wildcards). */
  address?: string | number;
  fileLabel?: string;
  /** Display position: " " middle line, '"' top, "&" bottom, "0" fill. */
  position?: string;
  /** Mode code: "a" rotate, "b" hold, "c" flash, ... ("n" + special-mode code); null: no mode field. */
  mode?: string | null;
  text: string;
  arrow?: AlphaArrow;
  /** Append ETX and the checksum (the protocol makes them optional). */
  checksum?: boolean;
}

const PRINTABLE = /^[\x20-\x7e]+$/;

function oneChar(name: string, value: string, max = 1): number[] {
  if (value.length < 1 || value.length > max || !PRINTABLE.test(value)) {
    throw new RangeError(
      `Alpha ${name} must be ${max} printable ASCII character(s), got ${JSON.stringify(value)}`,
    );
  }
  return Array.from(value, (c) => c.charCodeAt(0));
}

function addressChars(address: string | number): string {
  if (typeof address === "number") {
    assertIntIn("Alpha address", address, 0, 255);
    return address.toString(16).toUpperCase().padStart(2, "0");
  }
  if (!/^[0-9A-Fa-f?]{2}$/.test(address)) {
    throw new RangeError(`Alpha address must be two hex digits, got ${JSON.stringify(address)}`);
  }
  return address.toUpperCase();
}

/** TEXT file bytes of `text`: printable ASCII, "\n" as the new-line code 0D, "→" per `arrow`. */
export function alphaTextBytes(text: string, options: AlphaTextOptions = {}): number[] {
  const arrow = options.arrow === "extended" ? [String.fromCharCode(EXT, EXT_RIGHT_ARROW)] : ["-", ">"];
  const width = options.width ?? Number.POSITIVE_INFINITY;
  return text.split(/\r?\n/).flatMap((line, k) => {
    const cells = fitCells(asciiCells(line, arrow), width, false);
    const bytes = Array.from(cells.join(""), (c) => c.charCodeAt(0));
    return k === 0 ? bytes : [NEW_LINE, ...bytes];
  });
}

function textFrame(o: Omit<AlphaWriteTextOptions, "text" | "arrow">, text: number[]): Uint8Array {
  const mode = o.mode === undefined ? "b" : o.mode;
  const body = [
    STX,
    WRITE_TEXT,
    ...oneChar("file label", o.fileLabel ?? "A"),
    ...(mode === null ? [] : [ESC, ...oneChar("position", o.position ?? " "), ...oneChar("mode", mode, 2)]),
    ...text,
  ];
  const header = [NUL, NUL, NUL, NUL, NUL, SOH, ...oneChar("type code", o.typeCode ?? "Z")];
  header.push(...oneChar("address", addressChars(o.address ?? "00"), 2));
  if (o.checksum === false) return Uint8Array.from([...header, ...body, EOT]);
  body.push(ETX);
  const sum = Array.from(alphaChecksum(body), (c) => c.charCodeAt(0));
  return Uint8Array.from([...header, ...body, ...sum, EOT]);
}

/** One packet writing `text` to a TEXT file: "A123", file A, hold, middle line = hardware.md's example. */
export function alphaWriteTextFrame(options: AlphaWriteTextOptions): Uint8Array {
  return textFrame(options, alphaTextBytes(options.text, { arrow: options.arrow ?? "ascii" }));
}

/** Signs do not answer writes: anything heard on the line is garbage. */
class AlphaNoReplyParser extends FrameScanner<BoardReply> implements BoardReplyParser {
  protected step(): Step<BoardReply> {
    return "skip";
  }
}

export interface AlphaCodecOptions {
  /** Characters a line shows at once (a BetaBrite shows about 16 in hold mode). */
  width?: number;
  arrow?: AlphaArrow;
  fileLabel?: string;
  typeCode?: string;
}

export const ALPHA_GAP_MS = 50;

/** Hold mode ("b"), or flash ("c") when asked to blink; each "\n"-separated line cut to `width`. */
export function alphaCodec(options: AlphaCodecOptions = {}): BoardCodec {
  const width = options.width ?? 16;
  assertIntIn("width", width, 1, 1000);
  const arrow = options.arrow ?? "ascii";
  return {
    protocol: "alpha",
    width,
    nativeBlink: true,
    encodeShow(address, text, show) {
      const { typeCode, fileLabel } = options;
      const frame = { typeCode, fileLabel, address, mode: show?.blink ? "c" : "b" };
      return [textFrame(frame, alphaTextBytes(text, { arrow, width }))];
    },
    encodeProbe: () => null,
    expectsReply: () => false,
    newReplyParser: () => new AlphaNoReplyParser(),
    interFrameGapMs: () => ALPHA_GAP_MS,
  };
}
