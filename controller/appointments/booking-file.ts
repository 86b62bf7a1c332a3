// Reading a booking system's export for `vooru appointments import` (pure, strict: every line that
// is not understood is an error naming its line, and a file with any error is not imported).
//
// CSV: a header line naming the columns code, service, at (in any order, no others), then one
// booking a line; fields are separated by commas and not quoted; blank lines are skipped.
// `at` is ISO 8601 with Z or an offset (2026-12-08T10:30:00+02:00), or a local time
// (2026-12-08T10:30 or 2026-12-08 10:30[:00]) in the office's time zone.
//
// iCalendar (RFC 5545): each VEVENT is a booking. The code is SUMMARY if it is code-shaped and has
// a digit, else UID (or UID's part before "@"), likewise; the service is the first of CATEGORIES, else --service; the
// time is DTSTART: UTC (20261208T103000Z), with TZID=<IANA zone>, or floating (the office's
// zone). A date without a time is refused. STATUS:CANCELLED events are skipped. Folded lines
// (a continuation line starting with a space or tab) are unfolded first.
import { BOOKING_CODE } from "./appointment-schema.js";

export interface Booking {
  code: string;
  service: string;
  /** epoch ms */
  at: number;
  /** Where it was read: the line of the CSV row or of the VEVENT's BEGIN. */
  line: number;
}

export interface BookingFile {
  bookings: Booking[];
  errors: Array<{ line: number; message: string }>;
  /** Events skipped on purpose (cancelled), with why. */
  skipped: Array<{ line: number; message: string }>;
}

const SERVICE = /^[A-Za-z0-9_-]{1,32}$/;
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;
const ICS_TIME = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(Z?)$/;

/** Epoch ms of a wall-clock time in an IANA zone (summer time included); NaN if it is not a time. */
export function zonedTime(parts: number[], timeZone: string): number {
  const [y = 0, mo = 1, d = 1, h = 0, mi = 0, s = 0] = parts;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return Number.NaN;
  const guess = Date.UTC(y, mo - 1, d, h, mi, s);
  if (new Date(guess).getUTCDate() !== d) return Number.NaN;
  let at = guess;
  // Two rounds settle the offset, also next to a change of summer time.
  for (let i = 0; i < 2; i++) at = guess - offsetMs(at, timeZone);
  return at;
}

function offsetMs(at: number, timeZone: string): number {
  const f = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
  const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, Number(x.value)]));
  const local = Date.UTC(
    p.year ?? 0,
    (p.month ?? 1) - 1,
    p.day ?? 1,
    p.hour ?? 0,
    p.minute ?? 0,
    p.second ?? 0,
  );
  return local - Math.floor(at / 1000) * 1000;
}

function validZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** A CSV `at`: ISO with a zone, or a local time in the office's zone. */
export function parseCsvTime(text: string, timeZone: string): number {
  if (ISO_WITH_ZONE.test(text)) return Date.parse(text);
  const m = LOCAL.exec(text);
  if (!m) return Number.NaN;
  return zonedTime(
    m.slice(1).map((x) => Number(x ?? 0)),
    timeZone,
  );
}

const normalCode = (text: string) => text.trim().toUpperCase();

export function parseBookingsCsv(text: string, timeZone: string): BookingFile {
  const out: BookingFile = { bookings: [], errors: [], skipped: [] };
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const headerAt = lines.findIndex((l) => l.trim() !== "");
  if (headerAt < 0) return { ...out, errors: [{ line: 1, message: "the file is empty" }] };
  const header = (lines[headerAt] ?? "").split(",").map((h) => h.trim().toLowerCase());
  const col = (name: string) => header.indexOf(name);
  if (header.length !== 3 || col("code") < 0 || col("service") < 0 || col("at") < 0)
    return {
      ...out,
      errors: [{ line: headerAt + 1, message: "the header must name the columns code,service,at" }],
    };
  for (let i = headerAt + 1; i < lines.length; i++) {
    const raw = lines[i] ?? "";
    if (raw.trim() === "") continue;
    const line = i + 1;
    const fields = raw.split(",").map((f) => f.trim());
    if (fields.length !== 3) {
      out.errors.push({ line, message: `expected 3 fields, found ${fields.length}` });
      continue;
    }
    const code = normalCode(fields[col("code")] ?? "");
    const service = fields[col("service")] ?? "";
    const atText = fields[col("at")] ?? "";
    const at = parseCsvTime(atText, timeZone);
    const problem = check(code, service, at, atText);
    if (problem) out.errors.push({ line, message: problem });
    else out.bookings.push({ code, service, at, line });
  }
  duplicates(out);
  return out;
}

function check(code: string, service: string, at: number, atText: string): string | null {
  if (!BOOKING_CODE.test(code)) return `code "${code}" is not 4 to 32 of A-Z, 0-9 and -`;
  if (!SERVICE.test(service)) return `service "${service}" is not a service id`;
  if (Number.isNaN(at)) return `at "${atText}" is not a time (ISO 8601, or YYYY-MM-DD HH:MM local)`;
  return null;
}

