// fast-check generators of printer replies, each with what the host expected and what the
// parser must return, and helpers to feed a stream to the parser in arbitrary chunks.

import fc from "fast-check";
import { type EscPosReply, EscPosReplyParser } from "../../../protocols/escpos/replies.js";
import {
  ASB_BITS,
  DLE_EOT_BITS,
  decodeAsb,
  decodePresenterStatus,
  encodeAsb,
  encodeDleEot,
  encodePaperSensorStatus,
  encodePresenterStatus,
  encodeProcessIdReply,
} from "../../../protocols/escpos/status.js";

export type Expect = { kind: "status"; n: 1 | 2 | 3 | 4 | 20 } | { kind: "paper" } | { kind: "none" };
export interface Item {
  expect: Expect;
  bytes: Uint8Array;
  reply: EscPosReply;
}

const flagsOf = <K extends string>(keys: readonly K[]): fc.Arbitrary<Record<K, boolean>> =>
  fc.record(Object.fromEntries(keys.map((k) => [k, fc.boolean()]))) as fc.Arbitrary<Record<K, boolean>>;

export const statusItem = fc.constantFrom(1, 2, 3, 4).chain((n) =>
  flagsOf(Object.keys(DLE_EOT_BITS[n])).map((flags): Item => {
    const bytes = encodeDleEot(n, flags);
    const reply = { type: "status", n, byte: bytes[0]!, flags } as unknown as EscPosReply;
    return { expect: { kind: "status", n }, bytes, reply };
  }),
);
export const paperItem = flagsOf(["paperNearEnd", "paperOut"] as const).map((flags): Item => {
  const bytes = encodePaperSensorStatus(flags);
  return { expect: { kind: "paper" }, bytes, reply: { type: "paper_sensor", byte: bytes[0]!, flags } };
});
export const idChar = fc.integer({ min: 0x30, max: 0x7e }).map((c) => String.fromCharCode(c));
export const processId = fc.tuple(idChar, idChar, idChar, idChar).map((cs) => cs.join(""));
export const pidItem = processId.map(
  (id): Item => ({
    expect: { kind: "none" },
    bytes: encodeProcessIdReply(id),
    reply: { type: "process_id", id },
  }),
);
export const asbItem = flagsOf([
  ...Object.keys(ASB_BITS.byte1),
  ...Object.keys(ASB_BITS.byte2),
  ...Object.keys(ASB_BITS.byte3),
]).map((flags): Item => {
  const bytes = encodeAsb(flags);
  return {
    expect: { kind: "none" },
    bytes,
    reply: { type: "asb", bytes: [...bytes], flags: decodeAsb(bytes) },
  };
});
export const presenterItem = flagsOf([
  "paperAbsent",
  "paperNearEnd",
  "ticketInOutput",
  "coverOpen",
  "error",
] as const).map((flags): Item => {
  const bytes = encodePresenterStatus(flags);
  const reply: EscPosReply = { type: "presenter", bytes: [...bytes], flags: decodePresenterStatus(bytes) };
  return { expect: { kind: "status", n: 20 }, bytes, reply };
});
/** Bit7 set: never a reply byte nor the start of one, so it is garbage wherever it lands between replies. */
export const noise = fc.uint8Array({ minLength: 0, maxLength: 3 }).map((a) => a.map((b) => b | 0x80));
export const item = fc.oneof(statusItem, paperItem, pidItem, asbItem, presenterItem);
export const scenario = fc.array(fc.tuple(noise, item), { maxLength: 12 });

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function parserFor(items: Item[]): EscPosReplyParser {
  const parser = new EscPosReplyParser({ asb: true });
  for (const { expect: e } of items) {
    if (e.kind === "status") parser.expectStatus(e.n);
    if (e.kind === "paper") parser.expectPaperSensor();
  }
  return parser;
}

export function pushSplit(parser: EscPosReplyParser, stream: Uint8Array, cuts: number[]): EscPosReply[] {
  const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
  const out: EscPosReply[] = [];
  let from = 0;
  for (const p of [...points, stream.length]) {
    out.push(...parser.push(stream.subarray(from, p)));
    from = p;
  }
  return out;
}
