// Streaming parser of what an ESC/POS printer sends back. Replies carry no framing, so a byte is
// recognised by its fixed bits and by what the host asked for. The printer may also send bytes
// nobody asked for (DLE EOT triggered by 10 04 n inside image data, line noise, a previous
// session's replies): those are skipped and counted, never fatal.
//
// Ambiguities, and how they are resolved:
// - Every decision at a position depends only on the bytes from there on and on the pending
//   expectations; when it needs bytes not yet received, the tail is kept for the next push.
//   So however the stream is split into chunks, the replies are the same.
// - DLE EOT 1..4 are answered at once, in request order among themselves, but before or after
//   GS r / process ID replies, which wait for printing. So the two kinds have separate queues:
//   a real-time status byte (bit1, bit4 set; bit0, bit7 clear) goes to the oldest pending
//   DLE EOT 1..4, a byte with bits 4 and 7 clear to the oldest pending GS r 1. The formats are
//   disjoint (bit4), so the order between the two queues never matters.
// - A printer that does not know DLE EOT 20 never answers it: a pending 20 does not block the
//   one-byte statuses behind it. `10 0F` + 4 bytes is a presenter reply only while a 20 is
//   pending (then it wins over an ASB starting with 10); it goes to the oldest pending 20.
// - An unanswered request would otherwise take the next request's reply: after a reply timeout
//   the caller should `cancelExpectations()`; a late reply then counts as garbage.
// - `37 22 d1..d4 00` is recognised without an expectation: 0x37 is neither a status byte nor
//   a GS r reply, and the fixed bytes make a false match in noise unlikely.
// - With `asb: true`, an ASB header followed by three bytes with bits 4 and 7 clear is an ASB
//   message, even if one of those bytes was a GS r reply after a stray header byte (rare; the
//   alternative would misread every real ASB). Without it, ASB headers are garbage and the
//   following bytes may be misread as GS r replies: send `disableAsb()` when opening.
// - A stray header or 0x37 at the end of the stream holds back what follows it until the next
//   push decides; `flush()` decides now, treating the unfinished start as garbage.

import type { StatusRequestN } from "./commands.js";
import {
  type AsbFlags,
  asbStatusFlags,
  type DleEotFlagsMap,
  type DleEotN,
  decodeAsb,
  decodeDleEot,
  decodePaperSensorStatus,
  decodePresenterStatus,
  dleEotStatusFlags,
  isAsbHeader,
  isRealtimeStatusByte,
  type PaperSensorFlags,
  type PresenterFlags,
  presenterStatusFlags,
  type StatusFlags,
} from "./status.js";

export type StatusReply = {
  [N in DleEotN]: { type: "status"; n: N; byte: number; flags: DleEotFlagsMap[N] };
}[DleEotN];
export interface AsbReply {
  type: "asb";
  bytes: number[];
  flags: AsbFlags;
}
export interface ProcessIdReply {
  type: "process_id";
  id: string;
}
export interface PaperSensorReply {
  type: "paper_sensor";
  byte: number;
  flags: PaperSensorFlags;
}
export interface PresenterReply {
  type: "presenter";
  bytes: number[];
  flags: PresenterFlags;
}
export type EscPosReply = StatusReply | AsbReply | ProcessIdReply | PaperSensorReply | PresenterReply;

export interface EscPosReplyParserOptions {
  /** Recognise Automatic Status Back messages (enable when `enableAsb()` was sent). */
  asb?: boolean;
}

/** What one reply says about the printer; merge a poll's replies with `mergeFlags`. */
export function statusFlagsOf(reply: EscPosReply): StatusFlags {
  switch (reply.type) {
    case "status":
      return dleEotStatusFlags(reply.n, reply.flags);
    case "asb":
      return asbStatusFlags(reply.flags);
    case "paper_sensor":
      return { ...reply.flags };
    case "presenter":
      return presenterStatusFlags(reply.flags);
    case "process_id":
      return {};
  }
}

type Step = { reply: EscPosReply; length: number } | "skip" | "wait";

const PROCESS_ID_LENGTH = 7;
const PRESENTER_LENGTH = 6;
const ASB_LENGTH = 4;

/** Bits 4 and 7 clear: an ASB byte 2..4 or a GS r 1 reply. */
function isPlainByte(b: number): boolean {
  return (b & 0x90) === 0;
}

export class EscPosReplyParser {
  readonly #asb: boolean;
  /** Unfinished tail of the stream, at most 6 bytes. */
  #tail: number[] = [];
  /** Pending DLE EOT requests, oldest first. */
  #status: StatusRequestN[] = [];
  #paperSensor = 0;
  #garbage = 0;

  constructor(options: EscPosReplyParserOptions = {}) {
    this.#asb = options.asb ?? false;
  }

