// Ticket printing: bytes of the standard three-language ticket with a QR per printer profile, the
// same ticket from node-thermal-printer and receiptline, what each prints (decoded by the virtual
// printer), the encode time, and the wire time at common baud rates.
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";
import { encodeTicket, type TicketContent, ticketTexts } from "../controller/printing/ticket-layout.js";
import { demoOfficeConfig } from "../demo/demo-config.js";
import { profileById } from "../protocols/escpos/profiles.js";
import { decodeEscPos } from "../simulators/printer/escpos-decoder.js";
import { lineText } from "../simulators/printer/ticket.js";
import { type BenchResult, figure } from "./support.js";

const require = createRequire(import.meta.url);
const CONTENT: TicketContent = {
  ticket: {
    id: "2026-11-25-A023",
    number: "A023",
    service: "pensions",
    issuedAt: Date.UTC(2026, 10, 25, 7, 14),
    ahead: 3,
    estimatedWait: { minMinutes: 10, maxMinutes: 15 },
  },
  now: Date.UTC(2026, 10, 25, 7, 14),
};

function standardConfig() {
  const config = demoOfficeConfig();
  config.ticket.qrUrl = "https://vooru.example/q/{office}/{number}";
  config.ticket.footer = { et: "Tere tulemast!", en: "Welcome!", ru: "Добро пожаловать!" };
  return config;
}

/** The texts that must come out of the printer: every line of the ticket, in its own letters. */
function expectedLines(): string[] {
  const t = ticketTexts(standardConfig(), CONTENT);
  return [t.officeName, ...t.serviceNames, t.number, t.dateTime, ...t.waitLines, ...t.footer];
}

/** Share of the expected lines the virtual printer reads back exactly (Estonian and Cyrillic included). */
function legibility(bytes: Uint8Array): number {
  const decoded = decodeEscPos(bytes);
  const printed = [...decoded.tickets, decoded.pending].flatMap((t) =>
    t.lines.map((l) => lineText(l).trim()),
  );
  const expected = expectedLines();
  return expected.filter((line) => printed.includes(line)).length / expected.length;
}

function nodeThermalPrinterTicket(): Uint8Array {
  const { printer: ThermalPrinter, types, CharacterSet } = require("node-thermal-printer");
  // One code page per ticket is all it offers: Cyrillic wins here, Estonian letters suffer.
  const p = new ThermalPrinter({ type: types.EPSON, width: 48, characterSet: CharacterSet.PC866_CYRILLIC2 });
  const t = ticketTexts(standardConfig(), CONTENT);
  p.alignCenter();
  p.bold(true);
  p.println(t.officeName);
  p.bold(false);
  for (const name of t.serviceNames) p.println(name);
  p.setTextSize(3, 3);
  p.println(t.number);
  p.setTextNormal();
  p.println(t.dateTime);
  for (const line of t.waitLines) p.println(line);
  if (t.qr) p.printQR(t.qr, { cellSize: 6, correction: "M", model: 2 });
  for (const line of t.footer) p.println(line);
  p.cut();
  return new Uint8Array(p.getBuffer());
}

function receiptlineTicket(): Uint8Array {
  const receiptline = require("receiptline");
  const t = ticketTexts(standardConfig(), CONTENT);
  const doc = [
    `"${t.officeName}"`,
    ...t.serviceNames,
    `^^^^${t.number}`,
    t.dateTime,
    ...t.waitLines,
    `{code:${t.qr}; option:qrcode,6,m}`,
    ...t.footer,
  ].join("\n");
  const commands: string = receiptline.transform(doc, {
    cpl: 48,
    encoding: "multilingual",
    command: "escpos",
  });
  return new Uint8Array(Buffer.from(commands, "binary"));
}

/** A full 80 mm ticket sent as a raster image instead: 576 dots wide, about 700 dots tall. */
const RASTER_BYTES = Math.ceil(576 / 8) * 700 + 8;

export async function run(): Promise<BenchResult[]> {
  const config = standardConfig();
  const results: BenchResult[] = [];
  for (const id of ["epson-tm-t20iii", "epson-tm-t88vi", "generic-58mm"]) {
    const bytes = encodeTicket(config, profileById(id), CONTENT);
    results.push(
      figure("printer", `vooru ticket bytes, ${id}`, bytes.length, "bytes", { op: "<", value: 350 }),
    );
    results.push(
      figure("printer", `vooru ticket legible lines, ${id}`, legibility(bytes) * 100, "%", {
        op: ">",
        value: 99.9,
      }),
    );
  }
  const ntp = nodeThermalPrinterTicket();
  results.push(figure("printer", "node-thermal-printer ticket bytes", ntp.length, "bytes"));
  results.push(figure("printer", "node-thermal-printer legible lines", legibility(ntp) * 100, "%"));
  const rl = receiptlineTicket();
  results.push(figure("printer", "receiptline ticket bytes", rl.length, "bytes"));
  results.push(figure("printer", "receiptline legible lines", legibility(rl) * 100, "%"));
  results.push(figure("printer", "the same ticket as a raster image (estimate)", RASTER_BYTES, "bytes"));

  const profile = profileById("epson-tm-t20iii");
  for (let i = 0; i < 200; i++) encodeTicket(config, profile, CONTENT); // warm up
  const rounds = 2000;
  const start = performance.now();
  for (let i = 0; i < rounds; i++) encodeTicket(config, profile, CONTENT);
  results.push(
    figure("printer", "encode one ticket (mean of 2000)", (performance.now() - start) / rounds, "ms"),
  );

  const size = encodeTicket(config, profile, CONTENT).length;
  for (const baud of [9600, 19_200, 115_200])
    results.push(figure("printer", `wire time at ${baud} baud (8N1)`, (size * 10 * 1000) / baud, "ms"));
  results.push(figure("printer", "raster image wire time at 19200 baud", (RASTER_BYTES * 10) / 19_200, "s"));
  return results;
}
