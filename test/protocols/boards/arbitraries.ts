// fast-check generators of Modbus frames with what the parsers must return, and stream helpers.

import fc from "fast-check";
import {
  exceptionReply,
  type ModbusRequest,
  readHoldingRegistersReply,
  writeMultipleRegistersReply,
  writeSingleRegister,
} from "../../../protocols/boards/modbus.js";
import type { BoardReply } from "../../../protocols/boards/types.js";

export const hex = (s: string) => Uint8Array.from(s.trim().split(/\s+/), (h) => Number.parseInt(h, 16));

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Pushes `stream` cut at `cuts` (taken modulo its length), then flushes. */
export function pushSplit<T>(
  parser: { push(c: Uint8Array): T[]; flush(): T[] },
  stream: Uint8Array,
  cuts: readonly number[],
): T[] {
  const at = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
  const out: T[] = [];
  let from = 0;
  for (const c of [...at, stream.length]) {
    out.push(...parser.push(stream.subarray(from, c)));
    from = c;
  }
  return [...out, ...parser.flush()];
}

const slave = fc.integer({ min: 1, max: 247 });
const u16 = fc.integer({ min: 0, max: 0xffff });
const registers = (max: number) => fc.array(u16, { minLength: 1, maxLength: max });
/** A start register with room for `count` registers after it. */
const startFor = (count: number) => fc.integer({ min: 0, max: 0x10000 - count });

export interface ReplyItem {
  bytes: Uint8Array;
  reply: BoardReply;
}

export const replyItem: fc.Arbitrary<ReplyItem> = fc.oneof(
  fc.tuple(slave, u16, u16).map(
    ([address, r, v]): ReplyItem => ({
      bytes: writeSingleRegister(address, r, v),
      reply: { type: "ack", address, function: 6 },
    }),
  ),
  fc
    .tuple(slave, fc.integer({ min: 1, max: 123 }))
    .chain(([address, count]) => startFor(count).map((start) => ({ address, count, start })))
    .map(
      ({ address, count, start }): ReplyItem => ({
        bytes: writeMultipleRegistersReply(address, start, count),
        reply: { type: "ack", address, function: 16 },
      }),
    ),
  fc.tuple(slave, registers(125)).map(
    ([address, values]): ReplyItem => ({
      bytes: readHoldingRegistersReply(address, values),
      reply: { type: "registers", address, values },
    }),
  ),
  fc.tuple(slave, fc.constantFrom(3, 6, 16), fc.integer({ min: 1, max: 255 })).map(
    ([address, fn, code]): ReplyItem => ({
      bytes: exceptionReply(address, fn, code),
      reply: { type: "exception", address, function: fn, code },
    }),
  ),
);

export const request: fc.Arbitrary<ModbusRequest> = fc.oneof(
  fc
    .tuple(slave, fc.integer({ min: 1, max: 125 }))
    .chain(([address, count]) =>
      startFor(count).map((start): ModbusRequest => ({ address, function: 3, start, count })),
    ),
  fc
    .tuple(fc.integer({ min: 0, max: 247 }), u16, u16)
    .map(([address, start, v]): ModbusRequest => ({ address, function: 6, start, values: [v] })),
  fc
    .tuple(fc.integer({ min: 0, max: 247 }), registers(123))
    .chain(([address, values]) =>
      startFor(values.length).map((start): ModbusRequest => ({ address, function: 16, start, values })),
    ),
);

/** Bytes 248..255 are no address at all, so no frame starts there: garbage wherever they land. */
export const noise = fc.uint8Array({ min: 248, max: 255, maxLength: 6 });

/** A copy of `frame` with one byte after the header changed: same length, wrong CRC. */
export const corrupted = (frame: Uint8Array) =>
  fc.tuple(fc.integer({ min: 3, max: frame.length - 1 }), fc.integer({ min: 1, max: 255 })).map(([at, x]) => {
    const out = Uint8Array.from(frame);
    out[at] = (out[at] ?? 0) ^ x;
    return out;
  });
