// A keyboard-mode scanner's reports -> the code typed (protocols/hid/scanner-keys.ts), byte by byte.
import { describe, expect, it } from "vitest";
import { fromHex } from "../../../protocols/hid/result.js";
import { encodeScannerText, ScannerDecoder } from "../../../protocols/hid/scanner-keys.js";

function feedAll(decoder: ScannerDecoder, reports: Uint8Array[]) {
  return reports.map((r) => decoder.feed(r)).filter((x) => x !== null);
}

describe("scanner codec", () => {
  it("reads a code typed as boot-keyboard reports, shifted letters, digits and minus, until Enter", () => {
    // "A" (shift + 0x04), release, "1" (0x1e), release, "-" (0x2d), release, "z" unshifted, Enter.
    const bytes = [
      "0200040000000000",
      "0000000000000000",
      "00001e0000000000",
      "0000000000000000",
      "00002d0000000000",
      "0000000000000000",
      "00001d0000000000",
      "0000000000000000",
      "0000280000000000",
      "0000000000000000",
    ].map(fromHex);
    expect(feedAll(new ScannerDecoder(), bytes)).toEqual([{ ok: true, code: "A1-Z" }]);
  });

  it("reads keypad digits and KP_ENTER, and a key held over two reports once", () => {
    const bytes = [
      "0000590000000000",
      "0000590000000000",
      "0000000000000000",
      "0000620000000000",
      "0000580000000000",
    ].map(fromHex);
    expect(feedAll(new ScannerDecoder(), bytes)).toEqual([{ ok: true, code: "10" }]);
  });

  it("encodes what a scanner sends; the decoder reads it back", () => {
    const reports = encodeScannerText("AB-12");
    expect(reports.map((r) => Buffer.from(r).toString("hex"))).toEqual([
      "0200040000000000",
      "0000000000000000",
      "0200050000000000",
      "0000000000000000",
      "00002d0000000000",
      "0000000000000000",
      "00001e0000000000",
      "0000000000000000",
      "00001f0000000000",
      "0000000000000000",
      "0000280000000000",
      "0000000000000000",
    ]);
    const decoder = new ScannerDecoder();
    expect(feedAll(decoder, [...reports, ...encodeScannerText("XY-0009")])).toEqual([
      { ok: true, code: "AB-12" },
      { ok: true, code: "XY-0009" },
    ]);
  });

  it("refuses a code with another key or a bad report, and starts afresh after Enter", () => {
    const decoder = new ScannerDecoder();
    const slash = [fromHex("0000380000000000"), fromHex("0000000000000000")];
    expect(feedAll(decoder, [...slash, ...encodeScannerText("AB12")])).toEqual([
      { ok: false, reason: "unreadable scan: a key that is not A-Z, 0-9 or - (usage 0x38)" },
    ]);
    expect(feedAll(decoder, [fromHex("0000"), ...encodeScannerText("AB12")])[0]).toMatchObject({ ok: false });
    expect(feedAll(decoder, encodeScannerText("AB12"))).toEqual([{ ok: true, code: "AB12" }]);
  });

  it("takes the report id of a composite scanner", () => {
    const decoder = new ScannerDecoder({ reportId: 1 });
    const reports = encodeScannerText("Q7").map((r) => Uint8Array.of(1, ...r));
    expect(feedAll(decoder, reports)).toEqual([{ ok: true, code: "Q7" }]);
  });
});
