import { describe, expect, it } from "vitest";
import { alphaWriteTextFrame } from "../../../protocols/boards/alpha.js";
import { VirtualAlphaSign } from "../../../simulators/boards/alpha-sign.js";
import { ALPHA_BAD_SUM, ALPHA_FLASH_A123, ALPHA_HOLD_A123, alphaNoSum, concat } from "./fixtures.js";

describe("VirtualAlphaSign", () => {
  it('shows hardware.md\'s frame as "A123" in hold mode, and never answers', () => {
    const sign = new VirtualAlphaSign();
    const out: Uint8Array[] = [];
    sign.onOutput((bytes) => out.push(bytes));
    sign.receive(ALPHA_HOLD_A123);
    expect(sign.display()).toEqual({ text: "A123", mode: "hold", flashing: false });
    expect(out).toEqual([]);
    expect(sign.stats()).toEqual({ frames: 1, badChecksums: 0, garbageBytes: 0 });
  });

  it("flashes for a flash-mode frame", () => {
    const sign = new VirtualAlphaSign();
    sign.receive(ALPHA_FLASH_A123);
    expect(sign.display()).toEqual({ text: "A123", mode: "flash", flashing: true });
  });

  it("ignores a frame with a wrong checksum and counts it", () => {
    const sign = new VirtualAlphaSign();
    sign.receive(ALPHA_HOLD_A123);
    sign.receive(alphaWriteTextFrame({ text: "B7" }).map((b, i, all) => (i === all.length - 2 ? b ^ 1 : b)));
    sign.receive(ALPHA_BAD_SUM);
    expect(sign.display().text).toBe("A123");
    expect(sign.stats().badChecksums).toBe(2);
  });

  it("takes frames without a checksum, and the same stream split at every offset", () => {
    const stream = concat(ALPHA_HOLD_A123, Uint8Array.of(0x55), alphaNoSum("00", "B7"), ALPHA_BAD_SUM);
    const whole = new VirtualAlphaSign();
    whole.receive(stream);
    expect(whole.display()).toEqual({ text: "B7", mode: "hold", flashing: false });
    for (let cut = 1; cut < stream.length; cut++) {
      const split = new VirtualAlphaSign();
      split.receive(stream.subarray(0, cut));
      split.receive(stream.subarray(cut));
      expect(split.display(), `cut at ${cut}`).toEqual(whole.display());
      expect(split.stats(), `cut at ${cut}`).toEqual(whole.stats());
    }
  });

  it("several signs by address: '00' reaches all, '02' only sign 2, '0?' both", () => {
    const signs = new VirtualAlphaSign({ addresses: [1, 2] });
    signs.receive(ALPHA_HOLD_A123);
    signs.receive(alphaNoSum("02", "C5"));
    expect(signs.display(1).text).toBe("A123");
    expect(signs.display(2).text).toBe("C5");
    signs.receive(alphaNoSum("0?", "D9"));
    expect([signs.display(1).text, signs.display(2).text]).toEqual(["D9", "D9"]);
    signs.receive(alphaNoSum("03", "E1"));
    expect(signs.display(1).text).toBe("D9");
    expect(() => signs.display(3)).toThrow();
  });

  it("keeps other files apart from file A, and reads the mode field's absence as automode", () => {
    const sign = new VirtualAlphaSign();
    sign.receive(alphaWriteTextFrame({ text: "later", fileLabel: "B" }));
    expect(sign.display().text).toBe("");
    expect(sign.file("B").text).toBe("later");
    sign.receive(alphaWriteTextFrame({ text: "A023 → 4", mode: null }));
    expect(sign.display()).toEqual({ text: "A023 -> 4", mode: "automode", flashing: false });
  });

  it("only its own type code or 'Z' when a type code is set", () => {
    const sign = new VirtualAlphaSign({ typeCode: "!" });
    sign.receive(alphaWriteTextFrame({ text: "X1", typeCode: "^" }));
    expect(sign.display().text).toBe("");
    sign.receive(alphaWriteTextFrame({ text: "X2", typeCode: "!" }));
    expect(sign.display().text).toBe("X2");
  });

  it("a dead sign shows nothing, takes nothing, and comes back blank", () => {
    let now = 0;
    const sign = new VirtualAlphaSign({ now: () => now });
    sign.receive(ALPHA_HOLD_A123);
    now = 10;
    sign.setDead(true);
    sign.receive(ALPHA_FLASH_A123);
    expect(sign.display()).toEqual({ text: "", mode: "", flashing: false });
    now = 20;
    sign.setDead(false);
    expect(sign.display().text).toBe("");
    sign.receive(ALPHA_FLASH_A123);
    expect(sign.history()).toEqual([
      { at: 0, text: "A123", mode: "hold", flashing: false },
      { at: 10, text: "", mode: "", flashing: false },
      { at: 20, text: "A123", mode: "flash", flashing: true },
    ]);
  });
});
