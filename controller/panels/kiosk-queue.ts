// Presses waiting for their kiosk printer: first in, first out, one printing at a time per printer.
// A press takes its number only when its turn comes (reserve -> print -> confirm or void), so a
// press that waited while the printer failed or the service closed takes no number at all.
import type { PressOutcome } from "./press-rules.js";

export interface KioskJob {
  panel: string;
  button: string;
  service: string;
  printer: string;
  /** When the press was accepted. */
  at: number;
}

export interface KioskJobResult {
  outcome: Extract<PressOutcome, "issued" | "print_failed" | "closed" | "printer_unavailable">;
  /** The printed number (issued) or the voided one (print_failed after a reservation). */
  ticket?: string;
  reason?: string;
}

export class KioskPrintQueues {
  private readonly waiting = new Map<string, KioskJob[]>();
  private readonly printing = new Map<string, Promise<void>>();
  private stopped = false;

  constructor(
    private readonly run: (job: KioskJob) => Promise<KioskJobResult>,
    private readonly done: (job: KioskJob, result: KioskJobResult) => void,
  ) {}

  /** Presses printing or waiting at this printer. */
  pending(printer: string): number {
    return (this.printing.has(printer) ? 1 : 0) + (this.waiting.get(printer)?.length ?? 0);
  }

  /** Queues an admitted press; an idle printer starts on it in this same turn. */
  push(job: KioskJob): void {
    if (this.stopped) {
      this.done(job, { outcome: "printer_unavailable", reason: "the controller is stopping" });
      return;
    }
    let list = this.waiting.get(job.printer);
    if (!list) {
      list = [];
      this.waiting.set(job.printer, list);
    }
    list.push(job);
    if (!this.printing.has(job.printer)) this.next(job.printer);
  }

  /** Ends waiting presses (nothing taken, nothing printed) and waits for the ones printing. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const list of this.waiting.values())
      for (const job of list.splice(0))
        this.done(job, { outcome: "printer_unavailable", reason: "the controller stopped before its turn" });
    await Promise.all([...this.printing.values()]);
  }

  /** Resolves once nothing is printing or waiting. */
  async idle(): Promise<void> {
    while (this.printing.size > 0) await Promise.all([...this.printing.values()]);
  }

  private next(printer: string): void {
    const job = this.waiting.get(printer)?.shift();
    if (!job) {
      this.printing.delete(printer);
      return;
    }
    const turn = this.run(job)
      .catch((error: Error) => ({ outcome: "print_failed" as const, reason: error.message }))
      .then((result) => {
        try {
          this.done(job, result);
        } finally {
          this.next(printer);
        }
      });
    this.printing.set(printer, turn);
  }
}
