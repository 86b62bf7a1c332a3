import { describe, expect, it } from "vitest";
import {
  cut,
  disableAsb,
  dleEot,
  enableAsb,
  initialize,
  isValidProcessId,
  paperSensorStatus,
  printNvLogo,
  processIdRequest,
  type StatusRequestN,
} from "../../../protocols/escpos/commands.js";

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(" ");

describe("ESC/POS command builders: golden bytes from hardware.md", () => {
  it.each([
    [1, "10 04 01"],
    [2, "10 04 02"],
    [3, "10 04 03"],
    [4, "10 04 04"],
    [20, "10 04 14"],
  ] as const)("DLE EOT %i", (n, bytes) => {
    expect(hex(dleEot(n))).toBe(bytes);
  });

  it("rejects a DLE EOT n outside 1..4, 20", () => {
    expect(() => dleEot(5 as StatusRequestN)).toThrow(RangeError);
  });

  it("GS a n", () => {
    expect(hex(enableAsb())).toBe("1d 61 0f");
    expect(hex(enableAsb(0x02))).toBe("1d 61 02");
    expect(hex(disableAsb())).toBe("1d 61 00");
    expect(() => enableAsb(256)).toThrow(RangeError);
  });

  it("GS ( H process ID request", () => {
    expect(hex(processIdRequest("0A1z"))).toBe("1d 28 48 06 00 30 30 30 41 31 7a");
    expect(hex(processIdRequest("~~~~"))).toBe("1d 28 48 06 00 30 30 7e 7e 7e 7e");
  });

  it.each(["", "123", "12345", "12 4", "abc\u007f", "ab/c", "äbcd"])("rejects process id %j", (id) => {
    expect(isValidProcessId(id)).toBe(false);
    expect(() => processIdRequest(id)).toThrow(RangeError);
  });

  it("GS r 1", () => {
    expect(hex(paperSensorStatus())).toBe("1d 72 01");
  });

  it("GS ( L print NV graphic", () => {
    expect(hex(printNvLogo(0x20, 0x7e))).toBe("1d 28 4c 06 00 30 45 20 7e 01 01");
    expect(hex(printNvLogo(65, 66, 2, 2))).toBe("1d 28 4c 06 00 30 45 41 42 02 02");
    expect(printNvLogo(65, 66)).toHaveLength(11);
    expect(() => printNvLogo(31, 66)).toThrow(RangeError);
    expect(() => printNvLogo(65, 127)).toThrow(RangeError);
    expect(() => printNvLogo(65, 66, 3)).toThrow(RangeError);
  });

  it("ESC @ and GS V", () => {
    expect(hex(initialize())).toBe("1b 40");
    expect(hex(cut())).toBe("1d 56 41 03");
    expect(hex(cut(true))).toBe("1d 56 42 03");
    expect(hex(cut(false, 0))).toBe("1d 56 41 00");
    expect(hex(cut(true, 255))).toBe("1d 56 42 ff");
    expect(() => cut(false, -1)).toThrow(RangeError);
    expect(() => cut(false, 1.5)).toThrow(RangeError);
  });
});
