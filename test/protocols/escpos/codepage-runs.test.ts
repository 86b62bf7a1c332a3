import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canEncode, splitIntoCodepageRuns } from "../../../protocols/escpos/codepage-runs.js";

describe("code page runs", () => {
  it("keeps ASCII in the first page and switches only where a character needs it", () => {
    expect(splitIntoCodepageRuns("Pensionid")).toEqual([{ codepage: "cp437", text: "Pensionid" }]);
    expect(splitIntoCodepageRuns("Ees 3 Впереди õšž")).toEqual([
      { codepage: "cp437", text: "Ees 3 " },
      { codepage: "cp866", text: "Впереди " },
      { codepage: "cp850", text: "õ" },
      { codepage: "windows1252", text: "šž" },
    ]);
  });

  it("Estonian and Russian letters each have a page among the defaults", () => {
    for (const char of "õäöüšžÕÄÖÜŠŽ")
      expect(
        ["cp437", "cp850", "windows1252"].some((cp) => canEncode(cp, char)),
        char,
      ).toBe(true);
    for (const char of "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя")
      expect(canEncode("cp866", char), char).toBe(true);
  });

  it("runs join back to the input, and neighbouring runs differ in page", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(..."Aa 1õäöüšžПенсиЖё€·–") }), (text) => {
        const runs = splitIntoCodepageRuns(text);
        expect(runs.map((r) => r.text).join("")).toBe(text);
        for (let i = 1; i < runs.length; i++) expect(runs[i]?.codepage).not.toBe(runs[i - 1]?.codepage);
      }),
    );
  });
});
