// LED number boards sharing one bus (RS-485 Modbus modules, Alpha signs) over any ByteTransport,
// supervised like the printer: open -> serve the frame queue -> (lost) -> backoff -> reopen, for
// ever until stop(). One queue for the whole bus: frames never overlap, the codec's gap separates
// them, and a board that answers is awaited before the next frame. A dead board costs the bus a
// few reply timeouts, then only a probe now and then: the other boards keep showing.

import type { BoardCodec, ShowOptions } from "../../protocols/boards/types.js";
import { nullHealthSink } from "../health.js";
import { TransportSupervisor } from "../supervisor.js";
import type { ByteTransport } from "../transport.js";
import { startBlink, stopBlink } from "./board-blink.js";
import {
  type BoardBusOptions,
  type BoardBusSettings,
  type BoardBusStats,
  withDefaults,
} from "./board-bus-options.js";
import { BoardHealth, BusHealth } from "./board-health.js";
import { type BoardSlot, type Job, JobQueue, type Outcome, type ShowResult, settle } from "./board-jobs.js";
import { FrameLink, sleep } from "./frame-link.js";
import type { BoardBusDriver } from "./types.js";

export type { BoardBusOptions, BoardBusStats, ShowResult };

export class BoardBus implements BoardBusDriver {
  readonly id: string;
  readonly #o: BoardBusSettings;
  readonly #transport: ByteTransport;
  readonly #codec: BoardCodec;
  readonly #baudRate: number;
  readonly #boards = new Map<string, BoardSlot>();
  readonly #bus: BusHealth;
  readonly #sup: TransportSupervisor;
  readonly #queue = new JobQueue(() => void this.#pump());
  #pumping = false;
  readonly #link: FrameLink;
  #probeTimer: unknown = null;

