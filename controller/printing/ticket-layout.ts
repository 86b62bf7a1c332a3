// The printed ticket: office, the service in the office's languages, the number big, date and
// time, people ahead and the wait range, an optional QR and footer. Texts come from the config;
// the encoder switches code pages per run of text, so Estonian and Russian share one ticket.
import ReceiptPrinterEncoder, {
  type ReceiptPrinterEncoderOptions,
} from "@point-of-sale/receipt-printer-encoder";
import { splitIntoCodepageRuns } from "../../protocols/escpos/codepage-runs.js";
import { cut, printNvLogo } from "../../protocols/escpos/commands.js";
import type { PrinterProfile } from "../../protocols/escpos/profiles.js";
import type { Language, OfficeConfig } from "../config/schema.js";
import type { TicketView } from "../queue/core/queue.js";

const ALIGN_CENTER = [0x1b, 0x61, 0x01];
const ALIGN_LEFT = [0x1b, 0x61, 0x00];

export interface TicketContent {
  ticket: Pick<
    TicketView,
    "id" | "number" | "service" | "issuedAt" | "ahead" | "estimatedWait" | "token" | "appointmentAt"
  >;
  /** When printed (epoch ms): a reprint shows the time of the reprint. */
  now: number;
  /** The follow page's base (controller/follow/): the QR is then <followUrl>/t/<token>. */
  followUrl?: string | undefined;
}

type Texts = Partial<Record<Language, string | undefined>>;

/** A checked-in appointment's line (controller/appointments/): "Broneeritud aeg 10:30". */
const APPOINTMENT_LABELS: Record<Language, string> = {
  et: "Broneeritud aeg",
  en: "Appointment",
  ru: "Запись на",
};

function pick(texts: Texts, language: Language): string | undefined {
  return texts[language];
}

/** "25.11.2026 09:14" in the office's time zone: how dates are written in Estonia. */
export function localDateTime(epochMs: number, timeZone: string): string {
  const parts: Record<string, string> = {};
  const format = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  });
  for (const p of format.formatToParts(new Date(epochMs))) parts[p.type] = p.value;
  return `${parts.day}.${parts.month}.${parts.year} ${parts.hour}:${parts.minute}`;
}

export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => encodeURIComponent(values[key] ?? whole));
}

/** The lines of text a ticket carries, in print order (also what the tests and pages show). */
export function ticketTexts(config: OfficeConfig, content: TicketContent) {
  const { office, ticket: layout } = config;
  const service = config.services.find((s) => s.id === content.ticket.service);
  const languages = office.languages;
  const officeName = languages.map((l) => pick(office.name, l)).find(Boolean) ?? office.id;
  const serviceNames = languages
    .map((l) => (service ? pick(service.names, l) : undefined) ?? "")
    .filter(Boolean);
  const waitLines: string[] = [];
  const { ahead, estimatedWait } = content.ticket;
  if (ahead !== undefined && estimatedWait)
    for (const l of languages) {
      const aheadLabel = pick(layout.aheadLabel, l);
      const waitLabel = pick(layout.waitLabel, l);
      if (!aheadLabel || !waitLabel) continue;
      // A plain hyphen: an en dash would cost a code page switch on every line.
      const range = `${estimatedWait.minMinutes}-${estimatedWait.maxMinutes} ${pick(layout.minutes, l) ?? "min"}`;
      waitLines.push(`${aheadLabel} ${ahead}, ${waitLabel} ${range}`);
    }
  const footer = languages.map((l) => pick(layout.footer, l)).filter((t): t is string => Boolean(t));
  const { appointmentAt } = content.ticket;
  const appointmentLines =
    appointmentAt === undefined
      ? []
      : languages.map(
          (l) => `${APPOINTMENT_LABELS[l]} ${localDateTime(appointmentAt, office.timeZone).slice(11)}`,
        );
  const { token } = content.ticket;
  const qr =
    content.followUrl && token
      ? `${content.followUrl}/t/${token}`
      : layout.qrUrl
        ? fillTemplate(layout.qrUrl, {
            office: office.id,
            number: content.ticket.number,
            ticket: content.ticket.id,
            ...(token ? { token } : {}),
          })
        : null;
  return {
    officeName,
    serviceNames,
    number: content.ticket.number,
    dateTime: localDateTime(content.now, office.timeZone),
    waitLines,
    ...(appointmentLines.length > 0 ? { appointmentLines } : {}),
    qr,
    footer,
  };
}

type Encoder = ReceiptPrinterEncoder;
type EncoderCodepage = Parameters<Encoder["codepage"]>[0];

/** One line of text, each run of it in a code page that holds it (see codepage-runs.ts). */
function textLine(e: Encoder, text: string): Encoder {
  let out = e;
  for (const run of splitIntoCodepageRuns(text))
    out = out.codepage(run.codepage as EncoderCodepage).text(run.text);
  return out.newline();
}

/** ESC/POS bytes of one ticket for a printer profile: initialise ... cut (the driver adds the barrier). */
export function encodeTicket(
  config: OfficeConfig,
  profile: PrinterProfile,
  content: TicketContent,
): Uint8Array {
  const t = ticketTexts(config, content);
  // Profiles name the encoder's model by id; the profile tests check each id against its list.
  const printerModel = profile.encoderModel as ReceiptPrinterEncoderOptions["printerModel"];
  const encoder = new ReceiptPrinterEncoder({ printerModel, columns: profile.columns });
  // The printer centres (ESC a 1), so the encoder need not pad every line with spaces.
  let e = encoder.initialize().raw(ALIGN_CENTER);
  if (config.ticket.nvLogo && profile.nvLogo)
    e = e.raw(printNvLogo(config.ticket.nvLogo.kc1, config.ticket.nvLogo.kc2));
  e = textLine(e.bold(true), t.officeName).bold(false);
  for (const name of t.serviceNames) e = textLine(e, name);
  // The number as large as the paper allows: 4x on 58 mm still fits "AB123".
  e = textLine(e.size(4, 4).bold(true), t.number).bold(false).size(1, 1);
  e = textLine(e, t.dateTime);
  for (const line of t.appointmentLines ?? []) e = textLine(e.bold(true), line).bold(false);
  for (const line of t.waitLines) e = textLine(e, line);
  if (t.qr && profile.qr) e = e.qrcode(t.qr, 2, profile.paperWidthMm === 58 ? 4 : 6, "m");
  for (const line of t.footer) e = textLine(e, line);
  e = e.raw(ALIGN_LEFT).raw(cut(false, 3));
  return e.encode();
}

/**
 * A short slip that is not a ticket (a kiosk scanner's refusal): the office's name and the lines,
 * centred, then a cut. No number: nobody can take it for a place in the queue.
 */
export function encodeNotice(
  config: OfficeConfig,
  profile: PrinterProfile,
  lines: readonly string[],
): Uint8Array {
  const printerModel = profile.encoderModel as ReceiptPrinterEncoderOptions["printerModel"];
  let e = new ReceiptPrinterEncoder({ printerModel, columns: profile.columns })
    .initialize()
    .raw(ALIGN_CENTER);
  const office = pick(config.office.name, config.office.languages[0] ?? "et") ?? "";
  if (office) e = textLine(e.bold(true), office).bold(false);
  for (const line of lines) e = textLine(e, line);
  return e.raw(ALIGN_LEFT).raw(cut(false, 3)).encode();
}
