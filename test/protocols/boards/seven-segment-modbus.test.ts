import { describe, expect, it } from "vitest";
import { BOARD_PROTOCOLS, boardCodec } from "../../../protocols/boards/index.js";
import { ModbusRequestParser, parseModbusRequest } from "../../../protocols/boards/modbus.js";
import {
  modbusRtuGapMs,
  sevenSegmentModbusCodec,
  showNumberFrame,
} from "../../../protocols/boards/seven-segment-modbus.js";
import { hex } from "./arbitraries.js";

const charsShown = (frame: Uint8Array) => {
  const r = parseModbusRequest(frame);
  return r?.function === 16 ? String.fromCharCode(...r.values) : null;
};

describe("seven-segment Modbus codec (DM56A04)", () => {
  const codec = sevenSegmentModbusCodec();

  it("shows the hardware.md examples byte for byte", () => {
    expect(codec.encodeShow(1, "A123")).toEqual([hex("01 10 00 00 00 04 08 00 41 00 31 00 32 00 33 7B 60")]);
    expect(showNumberFrame(1, 123)).toEqual(hex("01 06 00 07 00 7B 78 28"));
  });

  it("fits text to the digits: left-aligned, cut from the right, padded with spaces", () => {
    expect(charsShown(codec.encodeShow(1, "A023 → 4")[0]!)).toBe("A023");
    expect(charsShown(codec.encodeShow(1, "7")[0]!)).toBe("7   ");
    expect(charsShown(codec.encodeShow(1, "")[0]!)).toBe("    ");
    expect(charsShown(codec.encodeShow(1, "Õ1\nB2")[0]!)).toBe("O1  ");
    const wide = sevenSegmentModbusCodec({ digits: 6, startRegister: 0 });
    expect(charsShown(wide.encodeShow(2, "A023 → 4")[0]!)).toBe("A023 -");
    expect(wide.width).toBe(6);
  });

  it("writes at startRegister, broadcasts without a reply, probes by reading one register", () => {
    const shifted = sevenSegmentModbusCodec({ startRegister: 2 });
    expect(parseModbusRequest(shifted.encodeShow(0, "1")[0]!)).toMatchObject({ address: 0, start: 2 });
    expect(codec.encodeProbe(1)).toEqual(hex("01 03 00 00 00 01 84 0A"));
    expect(codec.encodeProbe(0)).toBeNull();
    expect([codec.expectsReply(0), codec.expectsReply(1)]).toEqual([false, true]);
    expect(codec.nativeBlink).toBe(false);
    expect(codec.encodeShow(1, "A1", { blink: true })).toEqual(codec.encodeShow(1, "A1"));
  });

  it("its reply parser reads the module's acknowledgement", () => {
    const reply = hex("01 10 00 00 00 04 C1 CA");
    const parser = codec.newReplyParser();
    expect(parser.push(reply)).toEqual([{ type: "ack", address: 1, function: 16 }]);
    expect(parser.garbage).toBe(0);
    expect(new ModbusRequestParser().push(codec.encodeShow(5, "B7")[0]!)).toHaveLength(1);
  });

  it("waits 3.5 character times between frames, 1.75 ms above 19200 baud, in whole ms", () => {
    expect(codec.interFrameGapMs(9600)).toBe(5); // 4.01 ms
    expect(modbusRtuGapMs(4800)).toBe(9); // 8.02 ms
    expect(modbusRtuGapMs(19200)).toBe(3); // 2.005 ms
    expect(modbusRtuGapMs(38400)).toBe(2); // 1.75 ms
    expect(modbusRtuGapMs(115200)).toBe(2);
    expect(() => modbusRtuGapMs(0)).toThrow(RangeError);
  });

  it("refuses impossible layouts", () => {
    expect(() => sevenSegmentModbusCodec({ digits: 0 })).toThrow(RangeError);
    expect(() => sevenSegmentModbusCodec({ startRegister: 0xfffe })).toThrow(RangeError);
  });
});

describe("boardCodec", () => {
  it("picks the codec by protocol name", () => {
    expect(BOARD_PROTOCOLS).toEqual(["modbus-7seg", "alpha"]);
    for (const p of BOARD_PROTOCOLS) expect(boardCodec(p).protocol).toBe(p);
    expect(boardCodec("modbus-7seg", { digits: 6 }).width).toBe(6);
    expect(boardCodec("alpha", { width: 20 }).width).toBe(20);
    expect(() => boardCodec("nope" as "alpha")).toThrow(RangeError);
  });
});
