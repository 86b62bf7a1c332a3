// What the queue needs from ticket printers: print one ticket and say whether it really came out.
// Printer drivers (device/) implement it; until an office configures printers, tickets issued at
// the desk are handed out by hand.
import type { TicketView } from "./queue/queue.js";

export type PrintOutcome =
  | { ok: true; printer: string | null }
  | { ok: false; code: "DEVICE_UNAVAILABLE" | "PRINT_FAILED"; reason: string };

export interface PrintService {
  /** Whether a printer of this id exists (it may still be in fault). */
  has(printer: string): boolean;
  /** Prints the ticket and resolves once the printer confirmed it, or with why not. Never rejects. */
  print(ticket: TicketView, printer: string | undefined): Promise<PrintOutcome>;
}

/**
 * An office without printers: a ticket issued with no printer named is handed out at the desk (the
 * number is said or written down), so it counts at once; naming a printer is an error.
 */
export const handOutWithoutPrinter: PrintService = {
  has: () => false,
  async print(_ticket, printer) {
    if (printer !== undefined)
      return { ok: false, code: "DEVICE_UNAVAILABLE", reason: `no printer ${printer}` };
    return { ok: true, printer: null };
  },
};
