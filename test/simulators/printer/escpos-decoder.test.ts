import ReceiptPrinterEncoder from "@point-of-sale/receipt-printer-encoder";
import { describe, expect, it } from "vitest";
import { initialize, printNvLogo, processIdRequest } from "../../../protocols/escpos/commands.js";
import { decodeEscPos, EscPosDecoder } from "../../../simulators/printer/escpos-decoder.js";
import { lineText, type PrintedTicket, TicketAssembler } from "../../../simulators/printer/ticket.js";
import { bytes, MODELS, NUMBER, QR, TEXTS, texts, ticketBytes } from "./fixtures.js";

/** `ESC t n` values present in a byte stream. */
function codepagesSelected(data: Uint8Array): number[] {
  const seen = new Set<number>();
  for (let i = 0; i + 2 < data.length; i++)
    if (data[i] === 0x1b && data[i + 1] === 0x74) seen.add(data[i + 2]!);
  return [...seen].sort((a, b) => a - b);
}

function decodeInChunks(data: Uint8Array, cuts: number[]): PrintedTicket[] {
  const decoder = new EscPosDecoder();
  const assembler = new TicketAssembler();
  let from = 0;
  for (const to of [...cuts, data.length]) {
    for (const e of decoder.push(data.subarray(from, to))) assembler.apply(e);
    from = to;
  }
  return assembler.done;
}

describe.each(MODELS)("ticket encoded for %s", (model) => {
  const data = ticketBytes(model);

  it("switches code pages the decoder knows (cp437, cp850, WPC1252, PC866)", () => {
    expect(codepagesSelected(data)).toEqual([0, 2, 16, 17]);
  });

  it("decodes the text byte-exact, the 4x4 number, the QR payload and one cut", () => {
    const { tickets, unknownCommands } = decodeEscPos(data);
    expect(unknownCommands).toBe(0);
    expect(tickets).toHaveLength(1);
    const ticket = tickets[0]!;
    expect(texts(ticket)).toEqual([...TEXTS, NUMBER, "Ootel 3"]);
    const numberLine = ticket.lines.find((l) => lineText(l) === NUMBER)!;
    expect(numberLine.segments).toEqual([
      { text: NUMBER, bold: false, underline: false, width: 4, height: 4 },
    ]);
    const boldLine = ticket.lines.find((l) => lineText(l) === "Ootel 3")!;
    expect(boldLine.segments[0]!.bold).toBe(true);
    expect(ticket.qr).toEqual([QR]);
    expect(ticket.cut).toBe("full");
  });

  it("gives the same tickets however the bytes are split", () => {
    const whole = decodeInChunks(data, []);
    for (let at = 1; at < data.length; at++) expect(decodeInChunks(data, [at])).toEqual(whole);
    const oneByOne = Array.from({ length: data.length - 1 }, (_, i) => i + 1);
    expect(decodeInChunks(data, oneByOne)).toEqual(whole);
  });

  it("decodes centred text with the encoder's padding", () => {
    const ticket = decodeEscPos(ticketBytes(model, "center")).tickets[0]!;
    expect(texts(ticket).map((t) => t.trim())).toEqual([...TEXTS, NUMBER, "Ootel 3"]);
  });
});

