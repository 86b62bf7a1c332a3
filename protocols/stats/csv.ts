// Tables of a statistics report as CSV (RFC 4180: comma-separated, CRLF, quotes doubled), the same
// for `vooru report --csv` and the page's downloads.
import type { FiguresPayload } from "../mqtt/stats-schemas.js";

export type CsvValue = string | number | null | undefined;

function cell(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return `${[header, ...rows].map((row) => row.map(cell).join(",")).join("\r\n")}\r\n`;
}

/** The columns of a figures row, flat: waitMinutes.p90 becomes wait_p90_min. */
export const FIGURE_COLUMNS = [
  "issued",
  "served",
  "no_shows",
  "no_show_pct",
  "cancelled",
  "reissued",
  "reissued_pct",
  "transferred",
  "parked",
  "recalled",
  "expired",
  "open",
  "voided",
  "wait_mean_min",
  "wait_p50_min",
  "wait_p90_min",
  "wait_max_min",
  "walk_mean_min",
  "service_mean_min",
  "service_p50_min",
  "service_p90_min",
  "within_target",
  "over_target",
  "service_level_pct",
] as const;

export function figureCells(f: FiguresPayload): CsvValue[] {
  return [
    f.issued,
    f.served,
    f.noShows,
    f.noShowPercent,
    f.cancelled,
    f.reissued,
    f.reissuedPercent,
    f.transferred,
    f.parked,
    f.recalled,
    f.expired,
    f.open,
    f.voided,
    f.waitMinutes.mean,
    f.waitMinutes.p50,
    f.waitMinutes.p90,
    f.waitMinutes.max,
    f.walkMinutes.mean,
    f.serviceMinutes.mean,
    f.serviceMinutes.p50,
    f.serviceMinutes.p90,
    f.withinTarget,
    f.overTarget,
    f.serviceLevelPercent,
  ];
}

/** A grouped table: the group's key first, then the figures. */
export function groupsCsv(keyName: string, rows: readonly (FiguresPayload & { key: string })[]): string {
  return toCsv(
    [keyName, ...FIGURE_COLUMNS],
    rows.map((r) => [r.key, ...figureCells(r)]),
  );
}

/** RFC 4180 parse, for tests and for anyone reading our files back. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
