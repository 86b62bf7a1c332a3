import { describe, expect, it } from "vitest";
import {
  ModbusReplyParser,
  readHoldingRegisters,
  writeMultipleRegisters,
} from "../../../protocols/boards/modbus.js";
import { VirtualModbusBus } from "../../../simulators/boards/modbus-bus.js";
import { concat, hex, SHOW_123, SHOW_123_BAD_CRC, SHOW_A123, SHOW_A123_REPLY } from "./fixtures.js";

/** A bus with modules at `addresses` and everything it sends, reply by reply. */
function bus(addresses: number[], options: ConstructorParameters<typeof VirtualModbusBus>[0] = {}) {
  const b = new VirtualModbusBus(options);
  for (const a of addresses) b.addModule(a);
  const out: number[][] = [];
  b.onOutput((bytes) => out.push([...bytes]));
  return { b, out };
}

const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

describe("VirtualModbusBus: hardware.md frames", () => {
  it('function 16 "A123": shows it and answers addr 10 start count crc', () => {
    const { b, out } = bus([1]);
    b.receive(SHOW_A123);
    expect(b.display(1)).toBe("A123");
    expect(out).toEqual([[...SHOW_A123_REPLY]]);
  });

  it("function 06 register 7 = 123: shows it right-aligned and echoes the frame", () => {
    const { b, out } = bus([1]);
    b.receive(SHOW_A123);
    b.receive(SHOW_123);
    expect(b.display(1)).toBe(" 123");
    expect(out[1]).toEqual([...SHOW_123]);
    // Characters written after the number win again: what was written last is shown.
    b.receive(writeMultipleRegisters(1, 0, ascii("B007")));
    expect(b.display(1)).toBe("B007");
  });

  it("a number wider than the module keeps its last digits", () => {
    const { b } = bus([1]);
    b.receive(hex("01 06 00 07 30 39 EC 19")); // 12345
    expect(b.display(1)).toBe("2345");
  });

  it("function 03 reads the registers; out of range gets exception 02", () => {
    const { b, out } = bus([3]);
    b.receive(writeMultipleRegisters(3, 0, ascii("A123")));
    b.receive(hex("03 03 00 00 00 04 45 EB"));
    expect(out[1]).toEqual([...hex("03 03 08 00 41 00 31 00 32 00 33 53 75")]);
    b.receive(hex("03 03 00 06 00 04 A5 EA"));
    expect(out[2]).toEqual([...hex("03 83 02 61 31")]);
    expect(b.registers(3).slice(0, 4)).toEqual(ascii("A123"));
  });
});

describe("VirtualModbusBus: several modules on one bus", () => {
  it("only live modules answer; a dead one keeps nothing and comes back blank", () => {
    const { b, out } = bus([1, 2, 3]);
    b.setDead(2, true);
    for (const a of [1, 2, 3]) b.receive(writeMultipleRegisters(a, 0, ascii(`C00${a}`)));
    expect(out.map((reply) => reply[0])).toEqual([1, 3]);
    expect([b.display(1), b.display(2), b.display(3)]).toEqual(["C001", "    ", "C003"]);

    b.setDead(3, true);
    b.setDead(3, false);
    expect(b.display(3)).toBe("    ");
    b.receive(readHoldingRegisters(3, 0, 4));
    expect(out.at(-1)).toEqual([...hex("03 03 08 00 00 00 00 00 00 00 00 9E 6F")]);
  });

  it("a broadcast (address 0) is carried out by every live module and answered by none", () => {
    const { b, out } = bus([1, 2, 3]);
    b.setDead(3, true);
    b.receive(hex("00 06 00 07 00 2A B8 05"));
    expect(out).toEqual([]);
    expect([b.display(1), b.display(2), b.display(3)]).toEqual(["  42", "  42", "    "]);
    expect(b.stats()).toMatchObject({ frames: 1, replies: 0 });
  });

  it("a frame for an address nobody has gets no answer", () => {
    const { b, out } = bus([1]);
    b.receive(writeMultipleRegisters(9, 0, ascii("X")));
    expect(out).toEqual([]);
  });
});

