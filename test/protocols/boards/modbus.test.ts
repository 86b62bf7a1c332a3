import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checkCrc,
  crc16Modbus,
  encodeModbusRequest,
  exceptionReply,
  ModbusReplyParser,
  ModbusRequestParser,
  parseModbusRequest,
  readHoldingRegisters,
  readHoldingRegistersReply,
  withCrc,
  writeMultipleRegisters,
  writeMultipleRegistersReply,
  writeSingleRegister,
} from "../../../protocols/boards/modbus.js";
import { concat, corrupted, hex, noise, pushSplit, replyItem, request } from "./arbitraries.js";

describe("CRC-16/MODBUS", () => {
  it("matches the catalogue check value and known frames", () => {
    expect(crc16Modbus(new TextEncoder().encode("123456789"))).toBe(0x4b37);
    expect(crc16Modbus([])).toBe(0xffff);
    expect(withCrc(hex("01 03 00 00 00 01"))).toEqual(hex("01 03 00 00 00 01 84 0A"));
    expect(withCrc([0x01, 0x06, 0x00, 0x07, 0x00, 0x7b])).toEqual(hex("01 06 00 07 00 7B 78 28"));
  });

  it("checkCrc accepts a framed message and rejects any single changed byte", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (m, at, x) => {
          const frame = withCrc(m);
          expect(checkCrc(frame)).toBe(true);
          const i = at % frame.length;
          frame[i] = frame[i]! ^ x;
          expect(checkCrc(frame)).toBe(false);
        },
      ),
    );
    expect(checkCrc([0xff, 0xff])).toBe(false);
  });
});

describe("Modbus request frames", () => {
  it("are the hardware.md examples byte for byte", () => {
    expect(writeSingleRegister(1, 7, 123)).toEqual(hex("01 06 00 07 00 7B 78 28"));
    expect(writeMultipleRegisters(1, 0, [0x41, 0x31, 0x32, 0x33])).toEqual(
      hex("01 10 00 00 00 04 08 00 41 00 31 00 32 00 33 7B 60"),
    );
    expect(readHoldingRegisters(1, 0, 1)).toEqual(hex("01 03 00 00 00 01 84 0A"));
  });

  it("refuse what the protocol does not allow", () => {
    expect(() => writeSingleRegister(248, 0, 0)).toThrow(RangeError);
    expect(() => writeSingleRegister(1, 0, 0x10000)).toThrow(RangeError);
    expect(() => writeMultipleRegisters(1, 0, [])).toThrow(RangeError);
    expect(() => writeMultipleRegisters(1, 0xffff, [1, 2])).toThrow(RangeError);
    expect(() => writeMultipleRegisters(1, 0, new Array(124).fill(0))).toThrow(RangeError);
    expect(() => readHoldingRegisters(0, 0, 1)).toThrow(RangeError); // broadcast read
    expect(() => readHoldingRegisters(1, 0, 126)).toThrow(RangeError);
    expect(() => writeSingleRegister(1.5, 0, 0)).toThrow(RangeError);
  });

  it("round-trip through the request parser, one frame or a noisy stream split anywhere", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(noise, request), { maxLength: 6 }), fc.array(fc.nat()), (pairs, cuts) => {
        for (const [, r] of pairs) expect(parseModbusRequest(encodeModbusRequest(r))).toEqual(r);
        const stream = concat(pairs.flatMap(([n, r]) => [n, encodeModbusRequest(r)]));
        const parser = new ModbusRequestParser();
        expect(pushSplit(parser, stream, cuts)).toEqual(pairs.map(([, r]) => r));
        expect(parser.garbage).toBe(pairs.reduce((n, [bytes]) => n + bytes.length, 0));
        expect([parser.buffered, parser.badCrcs]).toEqual([0, 0]);
      }),
    );
  });

  it("the request parser skips and counts a frame with a bad CRC, once", () => {
    const parser = new ModbusRequestParser();
    const bad = hex("01 10 00 00 00 04 08 00 41 00 31 00 32 00 33 7B 61");
    const good = hex("01 06 00 07 00 7B 78 28");
    expect(parser.push(concat([bad, good]))).toEqual([{ address: 1, function: 6, start: 7, values: [123] }]);
    expect([parser.garbage, parser.badCrcs]).toEqual([bad.length, 1]);
    expect(parseModbusRequest(bad)).toBeNull();
    expect(parseModbusRequest(concat([good, good]))).toBeNull();
    parser.reset();
    expect([parser.garbage, parser.badCrcs, parser.buffered]).toEqual([0, 0, 0]);
  });
});

describe("ModbusReplyParser", () => {
  const stream = fc
    .array(fc.tuple(noise, fc.option(replyItem), replyItem), { maxLength: 6 })
    .chain((list) =>
      fc.tuple(
        fc.constant(list),
        fc.tuple(...list.map(([, bad]) => (bad ? corrupted(bad.bytes) : fc.constant(new Uint8Array())))),
      ),
    );

  it("returns every reply in order past noise and bad-CRC frames, however the stream is split", () => {
    fc.assert(
      fc.property(stream, fc.array(fc.nat()), ([list, bad], cuts) => {
        const bytes = concat(list.flatMap(([n, , item], k) => [n, bad[k] ?? new Uint8Array(), item.bytes]));
        const parser = new ModbusReplyParser();
        expect(pushSplit(parser, bytes, cuts)).toEqual(list.map(([, , item]) => item.reply));
        const garbage = list.reduce((n, [noiseBytes], k) => n + noiseBytes.length + (bad[k]?.length ?? 0), 0);
        expect(parser.garbage).toBe(garbage);
        expect(parser.badCrcs).toBe(bad.filter((b) => b.length > 0).length);
        expect(parser.buffered).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it("gives the same replies split at every single boundary", () => {
    fc.assert(
      fc.property(fc.array(replyItem, { minLength: 1, maxLength: 4 }), (list) => {
        const bytes = concat([hex("FF"), ...list.flatMap((i) => [i.bytes, hex("00")])]);
        const want = list.map((i) => i.reply);
        for (let cut = 0; cut <= bytes.length; cut++) {
          const parser = new ModbusReplyParser();
          expect(pushSplit(parser, bytes, [cut])).toEqual(want);
          expect(parser.garbage).toBe(list.length + 1);
        }
      }),
      { numRuns: 50 },
    );
  });

  it("decodes each kind of reply", () => {
    const parser = new ModbusReplyParser();
    const got = parser.push(
      concat([
        writeSingleRegister(1, 7, 123),
        writeMultipleRegistersReply(2, 0, 4),
        readHoldingRegistersReply(3, [0x41, 0xbeef]),
        exceptionReply(4, 3, 2),
      ]),
    );
    expect(got).toEqual([
      { type: "ack", address: 1, function: 6 },
      { type: "ack", address: 2, function: 16 },
      { type: "registers", address: 3, values: [0x41, 0xbeef] },
      { type: "exception", address: 4, function: 3, code: 2 },
    ]);
    expect(parser.garbage).toBe(0);
  });

  it("holds an unfinished reply until more bytes come, and flush turns it into garbage", () => {
    const parser = new ModbusReplyParser();
    const reply = writeMultipleRegistersReply(1, 0, 4);
    expect(parser.push(reply.subarray(0, 5))).toEqual([]);
    expect(parser.buffered).toBe(5);
    expect(parser.push(reply.subarray(5))).toEqual([{ type: "ack", address: 1, function: 16 }]);
    expect(parser.push(reply.subarray(0, 3))).toEqual([]);
    expect(parser.flush()).toEqual([]);
    expect([parser.garbage, parser.buffered]).toEqual([3, 0]);
  });
});
