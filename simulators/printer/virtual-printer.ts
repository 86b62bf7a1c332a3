// A virtual Epson-compatible ticket printer: takes the bytes a real one takes and answers like one.
// Real-time DLE EOT is answered at once; everything else goes through a print queue that runs at
// `msPerLine` and halts while the paper is out or the cover is open, so barrier replies (process
// id, GS r) come only once what precedes them is on paper, exactly the guarantee the driver needs.

import {
  encodeAsb,
  encodeDleEot,
  encodePaperSensorStatus,
  encodePresenterStatus,
  encodeProcessIdReply,
  isValidProcessId,
  type StatusFlags,
} from "../../protocols/escpos/status.js";
import type { CodepageMap } from "./codepages.js";
import { EscPosDecoder } from "./escpos-decoder.js";
import { type DecoderEvent, type PrintedTicket, type PrinterQuery, TicketAssembler } from "./ticket.js";

export interface VirtualPrinterTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface VirtualPrinterOptions {
  /** Answer GS ( H process id requests (TM-T88III and later); false = a clone that ignores them. */
  processId?: boolean;
  /** Support Automatic Status Back (GS a n). */
  asb?: boolean;
  /** Kiosk printer with a presenter: answers DLE EOT 20, holds the ticket until taken. */
  presenter?: boolean;
  /** Print time per text line; 0 (default) prints at once, synchronously within receive(). */
  msPerLine?: number;
  timers?: VirtualPrinterTimers;
  /** `ESC t n` numbering of this model; default Epson's. */
  codepages?: CodepageMap;
  autoLineFeed?: boolean;
}

export interface VirtualPrinterStats {
  bytesReceived: number;
  /** Bytes that arrived while vanished and were dropped. */
  bytesSwallowed: number;
  bytesSent: number;
  tickets: number;
  unknownCommands: number;
  unknownCodepages: number;
  /** Queue items (lines, images, cuts, barriers) still to print. */
  queued: number;
}

/** Everything but real-time requests waits its turn; ASB switching is applied on arrival. */
type QueueItem = DecoderEvent;