  /** Call after sending `dleEot(n)`. */
  expectStatus(n: StatusRequestN): void {
    if (n !== 1 && n !== 2 && n !== 3 && n !== 4 && n !== 20) {
      throw new RangeError(`DLE EOT n must be 1, 2, 3, 4 or 20, got ${String(n)}`);
    }
    this.#status.push(n);
  }

  /** Call after sending `paperSensorStatus()`. */
  expectPaperSensor(): void {
    this.#paperSensor++;
  }

  /** Bytes skipped since construction or `reset()`. */
  get garbage(): number {
    return this.#garbage;
  }

  /** What is still awaited: DLE EOT n oldest first, and the number of GS r 1 replies. */
  get pending(): { status: readonly StatusRequestN[]; paperSensor: number } {
    return { status: [...this.#status], paperSensor: this.#paperSensor };
  }

  /** Bytes held back waiting for the rest of a reply. */
  get buffered(): number {
    return this.#tail.length;
  }

  /** Forget what was asked (e.g. after a reply timeout); received bytes are kept. */
  cancelExpectations(): void {
    this.#status = [];
    this.#paperSensor = 0;
  }

  /** Back to a fresh parser: no expectations, no buffered bytes, garbage count 0. */
  reset(): void {
    this.cancelExpectations();
    this.#tail = [];
    this.#garbage = 0;
  }

  push(chunk: Uint8Array): EscPosReply[] {
    for (const b of chunk) this.#tail.push(b);
    return this.#drain(false);
  }

  /** Decide the held-back tail as if the stream ended here. */
  flush(): EscPosReply[] {
    return this.#drain(true);
  }

  #drain(final: boolean): EscPosReply[] {
    const buf = this.#tail;
    const replies: EscPosReply[] = [];
    let i = 0;
    while (i < buf.length) {
      const step = this.#step(buf, i);
      if (step === "wait" && !final) break;
      if (step === "skip" || step === "wait") {
        this.#garbage++;
        i++;
        continue;
      }
      replies.push(step.reply);
      i += step.length;
    }
    this.#tail = buf.slice(i);
    return replies;
  }

  /** What starts at buf[i]; consumes the expectation it answers. */
  #step(buf: readonly number[], i: number): Step {
    const b = buf[i] ?? 0;
    const avail = buf.length - i;

    if (b === 0x37) return this.#processId(buf, i, avail);

    const presenterAt = this.#status.indexOf(20);
    if (b === 0x10 && presenterAt >= 0) {
      if (avail < 2) return "wait";
      if (buf[i + 1] === 0x0f) {
        if (avail < PRESENTER_LENGTH) return "wait";
        const bytes = buf.slice(i, i + PRESENTER_LENGTH);
        this.#status.splice(presenterAt, 1);
        return {
          reply: { type: "presenter", bytes, flags: decodePresenterStatus(bytes) },
          length: PRESENTER_LENGTH,
        };
      }
    }

    if (this.#asb && isAsbHeader(b)) {
      for (let k = 1; k < Math.min(avail, ASB_LENGTH); k++) {
        if (!isPlainByte(buf[i + k] ?? 0)) return "skip";
      }
      if (avail < ASB_LENGTH) return "wait";
      const bytes = buf.slice(i, i + ASB_LENGTH);
      return { reply: { type: "asb", bytes, flags: decodeAsb(bytes) }, length: ASB_LENGTH };
    }

    if (isRealtimeStatusByte(b)) {
      const at = this.#status.findIndex((n) => n !== 20);
      if (at < 0) return "skip";
      const n = this.#status[at] as DleEotN;
      this.#status.splice(at, 1);
      const reply = { type: "status", n, byte: b, flags: decodeDleEot(n, b) } as StatusReply;
      return { reply, length: 1 };
    }

    if (isPlainByte(b) && this.#paperSensor > 0) {
      this.#paperSensor--;
      return { reply: { type: "paper_sensor", byte: b, flags: decodePaperSensorStatus(b) }, length: 1 };
    }
    return "skip";
  }

  #processId(buf: readonly number[], i: number, avail: number): Step {
    const n = Math.min(avail, PROCESS_ID_LENGTH);
    for (let k = 1; k < n; k++) {
      const c = buf[i + k] ?? 0;
      const ok = k === 1 ? c === 0x22 : k === 6 ? c === 0x00 : c >= 0x30 && c <= 0x7e;
      if (!ok) return "skip";
    }
    if (avail < PROCESS_ID_LENGTH) return "wait";
    const id = String.fromCharCode(...buf.slice(i + 2, i + 6));
    return { reply: { type: "process_id", id }, length: PROCESS_ID_LENGTH };
  }
}