describe("EscPosDecoder", () => {
  it("decodes WPC1251 (46) and WPC1257 (51) as the encoder emits them", () => {
    const e = new ReceiptPrinterEncoder({ printerModel: "epson-tm-t88vi" }).initialize();
    const data = e
      .codepage("windows1251")
      .line("Пенсии")
      .codepage("windows1257")
      .line("õäöüšž")
      .cut()
      .encode();
    expect(codepagesSelected(data)).toEqual(expect.arrayContaining([46, 51]));
    expect(texts(decodeEscPos(data).tickets[0]!)).toEqual(["Пенсии", "õäöüšž"]);
  });

  it("resets modes and code page on ESC @", () => {
    const data = bytes(
      [0x1b, 0x74, 17, 0x1b, 0x45, 1, 0x1d, 0x21, 0x11],
      [0x8f, 0x0a],
      initialize(),
      [0x8f, 0x0a],
    );
    const { pending } = decodeEscPos(data);
    expect(pending.lines.map((l) => l.segments[0])).toEqual([
      { text: "П", bold: true, underline: false, width: 2, height: 2 },
      { text: "Å", bold: false, underline: false, width: 1, height: 1 },
    ]);
  });

  it("handles print modes, alignment, feeds and partial cuts", () => {
    const data = bytes(
      [0x1b, 0x61, 1, 0x1b, 0x21, 0x38],
      "Big",
      [0x1b, 0x21, 0, 0x1b, 0x2d, 1],
      "u",
      [0x1b, 0x64, 2, 0x1b, 0x61, 2],
      "r\n",
      [0x1d, 0x56, 0x42, 3],
    );
    const ticket = decodeEscPos(data).tickets[0]!;
    expect(ticket.cut).toBe("partial");
    expect(ticket.lines).toEqual([
      {
        align: "center",
        segments: [
          { text: "Big", bold: true, underline: false, width: 2, height: 2 },
          { text: "u", bold: false, underline: true, width: 1, height: 1 },
        ],
      },
      { align: "center", segments: [] },
      { align: "right", segments: [{ text: "r", bold: false, underline: true, width: 1, height: 1 }] },
    ]);
  });

  it("records NV logos, counts raster bytes and reports queries in order", () => {
    const raster = bytes([0x1d, 0x76, 0x30, 0, 2, 0, 3, 0], new Uint8Array(6).fill(0xff));
    const data = bytes(
      printNvLogo(0x41, 0x42),
      raster,
      "x\n",
      processIdRequest("0001"),
      [0x1d, 0x72, 1, 0x1d, 0x56, 0],
    );
    const { tickets, events } = decodeEscPos(data);
    expect(tickets[0]!.logos).toEqual([{ kc1: 0x41, kc2: 0x42 }]);
    expect(tickets[0]!.rasterBytes).toBe(6);
    expect(events.map((e) => (e.type === "query" ? e.query.type : e.type))).toEqual([
      "logo",
      "raster",
      "line",
      "processId",
      "transmitStatus",
      "cut",
    ]);
  });

  it("answers DLE EOT even inside image data, and skips it as a command", () => {
    const raster = bytes([0x1d, 0x76, 0x30, 0, 3, 0, 1, 0], [0x10, 0x04, 0x01]);
    const { events, tickets } = decodeEscPos(bytes(raster, [0x10, 0x04, 0x04], "A\n", [0x1d, 0x56, 1]));
    const queries = events.filter((e) => e.type === "query");
    expect(queries).toEqual([
      { type: "query", query: { type: "dleEot", n: 1 } },
      { type: "query", query: { type: "dleEot", n: 4 } },
    ]);
    expect(texts(tickets[0]!)).toEqual(["A"]);
  });

  it("skips barcodes, Kanji mode switches and other known commands without text leaking", () => {
    const data = bytes(
      [
        0x1c, 0x2e, 0x1b, 0x4d, 1, 0x1d, 0x42, 0, 0x1b, 0x32, 0x1b, 0x33, 30, 0x1b, 0x4a, 10, 0x1d, 0x4c, 0,
        0,
      ],
      [0x1d, 0x57, 0, 2, 0x1d, 0x48, 2, 0x1d, 0x68, 80, 0x1d, 0x77, 3],
      [0x1d, 0x6b, 4],
      "*123*",
      [0, 0x1d, 0x6b, 73, 4],
      "{B12",
      [0x1d, 0x28, 0x6b, 3, 0, 0x31, 0x43, 6, 0x1d, 0x61, 0, 0x10, 0x04, 0x14],
      "ok\n",
      [0x1d, 0x56, 0x30],
    );
    const { tickets, unknownCommands } = decodeEscPos(data);
    expect(unknownCommands).toBe(0);
    expect(texts(tickets[0]!)).toEqual(["ok"]);
    expect(tickets[0]!.qr).toEqual([]); // size set, nothing stored or printed
  });

  it("counts unknown commands and loses only their two bytes", () => {
    const { pending, unknownCommands } = decodeEscPos(bytes([0x1b, 0x01], "AB", [0x1d, 0x02], "C\n"));
    expect(unknownCommands).toBe(2);
    expect(texts(pending)).toEqual(["ABC"]);
  });

  it("decodes Shift JIS in Kanji mode", () => {
    const data = bytes([0x1c, 0x43, 1, 0x1c, 0x26, 0x82, 0xa0], "A", [0x1c, 0x2e, 0x0a]);
    expect(texts(decodeEscPos(data).pending)).toEqual(["あA"]);
  });

  it("uses a clone's code page numbering when given one", () => {
    const data = bytes([0x1b, 0x74, 7, 0x8f, 0x0a]);
    expect(texts(decodeEscPos(data, { codepages: { 0: "cp437", 7: "cp866" } }).pending)).toEqual(["П"]);
    const epson = new EscPosDecoder();
    epson.push(bytes([0x1b, 0x74, 99]));
    expect(epson.unknownCodepages).toBe(1);
  });
});
