// An ESC/POS ticket printer over any ByteTransport, supervised: open -> ask status -> poll ->
// (lost) -> backoff -> reopen, for ever until stop(). A print counts only once the printer
// answered the barrier sent after the ticket (process ID, else GS r 1). Nothing here throws to
// the caller: a dead printer shows as health "offline" and print() fails fast.

import { disableAsb, dleEot, enableAsb, type StatusRequestN } from "../../protocols/escpos/commands.js";
import type { PrinterProfile } from "../../protocols/escpos/profiles.js";
import { type EscPosReply, EscPosReplyParser } from "../../protocols/escpos/replies.js";
import { TransportSupervisor } from "../supervisor.js";
import type { ByteTransport } from "../transport.js";
import {
  type EscPosPrinterOptions,
  type EscPosPrinterSettings,
  type PrinterStats,
  withDefaults,
} from "./escpos-options.js";
import { fail, PrintBarrier } from "./print-barrier.js";
import { PrinterStatusTracker } from "./printer-status.js";
import type { PrinterStatusRecord, PrintJob, PrintResult, TicketPrinterDriver } from "./types.js";

export type { EscPosPrinterOptions, PrinterStats };

interface StatusWaiter {
  n: StatusRequestN;
  timer: unknown;
  settle(answered: boolean): void;
}

export class EscPosPrinter implements TicketPrinterDriver {
  readonly id: string;
  readonly #o: EscPosPrinterSettings;
  readonly #transport: ByteTransport;
  readonly #profile: PrinterProfile;
  readonly #status: PrinterStatusTracker;
  readonly #sup: TransportSupervisor;
  #parser: EscPosReplyParser;
  #garbageBefore = 0;
  #pollTimer: unknown = null;
  #polling = false;
  /** The session whose job bytes are being written, if any. */
  #writingJob: number | null = null;
  #waiter: StatusWaiter | null = null;
  #barrier: PrintBarrier | null = null;
  #noAnswerRun = 0;
  /**
   * GS r requests of failed jobs still to be answered: a printer at paper end runs GS r only once
   * paper is loaded. Their late replies must not confirm the next job, which has no id to tell.
   */
  #staleGsr = 0;
  /** Accepted jobs not finished yet: the one printing and those waiting. */
  #inFlight = 0;
  #jobs: Promise<unknown> = Promise.resolve();
  #stats = { jobsOk: 0, jobsFailed: 0, noAnswers: 0 };

