// The document model of what came out of the virtual printer, and the assembler that builds
// tickets from decoder events. Kept apart from the decoder so the printer can apply events only
// when they have "printed" (slow printing, paper out) while decoding stays immediate.

export interface PrintedSegment {
  text: string;
  bold: boolean;
  underline: boolean;
  /** Character width multiplier, 1..8. */
  width: number;
  /** Character height multiplier, 1..8. */
  height: number;
}

export interface PrintedLine {
  segments: PrintedSegment[];
  align: "left" | "center" | "right";
}

export interface PrintedTicket {
  lines: PrintedLine[];
  /** Payloads of printed QR codes, in print order. */
  qr: string[];
  /** Stored NV graphics printed (GS ( L fn 69 / GS 8 L fn 69, FS p as kc1 = n, kc2 = 0). */
  logos: Array<{ kc1: number; kc2: number }>;
  cut: "full" | "partial";
  /** Image data bytes received (raster, column and graphics-buffer images). */
  rasterBytes: number;
}

/** A query the printer answers; "in order" ones only after everything before them printed. */
export type PrinterQuery =
  | { type: "dleEot"; n: number } // real time
  | { type: "asb"; n: number } // GS a n
  | { type: "processId"; id: string } // GS ( H fn 48, in order
  | { type: "transmitStatus"; n: number }; // GS r n, in order

export type DecoderEvent =
  | { type: "line"; line: PrintedLine }
  | { type: "qr"; data: string }
  | { type: "logo"; kc1: number; kc2: number }
  | { type: "raster"; bytes: number }
  | { type: "cut"; cut: "full" | "partial" }
  | { type: "query"; query: PrinterQuery };

export function lineText(line: PrintedLine): string {
  return line.segments.map((s) => s.text).join("");
}

/** Folds printed events into tickets; a cut closes the ticket in progress. */
export class TicketAssembler {
  private lines: PrintedLine[] = [];
  private qr: string[] = [];
  private logos: Array<{ kc1: number; kc2: number }> = [];
  private rasterBytes = 0;
  readonly done: PrintedTicket[] = [];

  /** Returns the finished ticket when the event was a cut. */
  apply(event: DecoderEvent): PrintedTicket | undefined {
    switch (event.type) {
      case "line":
        this.lines.push(event.line);
        return undefined;
      case "qr":
        this.qr.push(event.data);
        return undefined;
      case "logo":
        this.logos.push({ kc1: event.kc1, kc2: event.kc2 });
        return undefined;
      case "raster":
        this.rasterBytes += event.bytes;
        return undefined;
      case "cut": {
        const ticket = { ...this.inProgress(), cut: event.cut };
        this.lines = [];
        this.qr = [];
        this.logos = [];
        this.rasterBytes = 0;
        this.done.push(ticket);
        return ticket;
      }
      case "query":
        return undefined;
    }
  }

  /** What is on the paper since the last cut (cut reported as "full" until it happens). */
  inProgress(): PrintedTicket {
    return {
      lines: [...this.lines],
      qr: [...this.qr],
      logos: [...this.logos],
      cut: "full",
      rasterBytes: this.rasterBytes,
    };
  }
}
