// What the queue needs from ticket printers: print one ticket and say whether it really came out.
// PrinterPool (printer-pool.ts) implements it over the drivers in device/.
import type { TicketView } from "../queue/core/queue.js";

export type PrintOutcome =
  | { ok: true; printer: string | null }
  | { ok: false; code: "DEVICE_UNAVAILABLE" | "PRINT_FAILED"; reason: string };

export interface PrintService {
  /** Whether a printer of this id exists (it may still be in fault). */
  has(printer: string): boolean;
  /** Prints the ticket and resolves once the printer confirmed it, or with why not. Never rejects. */
  print(ticket: TicketView, printer: string | undefined): Promise<PrintOutcome>;
}