  constructor(options: EscPosPrinterOptions) {
    this.id = options.id;
    this.#transport = options.transport;
    this.#profile = options.profile;
    this.#o = withDefaults(options);
    this.#status = new PrinterStatusTracker(options.id, options.health, this.#o.clock);
    this.#parser = new EscPosReplyParser({ asb: this.#profile.asb });
    this.#sup = new TransportSupervisor(this.#o, {
      connect: (session) => this.#sup.openTransport(session, this.#transport, () => this.#opened()),
      onConnectError: (error) => this.#sup.lose(`driver error: ${error.message}`, true),
      onLost: (reason, closeTransport) => {
        // The printer went away: transport closed under us, or it stopped answering.
        this.#endSession(reason);
        this.#status.linkDown(reason);
        if (closeTransport) this.#transport.close().catch(() => {});
      },
      onFailed: (reason) => this.#status.linkDown(reason),
    });
    this.#transport.onData((chunk) => this.#onData(chunk));
    this.#transport.onClose((error) => this.#sup.lose(error?.message ?? "connection lost"));
  }

  status(): PrinterStatusRecord {
    return this.#status.record();
  }

  stats(): PrinterStats {
    const { jobsOk, jobsFailed, noAnswers } = this.#stats;
    const garbage = this.#garbageBefore + this.#parser.garbage;
    return { garbage, jobsOk, jobsFailed, reconnects: this.#sup.reconnects, noAnswers };
  }

  start(): void {
    if (this.#sup.phase !== "stopped") return;
    this.#status.linkDown("connecting", false);
    this.#sup.start();
  }

  async stop(): Promise<void> {
    const was = this.#sup.stop();
    if (was === "stopped") return;
    this.#endSession("stopped");
    this.#status.linkDown("stopped", false); // a shutdown is not an outage: no alert
    if (was === "open" || was === "connecting") await this.#transport.close().catch(() => {});
  }

  print(job: PrintJob): Promise<PrintResult> {
    const refused = this.#refusal();
    if (refused) return Promise.resolve(this.#count(refused));
    // One job prints, up to maxWaiting wait behind it.
    if (this.#inFlight > this.#o.maxWaiting) {
      return Promise.resolve(this.#count(fail("busy", `${this.#inFlight - 1} tickets already waiting`)));
    }
    this.#inFlight++;
    const run = this.#jobs.then(async () => {
      const result = await this.#run(job).catch((error: Error) => fail("error", error.message));
      this.#inFlight--;
      return this.#count(result);
    });
    this.#jobs = run.catch(() => {});
    return run;
  }

  // --- supervision ---

  /** The transport is open: set the new session up. */
  async #opened(): Promise<void> {
    this.#garbageBefore += this.#parser.garbage;
    this.#parser = new EscPosReplyParser({ asb: this.#profile.asb });
    this.#noAnswerRun = 0;
    this.#staleGsr = 0;
    // Without ASB in the profile, switch it off: a previous session's ASB bytes would be misread.
    this.#transport.write(this.#profile.asb ? enableAsb() : disableAsb()).catch(() => {});
    this.#pollTimer = this.#o.timers.setInterval(() => void this.#poll(false), this.#o.statusPollMs);
    await this.#poll(true);
  }

  /** Ends the session's polling and waiting (the supervisor has moved the session id on). */
  #endSession(reason: string): void {
    this.#o.timers.clearInterval(this.#pollTimer);
    this.#pollTimer = null;
    this.#parser.cancelExpectations();
    const waiter = this.#waiter;
    this.#waiter = null;
    if (waiter) {
      this.#o.timers.clearTimeout(waiter.timer);
      waiter.settle(false);
    }
    this.#barrier?.fail("offline", `printer ${this.id} went away: ${reason}`);
  }

  // --- status ---

  /** One poll: DLE EOT 1 and 4, the offline cause (2) and error cause (3) when they matter. */
  async #poll(full: boolean): Promise<void> {
    // While a job's bytes are on the wire a query would queue behind them and look unanswered.
    if (this.#polling || this.#writingJob === this.#sup.session || this.#sup.phase !== "open") return;
    this.#polling = true;
    try {
      if (!(await this.#query(1))) return;
      if ((full || this.#status.flags.offline) && !(await this.#query(2))) return;
      if ((full || this.#status.state() === "error") && !(await this.#query(3))) return;
      await this.#query(4);
    } finally {
      this.#polling = false;
    }
  }

  #query(n: StatusRequestN): Promise<boolean> {
    if (this.#sup.phase !== "open") return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const timer = this.#o.timers.setTimeout(() => {
        if (this.#waiter?.timer !== timer) return;
        this.#waiter = null;
        resolve(false);
        this.#noAnswer();
      }, this.#o.answerTimeoutMs);
      this.#waiter = { n, timer, settle: resolve };
      this.#parser.expectStatus(n);
      this.#transport.write(dleEot(n)).catch(() => {}); // a failed write shows as no answer or onClose
    });
  }

  #noAnswer(): void {
    this.#stats.noAnswers++;
    this.#reexpect(); // the unanswered request would take the next reply
    if (++this.#noAnswerRun >= this.#o.maxNoAnswer) {
      this.#sup.lose(`no answer to ${this.#noAnswerRun} status queries`, true);
    } else {
      this.#status.noAnswer(true);
      // Asked again at once, not at the next poll: a silent printer is offline within one poll
      // interval plus maxNoAnswer answer timeouts (5 + 3 x 1.5 s), under the 10 s IT is promised.
      this.#o.timers.setTimeout(() => void this.#poll(false), 0);
    }
  }

  /** Tell the parser again what is really awaited, after forgetting an unanswered request. */
  #reexpect(): void {
    this.#parser.cancelExpectations();
    const pendingBarrier = this.#barrier?.kind === "gs_r" && !this.#barrier.settled ? 1 : 0;
    for (let i = 0; i < this.#staleGsr + pendingBarrier; i++) this.#parser.expectPaperSensor();
    if (this.#waiter) this.#parser.expectStatus(this.#waiter.n);
  }

  #onData(chunk: Uint8Array): void {
    if (this.#sup.phase !== "open") return;
    for (const reply of this.#parser.push(chunk)) this.#onReply(reply);
  }

  #onReply(reply: EscPosReply): void {
    this.#sup.resetBackoff(); // it answers
    this.#status.reply(reply);
    const waiter = this.#waiter;
    if (reply.type === "status" && waiter && waiter.n === reply.n) {
      this.#waiter = null;
      this.#o.timers.clearTimeout(waiter.timer);
      this.#noAnswerRun = 0;
      this.#status.noAnswer(false);
      waiter.settle(true);
    }
    if (reply.type === "paper_sensor" && this.#staleGsr > 0) {
      this.#staleGsr--; // an earlier job's late answer: in order, so it comes before ours
      return;
    }
    this.#barrier?.onReply(reply, this.#status.state(), this.#status.describe());
  }

  // --- printing ---

  #refusal(): PrintResult | null {
    if (this.#sup.phase === "stopped") return fail("offline", `printer ${this.id} is stopped`);
    const state = this.#status.state();
    if (state === "offline" || state === "paper_out" || state === "cover_open" || state === "error") {
      return fail(state, this.#status.describe());
    }
    return null;
  }

  async #run(job: PrintJob): Promise<PrintResult> {
    const refused = this.#refusal(); // the state may have changed while the job waited
    if (refused) return refused;
    const barrier = new PrintBarrier(job, {
      printerId: this.id,
      processId: this.#profile.processId,
      bytesPerSecond: this.#transport.bytesPerSecond,
      timeoutMs: this.#o.barrierTimeoutMs,
      timers: this.#o.timers,
    });
    this.#barrier = barrier;
    if (barrier.kind === "gs_r") this.#parser.expectPaperSensor();
    const session = this.#sup.session;
    this.#writingJob = session;
    this.#transport
      .write(barrier.bytes)
      .catch((error: Error) => barrier.fail("offline", `printer ${this.id}: ${error.message}`))
      .finally(() => {
        if (this.#writingJob === session) this.#writingJob = null;
      });
    const outcome = await barrier.result;
    if (this.#barrier === barrier) this.#barrier = null;
    if (!outcome.ok && barrier.kind === "gs_r" && !barrier.answered && this.#sup.isCurrent(session)) {
      // A printer back online answers old requests before this one's timeout: if it did not,
      // they were lost (e.g. a power cycle on a serial line), and only this job's is pending.
      if (outcome.reason === "timeout" && this.#staleGsr > 0) this.#staleGsr = 0;
      this.#staleGsr++;
      this.#reexpect();
    }
    if (!outcome.ok && outcome.reason === "timeout") void this.#poll(false); // why: paper, cover, gone
    return outcome;
  }

  #count(result: PrintResult): PrintResult {
    if (result.ok) this.#stats.jobsOk++;
    else this.#stats.jobsFailed++;
    return result;
  }
}
