// One frame at a time on a board bus: write it, and when the addressed board answers, wait for
// its reply (or the timeout). Counts frames, replies, timeouts and the parser's garbage.

import type { BoardCodec, BoardReply, BoardReplyParser } from "../../protocols/boards/types.js";
import type { Timers } from "../timers.js";
import type { ByteTransport } from "../transport.js";
import type { Outcome } from "./board-jobs.js";

interface ReplyWait {
  address: number;
  timer: unknown;
  settle(outcome: Outcome): void;
}

export interface FrameLinkOptions {
  transport: ByteTransport;
  codec: BoardCodec;
  baudRate: number;
  timers: Timers;
  replyTimeoutMs: number;
  /** A write failed: the bus is gone (the owner closes and reopens it). */
  onWriteError(reason: string): void;
  /** A board answered (any board: the bus works). */
  onReply(): void;
  /**
   * The RS-485 adapter has no automatic direction control and hears its own transmission: each
   * frame written comes back first, byte for byte, and is dropped before the replies are parsed
   * (else every echo counts as line garbage, and a protocol whose reply repeats the request, as
   * Modbus "write single register" does, would take the echo for the reply).
   */
  localEcho?: boolean;
}

export class FrameLink {
  #wait: ReplyWait | null = null;
  #parser: BoardReplyParser;
  #garbageBefore = 0;
  #counts = { frames: 0, replies: 0, timeouts: 0, echoed: 0 };
  /** The frame written last, while its echo is still coming back (localEcho). */
  #echo: { bytes: Uint8Array; at: number } | null = null;
  /** Off while the transport is closed: bytes then belong to no session. */
  listening = false;

  constructor(private readonly o: FrameLinkOptions) {
    this.#parser = o.codec.newReplyParser();
  }

  stats(): { frames: number; replies: number; timeouts: number; echoed: number; garbage: number } {
    return { ...this.#counts, garbage: this.#garbageBefore + this.#parser.garbage };
  }

  async send(address: number, frame: Uint8Array): Promise<Outcome> {
    let wait: ReplyWait | null = null;
    let answer: Promise<Outcome> | null = null;
    if (this.o.codec.expectsReply(address)) {
      this.#newParser(); // bytes of an earlier, late reply must not mix with this one's
      answer = new Promise<Outcome>((resolve) => {
        wait = { address, timer: null, settle: resolve };
      });
      this.#wait = wait;
    }
    if (this.o.localEcho) this.#echo = { bytes: frame, at: 0 };
    try {
      await this.o.transport.write(frame);
    } catch (error) {
      const reason = `write failed: ${(error as Error).message}`;
      this.abort(reason);
      this.o.onWriteError(reason);
      return { kind: "lost", detail: reason };
    }
    this.#counts.frames++;
    if (!answer) {
      await sleep(this.o.timers, this.#wireMs(frame.length));
      return { kind: "ok" };
    }
    // The reply timeout runs from the end of the write: a long frame at 9600 baud takes a while.
    const w = wait as ReplyWait | null;
    if (w && this.#wait === w) {
      w.timer = this.o.timers.setTimeout(() => this.#timeout(w), this.o.replyTimeoutMs);
    }
    return answer;
  }

  /** The session ended: whoever waits for a reply gets `lost`. */
  abort(reason: string): void {
    const wait = this.#wait;
    this.#wait = null;
    if (!wait) return;
    this.o.timers.clearTimeout(wait.timer);
    wait.settle({ kind: "lost", detail: reason });
  }

  onData(chunk: Uint8Array): void {
    if (!this.listening) return;
    const rest = this.#dropEcho(chunk);
    if (rest.length > 0) this.#take(this.#parser.push(rest));
  }

  /** The part of `chunk` after our own frame's echo; the echo may come in pieces. */
  #dropEcho(chunk: Uint8Array): Uint8Array {
    const echo = this.#echo;
    if (!echo) return chunk;
    let i = 0;
    while (i < chunk.length && echo.at < echo.bytes.length && chunk[i] === echo.bytes[echo.at]) {
      i++;
      echo.at++;
    }
    if (echo.at === echo.bytes.length) {
      this.#echo = null;
      this.#counts.echoed++;
    } else if (i < chunk.length) {
      // Not our frame coming back (an adapter that does not echo after all): this chunk is parsed
      // whole (what an earlier chunk matched is gone; the reply parser resynchronises).
      this.#echo = null;
      return chunk;
    }
    return chunk.subarray(i);
  }

  #take(replies: BoardReply[]): void {
    for (const reply of replies) {
      const w = this.#wait;
      if (!w || reply.address !== w.address) continue; // a late reply to an earlier frame
      this.#wait = null;
      this.o.timers.clearTimeout(w.timer);
      this.#counts.replies++;
      this.o.onReply();
      w.settle(reply.type === "exception" ? { kind: "exception", code: reply.code } : { kind: "ok" });
    }
  }

  #timeout(w: ReplyWait): void {
    if (this.#wait !== w) return;
    // The line went quiet: a tail the parser held back is decided now (a reply, or garbage).
    this.#take(this.#parser.flush?.() ?? []);
    if (this.#wait !== w) return;
    this.#wait = null;
    this.#counts.timeouts++;
    // The parser is new per request: any garbage it holds came instead of this reply.
    w.settle({ kind: "miss", detail: this.#parser.garbage > 0 ? "garbage instead of a reply" : "no reply" });
  }

  /**
   * A transport that does not drain (TCP to a serial server) returns before the bytes are on the
   * wire; waiting their wire time (10 bits a character) keeps the inter-frame gap real there.
   */
  #wireMs(bytes: number): number {
    return this.o.transport.bytesPerSecond ? 0 : (bytes * 10 * 1000) / this.o.baudRate;
  }

  #newParser(): void {
    this.#garbageBefore += this.#parser.garbage;
    this.#parser = this.o.codec.newReplyParser();
  }
}

export function sleep(timers: Timers, ms: number): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => timers.setTimeout(resolve, ms));
}
