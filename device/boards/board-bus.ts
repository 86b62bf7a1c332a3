// LED number boards sharing one bus (RS-485 Modbus modules, Alpha signs) over any ByteTransport,
// supervised like the printer: open -> serve the frame queue -> (lost) -> backoff -> reopen, for
// ever until stop(). One queue for the whole bus: frames never overlap, the codec's gap separates
// them, and a board that answers is awaited before the next frame. A dead board costs the bus a
// few reply timeouts, then only a probe now and then: the other boards keep showing.

import type { BoardCodec, ShowOptions } from "../../protocols/boards/types.js";
import { backoffDelay, nullHealthSink } from "../health.js";
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
  #phase: "stopped" | "connecting" | "open" | "backoff" = "stopped";
  /** Bumped on every (re)open and loss, so late continuations of an old session do nothing. */
  #session = 0;
  #attempt = 0;
  readonly #queue = new JobQueue(() => void this.#pump());
  #pumping = false;
  readonly #link: FrameLink;
  #probeTimer: unknown = null;
  #reopenTimer: unknown = null;
  #reconnects = 0;

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
    this.#link = new FrameLink({
      transport: this.#transport,
      codec: this.#codec,
      baudRate: this.#baudRate,
      timers: this.#o.timers,
      replyTimeoutMs: this.#o.replyTimeoutMs,
      onWriteError: (reason) => this.#lose(reason, true),
      onReply: () => {
        this.#attempt = 0; // it answers: the next loss starts the backoff from the bottom again
      },
    });
    this.#transport.onData((chunk) => this.#link.onData(chunk));
    this.#transport.onClose((error) => this.#lose(error?.message ?? "connection lost", false));
  }

  stats(): BoardBusStats {
    return { ...this.#link.stats(), reconnects: this.#reconnects };
  }

  start(): void {
    if (this.#phase !== "stopped") return;
    this.#reconnect();
  }

  async stop(): Promise<void> {
    if (this.#phase === "stopped") return;
    const wasOpen = this.#phase === "open" || this.#phase === "connecting";
    this.#phase = "stopped";
    this.#endSession(`bus ${this.id} stopped`);
    this.#o.timers.clearTimeout(this.#reopenTimer);
    if (wasOpen) await this.#transport.close().catch(() => {});
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

  async #connect(): Promise<void> {
    const session = ++this.#session;
    this.#phase = "connecting";
    try {
      await this.#transport.open();
    } catch (error) {
      if (session !== this.#session) return;
      this.#linkDown((error as Error).message);
      this.#scheduleReopen();
      return;
    }
    if (session !== this.#session) {
      await this.#transport.close().catch(() => {}); // stopped while opening
      return;
    }
    this.#phase = "open";
    this.#link.listening = true;
    this.#bus.up();
    const answers = this.#boardsAnswer();
    if (!answers) this.#attempt = 0; // nothing will ever answer: an open bus is all we learn
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

  #scheduleReopen(): void {
    if (this.#phase === "stopped") return;
    this.#phase = "backoff";
    const { random, backoffInitialMs, backoffMaxMs } = this.#o;
    const delay = backoffDelay(this.#attempt++, random, backoffInitialMs, backoffMaxMs);
    this.#reopenTimer = this.#o.timers.setTimeout(() => {
      this.#reconnects++;
      this.#reconnect();
    }, delay);
  }

  #reconnect(): void {
    // Nothing is expected to throw here; if something does, treat it as a loss, never crash.
    this.#connect().catch((error: Error) => this.#lose(`driver error: ${error.message}`, true));
  }

  /** The transport went away under us, or a write failed. */
  #lose(reason: string, closeTransport: boolean): void {
    if (this.#phase !== "open") return;
    this.#endSession(reason);
    this.#linkDown(reason);
    if (closeTransport) this.#transport.close().catch(() => {});
    this.#scheduleReopen();
  }

  #linkDown(reason: string): void {
    this.#bus.down(reason);
    for (const board of this.#boards.values()) {
      board.health.busDown = true;
      board.health.publish({ reason });
    }
  }

  #endSession(reason: string): void {
    this.#session++;
    this.#o.timers.clearInterval(this.#probeTimer);
    this.#probeTimer = null;
    this.#link.listening = false;
    this.#link.abort(reason);
    this.#queue.clear({ ok: false, detail: reason });
    for (const board of this.#boards.values()) stopBlink(board, this.#o.timers);
  }

  #refusal(board: BoardSlot): string | null {
    if (this.#phase === "stopped") return `bus ${this.id} is stopped`;
    if (this.#phase !== "open") return `bus ${this.id} is unreachable`;
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
      while (this.#phase === "open") {
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
    const session = this.#session;
    let outcome: Outcome = { kind: "ok" };
    for (const [i, frame] of frames.entries()) {
      if (i > 0) await sleep(this.#o.timers, this.#codec.interFrameGapMs(this.#baudRate));
      outcome =
        session === this.#session
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
        if (this.#phase === "open" && !board.health.offline) this.#queue.add(board, "show", text);
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
    if (job.kind === "show") this.#queue.retry(job);
    else settle(job, { ok: false, detail }); // a probe: the next probe asks again
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
      if (offline || lastSeen === null || now - lastSeen >= this.#o.probeIntervalMs)
        this.#queue.add(board, "probe");
    }
  }

  /** The last text again, steady: after a reconnect or a board's return the call is no longer new. */
  #resend(board: BoardSlot): void {
    if (board.want) this.#queue.add(board, "show", board.want.text);
    else if (this.#codec.expectsReply(board.health.address)) this.#queue.add(board, "probe");
  }
}
