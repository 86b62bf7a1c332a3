// The office's ticket printers behind the PrintService the queue uses: encode the ticket for the
// printer's profile, send it, and count it only when the printer confirmed it came out.

import type { PrintResult, TicketPrinterDriver } from "../../device/printer/types.js";
import { type PrinterProfile, profileById } from "../../protocols/escpos/profiles.js";
import type { OfficeConfig } from "../config/schema.js";
import type { TicketView } from "../queue/core/queue.js";
import type { PrintOutcome, PrintService } from "./print-service.js";
import type { PrinterConfig } from "./printer-schema.js";
import { encodeNotice, encodeTicket } from "./ticket-layout.js";

export interface ManagedPrinter {
  config: PrinterConfig;
  profile: PrinterProfile;
  driver: TicketPrinterDriver;
}

function outcomeOf(result: PrintResult, printer: string): PrintOutcome {
  if (result.ok) return { ok: true, printer };
  const code =
    result.reason === "offline" || result.reason === "busy" ? "DEVICE_UNAVAILABLE" : "PRINT_FAILED";
  return { ok: false, code, reason: `${printer}: ${result.reason} (${result.detail})` };
}

export class PrinterPool implements PrintService {
  private readonly printers = new Map<string, ManagedPrinter>();
  private nextJob = 0;
  /** The follow page's base URL, once its listener is up (controller/follow/). */
  private followUrl: string | undefined;

  constructor(
    private readonly config: OfficeConfig,
    private readonly clock: () => number,
  ) {}

  add(printer: ManagedPrinter): void {
    this.printers.set(printer.config.id, printer);
  }

  get(id: string): ManagedPrinter | undefined {
    return this.printers.get(id);
  }

  all(): ManagedPrinter[] {
    return [...this.printers.values()];
  }

  /** From now on each ticket's QR is <url>/t/<token>. */
  setFollowUrl(url: string): void {
    this.followUrl = url;
  }

  has(id: string): boolean {
    return this.printers.has(id);
  }

  /** Job ids are 4 digits for GS ( H; they only need to differ from the last few jobs. */
  private jobId(): string {
    this.nextJob = (this.nextJob + 1) % 10_000;
    return String(this.nextJob).padStart(4, "0");
  }

  async print(ticket: TicketView, printerId: string | undefined): Promise<PrintOutcome> {
    const id = printerId ?? this.config.desk.printer;
    // No printer named and none for the desk: the desk hands the number out by hand.
    if (id === undefined) return { ok: true, printer: null };
    const printer = this.printers.get(id);
    if (!printer) return { ok: false, code: "DEVICE_UNAVAILABLE", reason: `no printer ${id}` };
    let bytes: Uint8Array;
    try {
      bytes = encodeTicket(this.config, printer.profile, {
        ticket,
        now: this.clock(),
        followUrl: this.followUrl,
      });
    } catch (error) {
      return {
        ok: false,
        code: "PRINT_FAILED",
        reason: `${id}: the ticket could not be encoded: ${(error as Error).message}`,
      };
    }
    return outcomeOf(await printer.driver.print({ id: this.jobId(), bytes }), id);
  }

  /** A slip that is not a ticket (ticket-layout.ts encodeNotice) at printer `printerId`. */
  async printNotice(lines: readonly string[], printerId: string): Promise<PrintOutcome> {
    const printer = this.printers.get(printerId);
    if (!printer) return { ok: false, code: "DEVICE_UNAVAILABLE", reason: `no printer ${printerId}` };
    const bytes = encodeNotice(this.config, printer.profile, lines);
    return outcomeOf(await printer.driver.print({ id: this.jobId(), bytes }), printerId);
  }

  start(): void {
    for (const p of this.printers.values()) p.driver.start();
  }

  async stop(): Promise<void> {
    await Promise.all([...this.printers.values()].map((p) => p.driver.stop()));
  }
}

export function resolveProfile(config: PrinterConfig): PrinterProfile {
  return profileById(config.profile);
}
