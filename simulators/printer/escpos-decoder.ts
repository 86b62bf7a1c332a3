// Streaming ESC/POS decoder: bytes in arbitrary chunks -> printed lines, QR codes, logos, cuts and
// the queries a printer answers. Commands may be split anywhere; an incomplete command waits in
// a small buffer, long image data streams through a byte counter instead of being buffered.

import { CodepageDecoder, type CodepageMap, EPSON_CODEPAGES } from "./codepages.js";
import { commandLength } from "./escpos-lengths.js";
import { type Align, LineBuffer } from "./line-buffer.js";
import { type DecoderEvent, type PrintedTicket, TicketAssembler } from "./ticket.js";

export type { DecoderEvent, PrintedLine, PrintedSegment, PrintedTicket, PrinterQuery } from "./ticket.js";

export interface EscPosDecoderOptions {
  /** `ESC t n` number -> code page name; default Epson's numbering. */
  codepages?: CodepageMap;
  /** CR acts as LF (the printer's auto line feed switch); off by default, as on Epson serial. */
  autoLineFeed?: boolean;
}

const ALIGNS: readonly Align[] = ["left", "center", "right", "left"];
const DLE = 0x10;
const ESC = 0x1b;
const FS = 0x1c;
const GS = 0x1d;

export class EscPosDecoder {
  private buf: Uint8Array = new Uint8Array(0);
  /** Data of a known length still arriving; `raster` bytes are reported when it completes. */
  private bulk: { remaining: number; raster: number } | undefined;
  private rtState = 0;
  private out: DecoderEvent[] = [];
  private readonly cp: CodepageDecoder;
  private readonly line = new LineBuffer();
  private kanji = false;
  private shiftJis = true;
  private qrData: string | undefined;
  unknownCommands = 0;
  unknownCodepages = 0;

  constructor(private readonly options: EscPosDecoderOptions = {}) {
    this.cp = new CodepageDecoder(options.codepages ?? EPSON_CODEPAGES);
  }

  /** Decodes a chunk; returns what it completed, real-time queries first. */
  push(chunk: Uint8Array): DecoderEvent[] {
    this.out = [];
    this.scanRealTime(chunk);
    const buf = this.buf.length === 0 ? chunk : concat(this.buf, chunk);
    let i = 0;
    while (i < buf.length) {
      if (this.bulk) {
        const take = Math.min(this.bulk.remaining, buf.length - i);
        this.bulk.remaining -= take;
        i += take;
        if (this.bulk.remaining === 0) {
          if (this.bulk.raster > 0) this.emit({ type: "raster", bytes: this.bulk.raster });
          this.bulk = undefined;
        }
        continue;
      }
      const used = this.step(buf, i);
      if (used === 0) break;
      i += used;
    }
    this.buf = buf.slice(i);
    return this.out;
  }

  /**
   * DLE EOT is real time: the printer answers it wherever it occurs in the stream, even inside
   * image data (a known ESC/POS hazard), so it is matched on raw bytes before parsing.
   */
  private scanRealTime(chunk: Uint8Array): void {
    for (const b of chunk) {
      if (this.rtState === 2 && (b === 1 || b === 2 || b === 3 || b === 4 || b === 20)) {
        this.emit({ type: "query", query: { type: "dleEot", n: b } });
        this.rtState = 0;
      } else if (this.rtState === 1 && b === 0x04) this.rtState = 2;
      else this.rtState = b === DLE ? 1 : 0;
    }
  }

  private emit(event: DecoderEvent): void {
    this.out.push(event);
  }

  /** Consumes one token at `i`; 0 = needs more bytes. */
  private step(buf: Uint8Array, i: number): number {
    const b = buf[i] as number;
    if (b >= 0x20) return this.text(buf, i);
    if (b === 0x0a) this.printLine();
    else if (b === 0x0d && this.options.autoLineFeed) this.printLine();
    else if (b === 0x09) this.line.tab();
    if (b !== DLE && b !== ESC && b !== FS && b !== GS) return 1;
    if (buf.length - i < 2) return 0;
    const cmd = commandLength(buf, i);
    if (cmd === "unknown") {
      // Drop the prefix and letter only, so the least possible data is lost.
      this.unknownCommands++;
      return 2;
    }
    if (cmd === "more" || buf.length - i < cmd.head) return 0;
    const body = buf.subarray(i, i + cmd.head);
    const raster =
      b === ESC ? this.esc(body, cmd.data) : b === FS ? this.fs(body) : b === GS ? this.gs(body) : 0;
    if (cmd.data > 0) this.bulk = { remaining: cmd.data, raster };
    return cmd.head;
  }

  /** Each handler gets the whole command head and returns how many streamed bytes are image data. */
  private esc(cmd: Uint8Array, data: number): number {
    const n = cmd[2] ?? 0;
    switch (cmd[1]) {
      case 0x40: // ESC @: clears the unprinted line and every mode
        this.line.reset();
        this.kanji = false;
        this.qrData = undefined;
        this.cp.select(0);
        break;
      case 0x21: // ESC ! n: bit3 bold, bit4 double height, bit5 double width, bit7 underline
        this.line.bold = (n & 0x08) !== 0;
        this.line.height = n & 0x10 ? 2 : 1;
        this.line.width = n & 0x20 ? 2 : 1;
        this.line.underline = (n & 0x80) !== 0;
        break;
      case 0x45:
        this.line.bold = (n & 1) !== 0;
        break;
      case 0x2d:
        this.line.underline = (n & 3) !== 0;
        break;
      case 0x61:
        this.line.align = ALIGNS[n & 3] ?? "left";
        break;
      case 0x74:
        if (!this.cp.select(n)) this.unknownCodepages++;
        break;
      case 0x64: // ESC d n: print, then feed n lines in all (0: print only)
        if (n === 0) this.flushText();
        for (let k = 0; k < n; k++) this.printLine();
        break;
      case 0x4a: // ESC J n: print and feed n dots, no extra text line
        this.flushText();
        break;
      case 0x2a: // ESC * column image: one band per line, no text line of its own
        this.line.hasGraphics = true;
        return data;
      case 0x69:
      case 0x6d: // legacy ESC i / ESC m cuts
        this.cut(cmd[1] === 0x69 ? "full" : "partial");
        break;
    }
    return 0;
  }

