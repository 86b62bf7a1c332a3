// Streaming parser of Alpha protocol packets, for simulated signs: what a real sign would take
// from the line. Packet: NULs, SOH, type code, two address characters, then one or more commands
// `STX command data [ETX checksum]`, then EOT. A command with a wrong checksum is dropped and
// counted (a sign ignores it too); bytes outside a well-formed packet are garbage; NULs are the
// auto-baud preamble and not garbage.

import {
  alphaChecksum,
  EOT,
  ESC,
  ETX,
  EXT,
  EXTENDED_CHARS,
  NEW_LINE,
  NUL,
  SOH,
  STX,
  WRITE_TEXT,
} from "./alpha-bytes.js";
import { FrameScanner, type Step } from "./frame-scanner.js";

export interface AlphaFrame {
  typeCode: string;
  address: string;
  /** Command code: "A" write TEXT file, "E" special function, ... */
  command: string;
  /** First data character (the file label for TEXT commands). */
  fileLabel: string;
  /** TEXT commands: display position and mode code of the leading mode field, if any. */
  position?: string;
  mode?: string;
  /** The data as text: "\n" for the new-line code, "→" etc. for extended arrows. */
  text: string;
  /** True: a checksum came and matched; false: none was sent (wrong ones are never returned). */
  checksumOk: boolean;
}

/** Packets longer than this are noise: no sign has that much text memory per packet. */
const MAX_PACKET = 0x10000;
const printable = (b: number | undefined) => b !== undefined && b >= 0x20 && b <= 0x7e;
const chr = (b: number | undefined) => String.fromCharCode(b ?? 0);
const isHex = (b: number | undefined) => printable(b) && /[0-9A-Fa-f]/.test(chr(b));

/** Control codes inside TEXT data that take argument bytes: they are formatting, not text. */
const ARGS: ReadonlyMap<number, number> = new Map([
  [ESC, 2], // position, mode
  [0x07, 1], // flash on/off: "0" or "1"
  [0x1a, 1], // character set
  [0x1c, 1], // colour
  [0x1d, 2], // character attribute, on/off
  [0x1e, 1], // character spacing
]);

function decodeText(data: readonly number[]): string {
  let text = "";
  for (let k = 0; k < data.length; k++) {
    const b = data[k] ?? 0;
    if (printable(b)) text += chr(b);
    else if (b === NEW_LINE) text += "\n";
    else if (b === EXT) text += EXTENDED_CHARS.get(data[++k] ?? 0) ?? "?";
    else k += ARGS.get(b) ?? 0; // other formatting codes: dropped
  }
  return text;
}

function decodeCommand(head: readonly number[], data: readonly number[], checksumOk: boolean): AlphaFrame {
  const [typeCode, a1, a2] = head.map(chr);
  const frame: AlphaFrame = {
    typeCode: typeCode ?? "",
    address: `${a1}${a2}`,
    command: chr(data[0]),
    fileLabel: data.length > 1 ? chr(data[1]) : "",
    text: "",
    checksumOk,
  };
  let from = 2;
  if (data[0] === WRITE_TEXT && data[2] === ESC && data.length >= 5) {
    frame.position = chr(data[3]);
    const special = data[4] === 0x6e && data.length >= 6; // "n": a special mode code follows
    frame.mode = special ? chr(data[4]) + chr(data[5]) : chr(data[4]);
    from = special ? 6 : 5;
  }
  frame.text = decodeText(data.slice(from));
  return frame;
}

export class AlphaFrameParser extends FrameScanner<AlphaFrame> {
  #badChecksums = 0;

  /** Commands dropped for a wrong checksum since construction or `reset()`. */
  get badChecksums(): number {
    return this.#badChecksums;
  }

  override reset(): void {
    super.reset();
    this.#badChecksums = 0;
  }

  protected step(buf: readonly number[], i: number): Step<AlphaFrame> {
    const b = buf[i];
    if (b === NUL) return { items: [], length: 1 };
    if (b !== SOH) return "skip";
    if (buf.length - i > MAX_PACKET) return "skip";
    if (buf.length - i < 5) return "wait";
    const head = buf.slice(i + 1, i + 4);
    if (!head.every(printable) || buf[i + 4] !== STX) return "skip";
    const items: AlphaFrame[] = [];
    let bad = 0;
    let j = i + 4; // at an STX
    for (;;) {
      let k = j + 1;
      while (k < buf.length && ![ETX, EOT, SOH, STX].includes(buf[k] ?? 0)) k++;
      if (k >= buf.length) return "wait";
      const data = buf.slice(j + 1, k);
      if (data.length === 0 || buf[k] === SOH) return "skip";
      if (buf[k] !== ETX) {
        items.push(decodeCommand(head, data, false));
      } else {
        if (buf.length < k + 6) return "wait";
        const sum = buf.slice(k + 1, k + 5);
        if (!sum.every(isHex)) return "skip";
        const ok = alphaChecksum(buf.slice(j, k + 1)) === sum.map(chr).join("").toUpperCase();
        if (ok) items.push(decodeCommand(head, data, true));
        else bad++;
        k += 5;
      }
      if (buf[k] === EOT) {
        this.#badChecksums += bad;
        return { items, length: k + 1 - i };
      }
      if (buf[k] !== STX) return "skip";
      j = k;
    }
  }
}