describe("VirtualModbusBus: line faults", () => {
  it("ignores a frame with a bad CRC, counts it, and answers the next good one", () => {
    const { b, out } = bus([1]);
    b.receive(concat(SHOW_123_BAD_CRC, SHOW_A123));
    expect(b.display(1)).toBe("A123");
    expect(out).toEqual([[...SHOW_A123_REPLY]]);
    expect(b.stats()).toMatchObject({ frames: 1, badCrcs: 1, replies: 1 });
    expect(b.stats().garbageBytes).toBeGreaterThanOrEqual(SHOW_123_BAD_CRC.length);
  });

  it("gives the same result for the stream split at every offset", () => {
    const stream = concat(SHOW_A123, SHOW_123_BAD_CRC, hex("FF 00"), SHOW_123, SHOW_A123);
    const whole = bus([1]);
    whole.b.receive(stream);
    expect(whole.out).toHaveLength(3);
    for (let cut = 1; cut < stream.length; cut++) {
      const split = bus([1]);
      split.b.receive(stream.subarray(0, cut));
      split.b.receive(stream.subarray(cut));
      expect(split.out, `cut at ${cut}`).toEqual(whole.out);
      expect(split.b.stats(), `cut at ${cut}`).toEqual(whole.b.stats());
      expect(split.b.history(1).map((h) => h.text)).toEqual(whole.b.history(1).map((h) => h.text));
    }
    const bytewise = bus([1]);
    for (const byte of stream) bytewise.b.receive(Uint8Array.of(byte));
    expect(bytewise.out).toEqual(whole.out);
  });

  it("drops an unfinished frame after the line goes quiet, as a slave does", async () => {
    // A function 16 header announcing 123 registers: without the silence it would hold back
    // the next 255 bytes waiting for the rest.
    const falseStart = hex("01 10 00 00 00 7B F6");
    const quiet = bus([1], { silenceMs: 5 });
    quiet.b.receive(falseStart);
    await new Promise((r) => setTimeout(r, 30));
    quiet.b.receive(SHOW_123);
    expect(quiet.out).toEqual([[...SHOW_123]]);

    const never = bus([1], { silenceMs: 0 });
    never.b.receive(falseStart);
    await new Promise((r) => setTimeout(r, 30));
    never.b.receive(SHOW_123);
    expect(never.out).toEqual([]);
  });

  it("garbage mode: the module obeys but its reply does not parse", () => {
    const { b, out } = bus([1, 2]);
    b.setGarbage(2, true);
    b.receive(writeMultipleRegisters(2, 0, ascii("A023")));
    b.receive(writeMultipleRegisters(1, 0, ascii("A024")));
    expect(b.display(2)).toBe("A023");
    expect(out).toHaveLength(2);
    const parser = new ModbusReplyParser();
    const replies = [...parser.push(Uint8Array.from(out[0]!)), ...parser.flush()];
    expect(replies).toEqual([]);
    expect(parser.garbage).toBe(out[0]!.length);
    // The healthy neighbour's reply right after still parses.
    expect(new ModbusReplyParser().push(Uint8Array.from(out[1]!))).toEqual([
      { type: "ack", address: 1, function: 16 },
    ]);
    b.setGarbage(2, false);
    b.receive(SHOW_A123.map((v, i) => (i === 0 ? 2 : v)));
    expect(b.stats().badCrcs).toBe(1); // changing the address breaks the CRC: ignored
  });
});

describe("VirtualModbusBus: history", () => {
  it("records each change with the bus clock, so blinking can be seen", () => {
    let now = 1000;
    const { b } = bus([1], { now: () => now });
    const blank = writeMultipleRegisters(1, 0, ascii("    "));
    const shown = writeMultipleRegisters(1, 0, ascii("A023"));
    for (const frame of [shown, blank, shown, shown, blank]) {
      b.receive(frame);
      now += 500;
    }
    expect(b.history(1)).toEqual([
      { at: 1000, text: "A023" },
      { at: 1500, text: "    " },
      { at: 2000, text: "A023" },
      { at: 3000, text: "    " },
    ]);
  });

  it("refuses bad module settings", () => {
    const b = new VirtualModbusBus();
    expect(() => b.addModule(0)).toThrow(RangeError);
    expect(() => b.addModule(1, { digits: 7 })).toThrow(RangeError);
    b.addModule(1);
    expect(() => b.addModule(1)).toThrow();
    expect(() => b.display(2)).toThrow();
  });
});
