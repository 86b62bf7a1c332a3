// Streaming parsers of Modbus RTU frames as bytes come off RS-485. RTU delimits frames by
// silence, which a pure parser cannot see: here a frame's length follows from its function code
// (and byte count), its CRC decides, and anything else is skipped byte by byte and counted.
// A bad start can hold back what follows until enough bytes arrive to fail its CRC; when the
// line goes quiet (the driver's reply timeout), `flush()` decides that tail as garbage.
// Only functions 03, 06 and 16 are recognised: the boards use nothing else, and fewer valid
// starts mean fewer false starts in noise.
// RS-485 adapters with local echo return the master's own request: a function 06 request is
// byte-identical to its reply, so the driver must disable echo or discard what it sent.

import { FrameScanner, type Step } from "./frame-scanner.js";
import { checkCrc } from "./modbus-crc.js";
import type { BoardReply, BoardReplyParser } from "./types.js";

export const REQUEST_FUNCTIONS: ReadonlySet<number> = new Set([3, 6, 16]);

/** A request as a slave sees it; function 06 carries its one value as `values: [value]`. */
export type ModbusRequest =
  | { address: number; function: 3; start: number; count: number; values?: undefined }
  | { address: number; function: 6 | 16; start: number; values: number[]; count?: undefined };

const u16 = (buf: readonly number[], i: number) => ((buf[i] ?? 0) << 8) | (buf[i + 1] ?? 0);

function words(buf: readonly number[], from: number, count: number): number[] {
  return Array.from({ length: count }, (_, k) => u16(buf, from + 2 * k));
}

/** Length of the frame starting at buf[i] from its header, or why there is none yet. */
type Length = number | "skip" | "wait";

function replyLength(buf: readonly number[], i: number): Length {
  const address = buf[i] ?? 0;
  if (address < 1 || address > 247) return "skip"; // broadcasts are never answered
  if (i + 1 >= buf.length) return "wait";
  const fn = buf[i + 1] ?? 0;
  if (fn === 6 || fn === 16) return 8;
  if (fn & 0x80) return REQUEST_FUNCTIONS.has(fn & 0x7f) ? 5 : "skip";
  if (fn !== 3) return "skip";
  if (i + 2 >= buf.length) return "wait";
  const n = buf[i + 2] ?? 0;
  return n >= 2 && n <= 250 && n % 2 === 0 ? 5 + n : "skip";
}

function requestLength(buf: readonly number[], i: number): Length {
  if ((buf[i] ?? 0) > 247) return "skip";
  if (i + 1 >= buf.length) return "wait";
  const fn = buf[i + 1] ?? 0;
  if (fn === 3 || fn === 6) return 8;
  if (fn !== 16) return "skip";
  if (i + 6 >= buf.length) return "wait";
  const count = u16(buf, i + 4);
  const n = buf[i + 6] ?? 0;
  return count >= 1 && count <= 123 && n === 2 * count ? 9 + n : "skip";
}

/** Counts bad CRCs once per corrupt frame: starts inside one already counted are not counted again. */
abstract class ModbusScanner<T> extends FrameScanner<T> {
  #badCrcs = 0;
  /** Stream position (bytes since reset) up to which a counted corrupt frame reaches. */
  #badUntil = 0;

  /** Frames dropped for a wrong CRC since construction or `reset()`; their bytes count as garbage too. */
  get badCrcs(): number {
    return this.#badCrcs;
  }

  override reset(): void {
    super.reset();
    this.#badCrcs = 0;
    this.#badUntil = 0;
  }

  /** The CRC-checked frame at buf[i], or why there is none. */
  protected frameAt(buf: readonly number[], i: number, length: Length): number[] | "skip" | "wait" {
    if (typeof length !== "number") return length;
    if (buf.length - i < length) return "wait";
    const frame = buf.slice(i, i + length);
    if (checkCrc(frame)) return frame;
    const at = this.consumed + i;
    if (at >= this.#badUntil) {
      this.#badCrcs++;
      this.#badUntil = at + length;
    }
    return "skip";
  }
}

/** Replies from slaves, as the controller (master) hears them. */
export class ModbusReplyParser extends ModbusScanner<BoardReply> implements BoardReplyParser {
  protected step(buf: readonly number[], i: number): Step<BoardReply> {
    const f = this.frameAt(buf, i, replyLength(buf, i));
    if (typeof f === "string") return f;
    const address = f[0] ?? 0;
    const fn = f[1] ?? 0;
    let reply: BoardReply;
    if (fn & 0x80) reply = { type: "exception", address, function: fn & 0x7f, code: f[2] ?? 0 };
    else if (fn === 3) reply = { type: "registers", address, values: words(f, 3, (f[2] ?? 0) / 2) };
    else reply = { type: "ack", address, function: fn };
    return { items: [reply], length: f.length };
  }
}

/** Requests from the master, as a (simulated) slave hears them. */
export class ModbusRequestParser extends ModbusScanner<ModbusRequest> {
  protected step(buf: readonly number[], i: number): Step<ModbusRequest> {
    const f = this.frameAt(buf, i, requestLength(buf, i));
    if (typeof f === "string") return f;
    const address = f[0] ?? 0;
    const start = u16(f, 2);
    let request: ModbusRequest;
    // Out-of-range counts still come through: the slave answers them with exception 03.
    if (f[1] === 3) request = { address, function: 3, start, count: u16(f, 4) };
    else if (f[1] === 6) request = { address, function: 6, start, values: [u16(f, 4)] };
    else request = { address, function: 16, start, values: words(f, 7, u16(f, 4)) };
    return { items: [request], length: f.length };
  }
}

/** Exactly one whole request frame, CRC checked; null for anything else. */
export function parseModbusRequest(bytes: Uint8Array): ModbusRequest | null {
  const parser = new ModbusRequestParser();
  const got = [...parser.push(bytes), ...parser.flush()];
  return got.length === 1 && parser.garbage === 0 ? (got[0] ?? null) : null;
}