  constructor(options: BoardBusOptions) {
    this.id = options.id;
    this.#o = withDefaults(options);
    this.#transport = options.transport;
    this.#codec = options.codec;
    this.#baudRate = options.baudRate;
    const sinks = options.boards.map(({ id }) => options.health(id));
    options.boards.forEach(({ id, address }, i) => {
      const health = new BoardHealth(
        id,
        address,
        sinks[i] ?? nullHealthSink,
        this.#o.clock,
        this.#o.maxMisses,
      );
      this.#boards.set(id, { health, want: null, gen: 0, queued: null, blinkTimer: null });
    });
    const busSink = options.busHealth ?? sinks[0] ?? nullHealthSink;
    this.#bus = new BusHealth(this.id, busSink, !!options.busHealth);
    this.#sup = new TransportSupervisor(this.#o, {
      connect: (session) => this.#sup.openTransport(session, this.#transport, () => this.#opened()),
      onConnectError: (error) => this.#sup.lose(`driver error: ${error.message}`, true),
      onLost: (reason, closeTransport) => {
        // The transport went away under us, or a write failed.
        this.#endSession(reason);
        this.#linkDown(reason);
        if (closeTransport) this.#transport.close().catch(() => {});
      },
      onFailed: (reason) => this.#linkDown(reason),
    });
    this.#link = new FrameLink({
      transport: this.#transport,
      codec: this.#codec,
      baudRate: this.#baudRate,
      timers: this.#o.timers,
      replyTimeoutMs: this.#o.replyTimeoutMs,
      onWriteError: (reason) => this.#sup.lose(reason, true),
      onReply: () => this.#sup.resetBackoff(), // it answers
      localEcho: this.#o.localEcho,
    });
    this.#transport.onData((chunk) => this.#link.onData(chunk));
    this.#transport.onClose((error) => this.#sup.lose(error?.message ?? "connection lost"));
  }

  stats(): BoardBusStats {
    return { ...this.#link.stats(), reconnects: this.#sup.reconnects };
  }

  start(): void {
    this.#sup.start();
  }

  async stop(): Promise<void> {
    const was = this.#sup.stop();
    if (was === "stopped") return;
    this.#endSession(`bus ${this.id} stopped`);
    if (was === "open" || was === "connecting") await this.#transport.close().catch(() => {});
  }

  show(boardId: string, text: string, options: ShowOptions = {}): Promise<ShowResult> {
    const board = this.#boards.get(boardId);
    if (!board) return Promise.resolve({ ok: false, detail: `no board ${boardId} on bus ${this.id}` });
    const blink = options.blink === true;
    // Remembered even when it cannot be sent now: it is sent once the board or the bus is back.
    board.want = { text, blink };
    board.gen++;
    stopBlink(board, this.#o.timers); // a newer show cancels a running blink
    const refused = this.#refusal(board);
    if (refused) return Promise.resolve({ ok: false, detail: refused });
    return new Promise((resolve) =>
      this.#queue.add(board, "show", text, blink, { resolve, superseded: false }),
    );
  }

  // --- supervision ---

  /** The transport is open: set the new session up. */
  #opened(): void {
    this.#link.listening = true;
    this.#bus.up();
    const answers = this.#boardsAnswer();
    if (!answers) this.#sup.resetBackoff(); // nothing will ever answer: an open bus is all we learn
    for (const board of this.#boards.values()) {
      board.health.busDown = false;
      // Boards that answer report once they do; write-only ones are as good as the link.
      if (!this.#codec.expectsReply(board.health.address)) board.health.publish();
      if (board.health.offline) this.#queue.add(board, "probe");
      else this.#resend(board); // the boards may have lost power with the bus: show the last call again
    }
    if (answers) {
      this.#probeTimer = this.#o.timers.setInterval(() => this.#probeDue(), this.#o.probeIntervalMs);
    }
  }

  #linkDown(reason: string): void {
    this.#bus.down(reason);
    for (const board of this.#boards.values()) {
      board.health.busDown = true;
      board.health.publish({ reason });
    }
  }

  /** Ends the session's probing and frames (the supervisor has moved the session id on). */
  #endSession(reason: string): void {
    this.#o.timers.clearInterval(this.#probeTimer);
    this.#probeTimer = null;
    this.#link.listening = false;
    this.#link.abort(reason);
    this.#queue.clear({ ok: false, detail: reason });
    for (const board of this.#boards.values()) stopBlink(board, this.#o.timers);
  }

  #refusal(board: BoardSlot): string | null {
    if (this.#sup.phase === "stopped") return `bus ${this.id} is stopped`;
    if (this.#sup.phase !== "open") return `bus ${this.id} is unreachable`;
    const { id, address } = board.health;
    if (board.health.offline)
      return `board ${id} (address ${address}) does not answer; shown when it is back`;
    return null;
  }

  #boardsAnswer(): boolean {
    return [...this.#boards.values()].some((b) => this.#codec.expectsReply(b.health.address));
  }

  // --- the frame queue ---

  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (this.#sup.phase === "open") {
        const job = this.#queue.next();
        if (!job) break;
        await this.#run(job).catch((error: Error) =>
          settle(job, { ok: false, detail: `driver error: ${error.message}` }),
        );
        await sleep(this.#o.timers, this.#codec.interFrameGapMs(this.#baudRate));
      }
    } finally {
      this.#pumping = false;
    }
  }

  async #run(job: Job): Promise<void> {
    const { board } = job;
    const { address } = board.health;
    const frames =
      job.kind === "probe"
        ? this.#probeFrames(board)
        : this.#codec.encodeShow(address, job.text, { blink: job.blink && this.#o.nativeBlink });
    const session = this.#sup.session;
    let outcome: Outcome = { kind: "ok" };
    for (const [i, frame] of frames.entries()) {
      if (i > 0) await sleep(this.#o.timers, this.#codec.interFrameGapMs(this.#baudRate));
      outcome = this.#sup.isCurrent(session)
        ? await this.#link.send(address, frame)
        : { kind: "lost", detail: "bus lost" };
      if (outcome.kind !== "ok") break;
    }
    const expects = this.#codec.expectsReply(address);
    if (outcome.kind === "lost") return settle(job, { ok: false, detail: outcome.detail });
    if (outcome.kind === "miss") return this.#missed(job, outcome.detail);
    if (expects && board.health.answered()) this.#resend(board); // back: show what it missed
    if (outcome.kind === "exception") {
      return settle(job, {
        ok: false,
        detail: `board ${board.health.id} refused the frame (code ${outcome.code})`,
      });
    }
    settle(job, { ok: true });
    if (job.kind === "show" && job.blink && job.gen === board.gen)
      startBlink(board, this.#o, this.#codec.width, (text) => {
        if (this.#sup.phase === "open" && !board.health.offline) this.#queue.add(board, "show", text);
        else stopBlink(board, this.#o.timers);
      });
  }

  #missed(job: Job, detail: string): void {
    const { board } = job;
    if (board.health.missed(detail)) {
      const why = `board ${board.health.id} (address ${board.health.address}) does not answer`;
      settle(job, { ok: false, detail: why });
      this.#queue.drop(board, { ok: false, detail: why });
      stopBlink(board, this.#o.timers);
      return;
    }
    // A probe is asked again at once too, so a board dead on an idle bus is offline within one
    // probe interval plus maxMisses reply timeouts, not three intervals.
    this.#queue.retry(job);
  }

  #probeFrames(board: BoardSlot): Uint8Array[] {
    const { address } = board.health;
    const probe = this.#codec.encodeProbe(address);
    return probe ? [probe] : this.#codec.encodeShow(address, board.want?.text ?? "", {});
  }

  /** Offline boards, and answering boards idle a whole interval, are asked whether they are there. */
  #probeDue(): void {
    const now = this.#o.clock();
    for (const board of this.#boards.values()) {
      const { address, offline, lastSeen } = board.health;
      if (!this.#codec.expectsReply(address)) continue;
      // Half an interval: a board heard at the last tick is due at this one, whatever the timer's
      // drift against its answer's time (with the whole interval it was every other tick).
      if (offline || lastSeen === null || now - lastSeen >= this.#o.probeIntervalMs / 2)
        this.#queue.add(board, "probe");
    }
  }

  /** The last text again, steady: after a reconnect or a board's return the call is no longer new. */
  #resend(board: BoardSlot): void {
    if (board.want) this.#queue.add(board, "show", board.want.text);
    else if (this.#codec.expectsReply(board.health.address)) this.#queue.add(board, "probe");
  }
}
