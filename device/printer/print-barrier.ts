// One print job and the barrier after it: the ticket counts only once the printer answers a request
// it handles after everything before it has printed (process ID, else GS r 1).

import { paperSensorStatus, processIdRequest } from "../../protocols/escpos/commands.js";
import type { EscPosReply } from "../../protocols/escpos/replies.js";
import type { Timers } from "../timers.js";
import type { PrinterState, PrintFailure, PrintJob, PrintResult } from "./types.js";

export interface BarrierOptions {
  printerId: string;
  /** The profile has GS ( H process ID; otherwise GS r 1 is the barrier. */
  processId: boolean;
  /** Bytes a second the transport can carry; adds the job's wire time to the deadline. */
  bytesPerSecond: number | undefined;
  timeoutMs: number;
  timers: Timers;
}

export class PrintBarrier {
  readonly kind: "process_id" | "gs_r";
  /** The job followed by the barrier request, to be written in one go. */
  readonly bytes: Uint8Array;
  readonly limitMs: number;
  readonly result: Promise<PrintResult>;
  #settled = false;
  /** The printer answered the barrier request (its reply will not come late). */
  answered = false;
  #resolve: (result: PrintResult) => void = () => {};
  readonly #timer: unknown;

  constructor(
    readonly job: PrintJob,
    private readonly options: BarrierOptions,
  ) {
    this.kind = options.processId ? "process_id" : "gs_r";
    const request = options.processId ? processIdRequest(job.id) : paperSensorStatus(); // throws on a bad id
    this.bytes = new Uint8Array(job.bytes.length + request.length);
    this.bytes.set(job.bytes);
    this.bytes.set(request, job.bytes.length);
    const wireMs = options.bytesPerSecond
      ? Math.ceil((this.bytes.length * 1000) / options.bytesPerSecond)
      : 0;
    this.limitMs = options.timeoutMs + wireMs;
    this.result = new Promise<PrintResult>((resolve) => {
      this.#resolve = resolve;
    });
    this.#timer = options.timers.setTimeout(
      () =>
        this.fail("timeout", `no confirmation from printer ${options.printerId} within ${this.limitMs} ms`),
      this.limitMs,
    );
  }

  get settled(): boolean {
    return this.#settled;
  }

  settle(result: PrintResult): void {
    if (this.#settled) return;
    this.#settled = true;
    this.options.timers.clearTimeout(this.#timer);
    this.#resolve(result);
  }

  fail(reason: PrintFailure, detail: string): void {
    this.settle(fail(reason, detail));
  }

  /** A reply from the printer, with the state it leaves the printer in. */
  onReply(reply: EscPosReply, state: PrinterState, why: string): void {
    if (reply.type === "process_id") {
      // Another id is a late answer for an earlier, already failed job.
      if (this.kind === "process_id" && reply.id === this.job.id) {
        this.answered = true;
        this.settle({ ok: true, confirmedBy: "process_id" });
      }
    } else if (reply.type === "paper_sensor" && this.kind === "gs_r") {
      this.answered = true;
      if (reply.flags.paperOut) this.fail("paper_out", `printer ${this.options.printerId} reports paper out`);
      else this.settle({ ok: true, confirmedBy: "gs_r" });
    } else if (state === "paper_out" || state === "cover_open") {
      // ASB or a poll says the printer stopped: the barrier would not come until someone acts.
      this.fail(state, why);
    }
  }
}

export function fail(reason: PrintFailure, detail: string): PrintResult {
  return { ok: false, reason, detail };
}