  private fs(cmd: Uint8Array): number {
    const c = cmd[1];
    if (c === 0x2e) this.kanji = false;
    else if (c === 0x26) this.kanji = true;
    else if (c === 0x43) this.shiftJis = ((cmd[2] ?? 0) & 1) === 1;
    else if (c === 0x70) this.graphic({ type: "logo", kc1: cmd[2] ?? 0, kc2: 0 });
    return 0;
  }

  private gs(cmd: Uint8Array): number {
    const n = cmd[2] ?? 0;
    switch (cmd[1]) {
      case 0x21:
        this.line.width = ((n >> 4) & 7) + 1;
        this.line.height = (n & 7) + 1;
        return 0;
      case 0x56: // GS V m [n]
        this.cut([1, 49, 66, 98, 104].includes(n) ? "partial" : "full");
        return 0;
      case 0x61:
        this.emit({ type: "query", query: { type: "asb", n } });
        return 0;
      case 0x72:
        this.emit({ type: "query", query: { type: "transmitStatus", n } });
        return 0;
      case 0x76: // GS v 0: raster image
        this.flushText();
        return u16(cmd, 4) * u16(cmd, 6);
      case 0x28:
        return n === 0x4c ? this.graphics(cmd, 5) : this.gsParen(n, cmd.subarray(5));
      case 0x38:
        return this.graphics(cmd, 7);
    }
    return 0;
  }

  private gsParen(letter: number, body: Uint8Array): number {
    if (letter === 0x48 && body[0] === 0x30 && body.length === 6) {
      const id = String.fromCharCode(...body.subarray(2, 6));
      this.emit({ type: "query", query: { type: "processId", id } });
    } else if (letter === 0x6b && body[0] === 0x31 && body[1] === 0x50) {
      this.qrData = new TextDecoder().decode(body.subarray(3));
    } else if (letter === 0x6b && body[0] === 0x31 && body[1] === 0x51 && this.qrData !== undefined) {
      this.graphic({ type: "qr", data: this.qrData });
    }
    return 0;
  }

  /** GS ( L / GS 8 L with m fn at `head`: NV logo print, buffer print, raster store. */
  private graphics(cmd: Uint8Array, head: number): number {
    const fn = cmd[head + 1];
    if (fn === 0x45) this.graphic({ type: "logo", kc1: cmd[head + 2] ?? 0, kc2: cmd[head + 3] ?? 0 });
    else if (fn === 0x32) this.graphic(undefined);
    else if (fn === 0x70) {
      // fn 112 stores raster data behind 8 parameter bytes (a bx by c xL xH yL yH).
      const p = head === 5 ? u16(cmd, 3) : u16(cmd, 3) + u16(cmd, 5) * 65536;
      return Math.max(0, p - 10);
    }
    return 0;
  }

  private text(buf: Uint8Array, i: number): number {
    const b = buf[i] as number;
    if (!this.kanji) {
      this.line.append(this.cp.decode(b));
      return 1;
    }
    // Kanji mode: Shift JIS leads 0x81..0x9F / 0xE0..0xFC, JIS pairs are all two bytes.
    const lead = this.shiftJis ? (b >= 0x81 && b <= 0x9f) || b >= 0xe0 : true;
    if (!lead) {
      this.line.append(this.cp.decode(b));
      return 1;
    }
    if (buf.length - i < 2) return 0;
    const pair = this.shiftJis ? [b, buf[i + 1] as number] : [b | 0x80, (buf[i + 1] as number) | 0x80];
    this.line.append(decodeKanji(Uint8Array.from(pair), this.shiftJis));
    return 2;
  }

  /** LF: prints the line buffer. */
  private printLine(): void {
    const line = this.line.take();
    if (line) this.emit({ type: "line", line });
  }

  private flushText(): void {
    if (!this.line.empty) this.printLine();
  }

  private graphic(event: DecoderEvent | undefined): void {
    this.flushText();
    if (event) this.emit(event);
  }

  private cut(cut: "full" | "partial"): void {
    this.flushText();
    this.emit({ type: "cut", cut });
  }
}

function u16(buf: Uint8Array, at: number): number {
  return (buf[at] ?? 0) + (buf[at + 1] ?? 0) * 256;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function decodeKanji(bytes: Uint8Array, shiftJis: boolean): string {
  try {
    return new TextDecoder(shiftJis ? "shift_jis" : "euc-jp").decode(bytes);
  } catch {
    return "\ufffd"; // a Node built without full ICU
  }
}

/** Decodes a whole byte stream at once: finished tickets, what is left after the last cut, queries. */
export function decodeEscPos(
  bytes: Uint8Array,
  options?: EscPosDecoderOptions,
): { tickets: PrintedTicket[]; pending: PrintedTicket; events: DecoderEvent[]; unknownCommands: number } {
  const decoder = new EscPosDecoder(options);
  const assembler = new TicketAssembler();
  const events = decoder.push(bytes);
  for (const e of events) assembler.apply(e);
  return {
    tickets: assembler.done,
    pending: assembler.inProgress(),
    events,
    unknownCommands: decoder.unknownCommands,
  };
}