function duplicates(out: BookingFile): void {
  const seen = new Map<string, number>();
  for (const b of out.bookings) {
    const first = seen.get(b.code);
    if (first !== undefined)
      out.errors.push({ line: b.line, message: `code ${b.code} again (first on line ${first})` });
    else seen.set(b.code, b.line);
  }
}

/** Unfolded content lines with the line number each began on. */
function unfold(text: string): Array<{ line: number; text: string }> {
  const out: Array<{ line: number; text: string }> = [];
  text
    .replace(/^\uFEFF/, "")
    .split(/\r?\n/)
    .forEach((raw, i) => {
      const last = out.at(-1);
      if ((raw.startsWith(" ") || raw.startsWith("\t")) && last) last.text += raw.slice(1);
      else if (raw !== "") out.push({ line: i + 1, text: raw });
    });
  return out;
}

/** "NAME;PARAM=V;...:value" -> name, params, value (values unescaped: \, \; \n). */
function contentLine(text: string) {
  const colon = text.indexOf(":");
  const head = colon < 0 ? text : text.slice(0, colon);
  const value = colon < 0 ? "" : text.slice(colon + 1);
  const [name = "", ...params] = head.split(";");
  const paramMap = new Map(
    params.map((p) => {
      const eq = p.indexOf("=");
      return [p.slice(0, eq).toUpperCase(), p.slice(eq + 1).replace(/^"|"$/g, "")] as const;
    }),
  );
  return { name: name.toUpperCase(), params: paramMap, value: value.replace(/\\([,;\\])/g, "$1") };
}

export function parseBookingsIcs(text: string, timeZone: string, defaultService?: string): BookingFile {
  const out: BookingFile = { bookings: [], errors: [], skipped: [] };
  const lines = unfold(text);
  if (lines[0]?.text.trim().toUpperCase() !== "BEGIN:VCALENDAR")
    return { ...out, errors: [{ line: 1, message: "not an iCalendar file (no BEGIN:VCALENDAR)" }] };
  let event: { line: number; fields: Map<string, ReturnType<typeof contentLine>> } | null = null;
  for (const { line, text: raw } of lines) {
    const cl = contentLine(raw.trim());
    if (cl.name === "BEGIN" && cl.value.toUpperCase() === "VEVENT") {
      event = { line, fields: new Map() };
      continue;
    }
    if (cl.name === "END" && cl.value.toUpperCase() === "VEVENT" && event) {
      readEvent(event.line, event.fields, timeZone, defaultService, out);
      event = null;
      continue;
    }
    if (event && !event.fields.has(cl.name)) event.fields.set(cl.name, cl);
  }
  if (event) out.errors.push({ line: event.line, message: "VEVENT without END:VEVENT" });
  duplicates(out);
  return out;
}

function readEvent(
  line: number,
  fields: Map<string, ReturnType<typeof contentLine>>,
  timeZone: string,
  defaultService: string | undefined,
  out: BookingFile,
): void {
  if (fields.get("STATUS")?.value.toUpperCase() === "CANCELLED") {
    out.skipped.push({ line, message: "STATUS:CANCELLED" });
    return;
  }
  const summary = normalCode(fields.get("SUMMARY")?.value ?? "");
  const uid = normalCode(fields.get("UID")?.value ?? "");
  // A title such as "Visit" is code-shaped too: a code taken from SUMMARY or UID has a digit.
  const code = [summary, uid, uid.split("@")[0] ?? ""].find((c) => BOOKING_CODE.test(c) && /\d/.test(c));
  if (!code) {
    out.errors.push({
      line,
      message: "neither SUMMARY nor UID is a booking code (4 to 32 of A-Z, 0-9 and -, with a digit)",
    });
    return;
  }
  const service = (fields.get("CATEGORIES")?.value.split(",")[0] ?? "").trim() || defaultService || "";
  const start = fields.get("DTSTART");
  if (!start) {
    out.errors.push({ line, message: `${code}: no DTSTART` });
    return;
  }
  const m = ICS_TIME.exec(start.value.trim());
  const zone = start.params.get("TZID") ?? timeZone;
  let at = Number.NaN;
  if (!m) out.errors.push({ line, message: `${code}: DTSTART "${start.value}" is not a date and time` });
  else if (!validZone(zone)) out.errors.push({ line, message: `${code}: unknown TZID "${zone}"` });
  else {
    const parts = m.slice(1, 7).map(Number);
    at =
      m[7] === "Z"
        ? Date.UTC(parts[0] ?? 0, (parts[1] ?? 1) - 1, parts[2], parts[3], parts[4], parts[5])
        : zonedTime(parts, zone);
    if (Number.isNaN(at))
      out.errors.push({ line, message: `${code}: DTSTART "${start.value}" is not a time` });
  }
  if (Number.isNaN(at)) return;
  if (!SERVICE.test(service)) {
    out.errors.push({ line, message: `${code}: no service (CATEGORIES, or --service)` });
    return;
  }
  out.bookings.push({ code, service, at, line });
}