const realTimers: VirtualPrinterTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export class VirtualPrinter {
  private readonly opts: Required<Omit<VirtualPrinterOptions, "codepages">>;
  private decoder: EscPosDecoder;
  private readonly assembler = new TicketAssembler();
  private readonly outputHandlers = new Set<(bytes: Uint8Array) => void>();
  private readonly ticketHandlers = new Set<(ticket: PrintedTicket) => void>();
  private queue: QueueItem[] = [];
  private timer: unknown;
  private headStarted = false;
  private asbOn = false;
  private readonly faults = { paperOut: false, paperNearEnd: false, coverOpen: false, error: false };
  private vanished = false;
  private ticketInOutput = false;
  private counts = { bytesReceived: 0, bytesSwallowed: 0, bytesSent: 0 };

  constructor(private readonly options: VirtualPrinterOptions = {}) {
    this.opts = {
      processId: options.processId ?? true,
      asb: options.asb ?? true,
      presenter: options.presenter ?? false,
      msPerLine: options.msPerLine ?? 0,
      timers: options.timers ?? realTimers,
      autoLineFeed: options.autoLineFeed ?? false,
    };
    this.decoder = this.newDecoder();
  }

  /** Bytes from the host. */
  receive(chunk: Uint8Array): void {
    if (this.vanished) {
      this.counts.bytesSwallowed += chunk.length;
      return;
    }
    this.counts.bytesReceived += chunk.length;
    for (const event of this.decoder.push(chunk)) {
      if (event.type === "query" && event.query.type === "dleEot") this.answerRealTime(event.query.n);
      else if (event.type === "query" && event.query.type === "asb") this.setAsb(event.query.n);
      else this.queue.push(event);
    }
    this.pump();
  }

  /** Bytes to the host. Returns an unsubscribe function. */
  onOutput(handler: (bytes: Uint8Array) => void): () => void {
    this.outputHandlers.add(handler);
    return () => this.outputHandlers.delete(handler);
  }

  onTicket(handler: (ticket: PrintedTicket) => void): () => void {
    this.ticketHandlers.add(handler);
    return () => this.ticketHandlers.delete(handler);
  }

  /** Tickets cut so far, oldest first. */
  tickets(): PrintedTicket[] {
    return [...this.assembler.done];
  }

  /** What is on the paper since the last cut. */
  inProgress(): PrintedTicket {
    return this.assembler.inProgress();
  }

  /** The printer's condition as its status replies report it. */
  flags(): Required<StatusFlags> {
    return { offline: this.halted(), ...this.faults };
  }

  setPaperNearEnd(on: boolean): void {
    this.change("paperNearEnd", on);
  }

  /** Paper out stops printing mid-ticket; the rest waits in the buffer until paper is loaded. */
  setPaperOut(on: boolean): void {
    this.change("paperOut", on);
  }

  setCoverOpen(on: boolean): void {
    this.change("coverOpen", on);
  }

  /** An autocutter jam: offline, printing stops until cleared. */
  setError(on: boolean): void {
    this.change("error", on);
  }

  /** Unplugged or powered off: answers nothing and drops what it is sent. */
  setVanished(on: boolean): void {
    this.vanished = on;
  }

  /** Kiosk customer takes the ticket from the presenter. */
  takeTicket(): void {
    this.ticketInOutput = false;
  }

  /** Line noise or a confused printer: unsolicited bytes to the host. */
  sendGarbage(bytes: Uint8Array): void {
    this.send(bytes);
  }

  stats(): VirtualPrinterStats {
    return {
      ...this.counts,
      tickets: this.assembler.done.length,
      unknownCommands: this.decoder.unknownCommands,
      unknownCodepages: this.decoder.unknownCodepages,
      queued: this.queue.length,
    };
  }

  /** Power cycle: the receive buffer, modes and ASB are lost; printed tickets and faults stay. */
  powerCycle(): void {
    if (this.timer !== undefined) this.opts.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.headStarted = false;
    this.queue = [];
    this.asbOn = false;
    this.decoder = this.newDecoder();
  }

  private newDecoder(): EscPosDecoder {
    const { codepages } = this.options;
    return new EscPosDecoder({ autoLineFeed: this.opts.autoLineFeed, ...(codepages ? { codepages } : {}) });
  }

  private halted(): boolean {
    return this.faults.paperOut || this.faults.coverOpen || this.faults.error;
  }

  private change(fault: keyof VirtualPrinter["faults"], on: boolean): void {
    if (this.faults[fault] === on) return;
    this.faults[fault] = on;
    if (this.asbOn) this.sendAsb();
    this.pump();
  }

  private send(bytes: Uint8Array): void {
    if (this.vanished || bytes.length === 0) return;
    this.counts.bytesSent += bytes.length;
    for (const handler of this.outputHandlers) handler(bytes);
  }

  private answerRealTime(n: number): void {
    const f = this.flags();
    if (n === 1) this.send(encodeDleEot(1, { offline: f.offline }));
    else if (n === 2)
      this.send(encodeDleEot(2, { coverOpen: f.coverOpen, paperEndStop: f.paperOut, error: f.error }));
    else if (n === 3) this.send(encodeDleEot(3, { autocutter: f.error }));
    else if (n === 4) this.send(encodeDleEot(4, { paperNearEnd: f.paperNearEnd, paperOut: f.paperOut }));
    else if (n === 20 && this.opts.presenter) {
      const { paperOut: paperAbsent, paperNearEnd, coverOpen, error } = f;
      this.send(
        encodePresenterStatus({
          paperAbsent,
          paperNearEnd,
          coverOpen,
          error,
          ticketInOutput: this.ticketInOutput,
        }),
      );
    }
  }

  private setAsb(n: number): void {
    this.asbOn = this.opts.asb && n !== 0;
    if (this.asbOn) this.sendAsb();
  }

  private sendAsb(): void {
    const f = this.flags();
    this.send(encodeAsb({ ...f, autocutter: f.error }));
  }

  /** Runs the queue: each item takes its print time, and nothing runs while halted. */
  private pump(): void {
    while (this.timer === undefined && this.queue.length > 0 && !this.halted()) {
      const item = this.queue[0] as QueueItem;
      const cost = this.opts.msPerLine * linesOf(item);
      if (cost > 0 && !this.headStarted) {
        this.headStarted = true;
        this.timer = this.opts.timers.setTimeout(() => {
          this.timer = undefined;
          this.pump();
        }, cost);
        return;
      }
      this.queue.shift();
      this.headStarted = false;
      this.print(item);
    }
  }

  private print(item: QueueItem): void {
    if (item.type !== "query") {
      const ticket = this.assembler.apply(item);
      if (!ticket) return;
      this.ticketInOutput = this.opts.presenter;
      for (const handler of this.ticketHandlers) handler(ticket);
      return;
    }
    this.answerInOrder(item.query);
  }

  private answerInOrder(query: PrinterQuery): void {
    const f = this.flags();
    if (query.type === "processId") {
      // Epson allows id bytes 0x30..0x7E only; anything else is not a valid request.
      if (this.opts.processId && isValidProcessId(query.id)) this.send(encodeProcessIdReply(query.id));
    } else if (query.type === "transmitStatus") {
      if (query.n === 1 || query.n === 49) this.send(encodePaperSensorStatus(f));
      else if (query.n === 2 || query.n === 50) this.send(Uint8Array.of(0x00)); // drawer: closed
    }
  }
}

/** Print time of one item in text lines: images by their height, a QR about eight lines. */
function linesOf(item: QueueItem): number {
  switch (item.type) {
    case "line":
      return Math.max(1, ...item.line.segments.map((s) => s.height));
    case "qr":
      return 8;
    case "logo":
      return 4;
    case "raster":
      return Math.ceil(item.bytes / (72 * 24)); // 576-dot rows, 24 rows a text line
    case "cut":
      return 1;
    default:
      return 0;
  }
}
