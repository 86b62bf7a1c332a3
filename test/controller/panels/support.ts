// Stand-ins for the panel service tests: a panel driver the test presses, timers on a clock the
// test moves, and a printer that prints when the test says so.

import type { PrintOutcome, PrintService } from "../../../controller/printing/print-service.js";
import type { TicketView } from "../../../controller/queue/core/queue.js";
import type { ButtonEdge, ButtonLedState, ButtonPanelDriver } from "../../../device/panels/types.js";
import type { Timers } from "../../../device/timers.js";

export class FakePanelDriver implements ButtonPanelDriver {
  readonly leds = new Map<string, ButtonLedState>();
  connected = true;
  started = false;
  private readonly handlers = new Set<(edge: ButtonEdge) => void>();

  constructor(readonly id: string) {}

  start(): void {
    this.started = true;
  }

  async stop(): Promise<void> {
    this.started = false;
  }

  onEdge(handler: (edge: ButtonEdge) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  setLed(button: string, state: ButtonLedState): void {
    this.leds.set(button, state);
  }

  edge(button: string, down: boolean, at: number): void {
    for (const handler of this.handlers) handler({ button, down, at });
  }
}

/** A clock and timers that move only when the test advances them. */
export class ManualTime implements Timers {
  now: number;
  private tasks: Array<{ id: number; at: number; fn: () => void }> = [];
  private nextId = 1;

  constructor(start: number) {
    this.now = start;
  }

  readonly clock = () => this.now;

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.tasks.push({ id, at: this.now + ms, fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.tasks = this.tasks.filter((t) => t.id !== handle);
  }

  setInterval(): unknown {
    throw new Error("not used");
  }

  clearInterval(): void {}

  /** Moves the clock to `to`, running due timers in time order. */
  advanceTo(to: number): void {
    for (;;) {
      const due = this.tasks.filter((t) => t.at <= to).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.tasks = this.tasks.filter((t) => t !== due);
      this.now = Math.max(this.now, due.at);
      due.fn();
    }
    this.now = to;
  }

  advance(ms: number): void {
    this.advanceTo(this.now + ms);
  }
}

/** A printer whose prints wait until the test finishes them (or print at once when `auto`). */
export class FakePrinting implements PrintService {
  readonly printed: string[] = [];
  readonly started: string[] = [];
  auto = false;
  private readonly waiting: Array<{ ticket: TicketView; resolve: (o: PrintOutcome) => void }> = [];

  has(printer: string): boolean {
    return printer === "kiosk-1";
  }

  print(ticket: TicketView, printer: string | undefined): Promise<PrintOutcome> {
    this.started.push(ticket.number);
    if (this.auto) {
      this.printed.push(ticket.number);
      return Promise.resolve({ ok: true, printer: printer ?? null });
    }
    return new Promise((resolve) => this.waiting.push({ ticket, resolve }));
  }

  get inFlight(): number {
    return this.waiting.length;
  }

  /** The oldest print comes out (or fails). */
  finish(ok = true): void {
    const job = this.waiting.shift();
    if (!job) throw new Error("nothing is printing");
    if (ok) this.printed.push(job.ticket.number);
    job.resolve(
      ok
        ? { ok: true, printer: "kiosk-1" }
        : { ok: false, code: "PRINT_FAILED", reason: "kiosk-1: paper_out" },
    );
  }
}

/** Lets pending promise callbacks (the queue's print path) run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}
