// A three-language queue ticket as the controller's encoder would produce it, per printer model.

import ReceiptPrinterEncoder from "@point-of-sale/receipt-printer-encoder";
import { lineText, type PrintedTicket } from "../../../simulators/printer/ticket.js";

export const MODELS = ["epson-tm-t20iii", "epson-tm-t88vi", "pos-5890"] as const;
export type Model = (typeof MODELS)[number];

export const TEXTS = ["Pensionid õäöüšž", "Пенсии", "Pensions"] as const;
export const NUMBER = "A023";
export const QR = "https://vooru.example/t/2024-05-01/A023?lang=et";

export function ticketBytes(model: Model, align: "left" | "center" = "left"): Uint8Array {
  const e = new ReceiptPrinterEncoder({ printerModel: model }).initialize().codepage("auto").align(align);
  for (const t of TEXTS) e.line(t);
  return e
    .size(4, 4)
    .line(NUMBER)
    .size(1, 1)
    .bold(true)
    .line("Ootel 3")
    .bold(false)
    .qrcode(QR)
    .cut()
    .encode();
}

/** Texts of the non-blank lines. */
export function texts(ticket: PrintedTicket): string[] {
  return ticket.lines.map(lineText).filter((t) => t.trim() !== "");
}

export function bytes(...parts: Array<number[] | Uint8Array | string>): Uint8Array {
  const out: number[] = [];
  for (const p of parts) {
    if (typeof p === "string") out.push(...Buffer.from(p, "latin1"));
    else out.push(...p);
  }
  return Uint8Array.from(out);
}
