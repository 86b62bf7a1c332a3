import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EscPosReplyParser, statusFlagsOf } from "../../../protocols/escpos/replies.js";
import {
  encodeAsb,
  encodePresenterStatus,
  encodeProcessIdReply,
  mergeFlags,
  printerStateOf,
} from "../../../protocols/escpos/status.js";
import { concat, item, parserFor, processId, pushSplit, scenario } from "./arbitraries.js";

const bytes = (...b: number[]) => Uint8Array.from(b);

describe("EscPosReplyParser", () => {
  it("returns every reply, in stream order, skipping noise, however the stream is split", () => {
    fc.assert(
      fc.property(scenario, fc.array(fc.nat(), { maxLength: 20 }), (pairs, cuts) => {
        const items = pairs.map(([, i]) => i);
        const stream = concat(pairs.flatMap(([n, i]) => [n, i.bytes]));
        const parser = parserFor(items);
        expect(pushSplit(parser, stream, cuts)).toEqual(items.map((i) => i.reply));
        expect(parser.garbage).toBe(pairs.reduce((n, [noiseBytes]) => n + noiseBytes.length, 0));
        expect(parser.buffered).toBe(0);
        expect(parser.pending).toEqual({ status: [], paperSensor: 0 });
      }),
      { numRuns: 300 },
    );
  });

  it("gives the same result split at every single byte boundary, and byte by byte", () => {
    fc.assert(
      fc.property(fc.array(item, { minLength: 1, maxLength: 6 }), (list) => {
        const stream = concat([bytes(0xff), ...list.flatMap((i) => [i.bytes, bytes(0x80)])]);
        const whole = pushSplit(parserFor(list), stream, []);
        expect(whole).toEqual(list.map((i) => i.reply));
        for (let cut = 0; cut <= stream.length; cut++) {
          expect(pushSplit(parserFor(list), stream, [cut])).toEqual(whole);
        }
        const single = parserFor(list);
        const one = Array.from(stream).flatMap((b) => single.push(bytes(b)));
        expect(one).toEqual(whole);
        expect(single.garbage).toBe(list.length + 1);
      }),
      { numRuns: 100 },
    );
  });

  it("finds a process ID reply inside random garbage", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 40 }),
        processId,
        fc.uint8Array({ maxLength: 40 }),
        (a, id, b) => {
          const parser = new EscPosReplyParser({ asb: true });
          const stream = concat([a, encodeProcessIdReply(id), b]);
          const got = [...parser.push(stream), ...parser.flush()];
          expect(got).toContainEqual({ type: "process_id", id });
          expect(got.every((r) => r.type === "process_id" || r.type === "asb")).toBe(true);
        },
      ),
    );
  });

  it("skips and counts unsolicited status bytes while expected replies still come through", () => {
    const parser = new EscPosReplyParser();
    expect(parser.push(bytes(0x12, 0x16, 0x00))).toEqual([]);
    expect(parser.garbage).toBe(3);
    parser.expectStatus(2);
    parser.expectPaperSensor();
    const got = parser.push(bytes(0x81, 0x36, 0xfe, 0x03, 0x12, 0x03));
    expect(got).toEqual([
      {
        type: "status",
        n: 2,
        byte: 0x36,
        flags: { coverOpen: true, feedButtonFeeding: false, paperEndStop: true, error: false },
      },
      { type: "paper_sensor", byte: 0x03, flags: { paperNearEnd: true, paperOut: false } },
    ]);
    expect(parser.garbage).toBe(3 + 2 + 2);
  });

  it("matches a DLE EOT reply that overtakes an earlier GS r 1, and vice versa", () => {
    const parser = new EscPosReplyParser();
    parser.expectPaperSensor(); // sent after the ticket: answered once it printed
    parser.expectStatus(1); // real time: answered at once
    parser.expectStatus(4);
    const first = parser.push(bytes(0x1a, 0x1e));
    expect(first.map((r) => r.type === "status" && [r.n, r.byte])).toEqual([
      [1, 0x1a],
      [4, 0x1e],
    ]);
    expect(first.map((r) => printerStateOf(statusFlagsOf(r)))).toEqual(["offline", "paper_low"]);
    expect(parser.pending).toEqual({ status: [], paperSensor: 1 });
    expect(parser.push(bytes(0x00))).toEqual([
      { type: "paper_sensor", byte: 0, flags: { paperNearEnd: false, paperOut: false } },
    ]);

    const late = new EscPosReplyParser();
    late.expectStatus(3);
    late.expectPaperSensor();
    expect(late.push(bytes(0x0c, 0x32)).map((r) => r.type)).toEqual(["paper_sensor", "status"]);
  });

  it("does not let a DLE EOT 20 that is never answered block the one-byte statuses", () => {
    const parser = new EscPosReplyParser();
    parser.expectStatus(20);
    parser.expectStatus(2);
    expect(parser.push(bytes(0x16))).toMatchObject([{ type: "status", n: 2, flags: { coverOpen: true } }]);
    expect(parser.pending.status).toEqual([20]);
    const got = parser.push(encodePresenterStatus({ ticketInOutput: true }));
    expect(got).toMatchObject([{ type: "presenter", flags: { ticketInOutput: true, paperAbsent: false } }]);
  });

  it("ignores ASB messages unless asked to, then reports them", () => {
    const asb = encodeAsb({ coverOpen: true, offline: true });
    const off = new EscPosReplyParser();
    expect(off.push(asb)).toEqual([]);
    expect(off.garbage).toBe(4);
    const on = new EscPosReplyParser({ asb: true });
    const [reply] = on.push(asb);
    expect(reply).toMatchObject({ type: "asb", bytes: [0x38, 0, 0, 0] });
    expect(printerStateOf(statusFlagsOf(reply!))).toBe("cover_open");
    // a header followed by a byte with bit4 set is not an ASB: the header is garbage
    expect(on.push(bytes(0x10, 0x00, 0x37))).toEqual([]);
    expect(on.garbage).toBe(2);
    expect(on.buffered).toBe(1);
  });

  it("holds an unfinished reply for the next push; flush gives it up", () => {
    const parser = new EscPosReplyParser({ asb: true });
    parser.expectPaperSensor();
    expect(parser.push(bytes(0x10, 0x03))).toEqual([]); // maybe an ASB
    expect(parser.buffered).toBe(2);
    expect(parser.flush()).toEqual([
      { type: "paper_sensor", byte: 0x03, flags: { paperNearEnd: true, paperOut: false } },
    ]);
    expect(parser.garbage).toBe(1);
    expect(parser.push(bytes(0x37, 0x22, 0x41))).toEqual([]);
    expect(parser.flush()).toEqual([]);
    expect(parser.garbage).toBe(4);
  });

  it("cancelExpectations turns a late reply into garbage; reset starts afresh", () => {
    const parser = new EscPosReplyParser();
    parser.expectStatus(1);
    parser.expectPaperSensor();
    parser.cancelExpectations();
    expect(parser.push(bytes(0x12, 0x00))).toEqual([]);
    expect(parser.garbage).toBe(2);
    parser.expectStatus(4);
    parser.push(bytes(0x37));
    parser.reset();
    expect([parser.garbage, parser.buffered, parser.pending]).toEqual([0, 0, { status: [], paperSensor: 0 }]);
    expect(() => parser.expectStatus(5 as 1)).toThrow(RangeError);
  });

  it("statusFlagsOf + mergeFlags give the printer state of a DLE EOT 1..4 poll", () => {
    const parser = new EscPosReplyParser();
    for (const n of [1, 2, 3, 4] as const) parser.expectStatus(n);
    const replies = parser.push(bytes(0x1a, 0x32, 0x12, 0x12)); // offline, stopped at paper end
    const flags = mergeFlags(...replies.map(statusFlagsOf));
    expect(flags).toEqual({
      offline: true,
      coverOpen: false,
      error: false,
      paperOut: true,
      paperNearEnd: false,
    });
    expect(printerStateOf(flags)).toBe("paper_out");
  });
});
