// The printer's line buffer and character modes: text accumulates here in styled segments until
// LF (or a command that prints) turns it into a printed line.

import type { PrintedLine, PrintedSegment } from "./ticket.js";

export type Align = PrintedLine["align"];

export class LineBuffer {
  bold = false;
  underline = false;
  width = 1;
  height = 1;
  align: Align = "left";
  /** An ESC * image band is on this line: its LF prints the band, not a blank text line. */
  hasGraphics = false;
  private segments: PrintedSegment[] = [];
  /** Alignment is taken at the start of a line, as Epson does. */
  private lineAlign: Align = "left";

  get empty(): boolean {
    return this.segments.length === 0;
  }

  /** ESC @: the unprinted line is discarded and every mode returns to its default. */
  reset(): void {
    this.segments = [];
    this.hasGraphics = this.bold = this.underline = false;
    this.width = this.height = 1;
    this.align = "left";
  }

  append(text: string): void {
    if (this.segments.length === 0) this.lineAlign = this.align;
    const last = this.segments.at(-1);
    const { bold, underline, width, height } = this;
    if (
      last &&
      last.bold === bold &&
      last.underline === underline &&
      last.width === width &&
      last.height === height
    ) {
      last.text += text;
    } else this.segments.push({ text, bold, underline, width, height });
  }

  /** HT: to the next default tab stop, every 8 columns. */
  tab(): void {
    const column = this.segments.reduce((sum, s) => sum + s.text.length * s.width, 0);
    this.append(" ".repeat(8 - (column % 8)));
  }

  /** Empties the buffer; returns the line to print (an empty one is a blank line) or none for an image band. */
  take(): PrintedLine | undefined {
    const segments = this.segments;
    const band = segments.length === 0 && this.hasGraphics;
    this.segments = [];
    this.hasGraphics = false;
    return band ? undefined : { segments, align: segments.length > 0 ? this.lineAlign : this.align };
  }
}
