import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type AlphaFrame,
  AlphaFrameParser,
  alphaChecksum,
  alphaCodec,
  alphaTextBytes,
  alphaWriteTextFrame,
} from "../../../protocols/boards/alpha.js";
import { concat, hex, pushSplit } from "./arbitraries.js";

const GOLDEN = hex("00 00 00 00 00 01 5A 30 30 02 41 41 1B 20 62 41 31 32 33 03 30 31 46 42 04");
const textOf = (frame: Uint8Array) => new AlphaFrameParser().push(frame)[0]?.text;
const golden: AlphaFrame = {
  typeCode: "Z",
  address: "00",
  command: "A",
  fileLabel: "A",
  position: " ",
  mode: "b",
  text: "A123",
  checksumOk: true,
};

describe("Alpha frames", () => {
  it("write A123 to file A, hold, middle line as in hardware.md, byte for byte", () => {
    expect(alphaWriteTextFrame({ text: "A123" })).toEqual(GOLDEN);
    expect(alphaCodec().encodeShow(0, "A123")).toEqual([GOLDEN]);
  });

  it("checksum: 16-bit sum from STX through ETX as four uppercase hex digits", () => {
    expect(alphaChecksum(GOLDEN.subarray(9, 20))).toBe("01FB");
    expect(alphaChecksum(new Array(300).fill(0xff))).toBe("2AD4"); // 300 * 255 = 0x12AD4, wrapped
  });

  it("address, file, position and mode go where the protocol puts them", () => {
    const f = alphaWriteTextFrame({
      typeCode: "!",
      address: 0x2a,
      fileLabel: "B",
      position: "0",
      mode: "c",
      text: "",
    });
    expect(Array.from(f.subarray(6, 15))).toEqual([0x21, 0x32, 0x41, 0x02, 0x41, 0x42, 0x1b, 0x30, 0x63]);
    expect(alphaWriteTextFrame({ address: "1?", text: "x" }).subarray(7, 9)).toEqual(hex("31 3F"));
    const bare = alphaWriteTextFrame({ text: "1", mode: null, checksum: false });
    expect(Array.from(bare.subarray(9))).toEqual([0x02, 0x41, 0x41, 0x31, 0x04]);
    expect(() => alphaWriteTextFrame({ address: 256, text: "" })).toThrow(RangeError);
    expect(() => alphaWriteTextFrame({ address: "G0", text: "" })).toThrow(RangeError);
    expect(() => alphaWriteTextFrame({ fileLabel: "\x01", text: "" })).toThrow(RangeError);
  });

  it("text: printable ASCII, → as -> (or the extended arrow), lines split by 0D", () => {
    expect(alphaTextBytes("A023 → 4")).toEqual(Array.from("A023 -> 4", (c) => c.charCodeAt(0)));
    expect(alphaTextBytes("→", { arrow: "extended" })).toEqual([0x08, 0x67]);
    expect(alphaTextBytes("A1\nB2\r\nÕ\x03")).toEqual([0x41, 0x31, 0x0d, 0x42, 0x32, 0x0d, 0x4f, 0x3f]);
    expect(alphaTextBytes("ABCDEF\nGH", { width: 4 })).toEqual([0x41, 0x42, 0x43, 0x44, 0x0d, 0x47, 0x48]);
  });

  it("codec: hold or flash, lines cut to width, write-only, 50 ms between packets", () => {
    const codec = alphaCodec({ width: 8 });
    expect(textOf(codec.encodeShow(0, "A023 → 4 and more")[0]!)).toBe("A023 -> ");
    expect(new AlphaFrameParser().push(codec.encodeShow(3, "A1", { blink: true })[0]!)[0]).toMatchObject({
      address: "03",
      mode: "c",
      text: "A1",
    });
    expect(textOf(alphaCodec({ arrow: "extended" }).encodeShow(0, "A1 → 2")[0]!)).toBe("A1 → 2");
    expect([codec.encodeProbe(1), codec.expectsReply(1), codec.interFrameGapMs(9600)]).toEqual([
      null,
      false,
      50,
    ]);
    expect(codec.nativeBlink).toBe(true);
    const replies = codec.newReplyParser();
    expect([replies.push(hex("06 41")), replies.garbage]).toEqual([[], 2]);
  });
});

describe("AlphaFrameParser", () => {
  it("reads the golden frame, and one without checksum", () => {
    const parser = new AlphaFrameParser();
    expect(parser.push(GOLDEN)).toEqual([golden]);
    const plain = alphaWriteTextFrame({ text: "A1\nB2", checksum: false });
    expect(parser.push(plain)).toEqual([{ ...golden, text: "A1\nB2", checksumOk: false }]);
    expect([parser.garbage, parser.badChecksums, parser.buffered]).toEqual([0, 0, 0]);
  });

  it("counts and skips a frame with a wrong checksum; the next frame still comes through", () => {
    const bad = Uint8Array.from(GOLDEN);
    bad[23] = 0x43; // "01FC"
    const parser = new AlphaFrameParser();
    expect(parser.push(concat([bad, GOLDEN]))).toEqual([golden]);
    expect([parser.badChecksums, parser.garbage]).toEqual([1, 0]);
    parser.reset();
    expect([parser.badChecksums, parser.garbage]).toEqual([0, 0]);
  });

  it("reads nested commands and drops formatting codes from the text", () => {
    const stx = hex("00 00 00 00 00 01 5A 30 30");
    const cmd1 = hex("02 41 42 1B 22 6E 38 1C 31 58 08 67 59 03");
    const sum1 = new TextEncoder().encode(alphaChecksum(cmd1));
    const got = new AlphaFrameParser().push(concat([stx, cmd1, sum1, hex("02 45 24 04")]));
    expect(got).toEqual([
      { ...golden, fileLabel: "B", position: '"', mode: "n8", text: "X→Y" },
      { typeCode: "Z", address: "00", command: "E", fileLabel: "$", text: "", checksumOk: false },
    ]);
  });

  it("skips garbage between packets, however the stream is split", () => {
    const text = fc.stringMatching(/^[ -~]{0,20}(\n[ -~]{0,20})?$/);
    const noise = fc.uint8Array({ min: 2, max: 255, maxLength: 8 });
    fc.assert(
      fc.property(fc.array(fc.tuple(noise, text, fc.boolean())), fc.array(fc.nat()), (list, cuts) => {
        const stream = concat(
          list.flatMap(([n, t, checksum]) => [n, alphaWriteTextFrame({ text: t, checksum })]),
        );
        const parser = new AlphaFrameParser();
        const want = list.map(([, t, checksumOk]) => ({ ...golden, text: t, checksumOk }));
        expect(pushSplit(parser, stream, cuts)).toEqual(want);
        expect(parser.garbage).toBe(list.reduce((sum, [n]) => sum + n.length, 0));
        expect([parser.badChecksums, parser.buffered]).toEqual([0, 0]);
      }),
      { numRuns: 200 },
    );
  });

  it("finds a packet after arbitrary noise once the line goes quiet", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.array(fc.nat()), (noise, cuts) => {
        const got = pushSplit(new AlphaFrameParser(), concat([noise, GOLDEN]), cuts);
        expect(got).toContainEqual(golden);
      }),
    );
  });
});
