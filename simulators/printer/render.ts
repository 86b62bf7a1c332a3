// Pictures of a printed ticket, for test failure messages, the CLI and the dashboard.
// The ticket model keeps lines, QR codes and logos apart (not their relative order), so both
// renderings draw logos first, then the text lines, then QR codes, then a note of image data,
// then the cut: the usual layout of a queue ticket.

import type { PrintedLine, PrintedSegment, PrintedTicket } from "./ticket.js";

/**
 * Plain text, `columns` wide, aligned like the paper. A character printed w times wide takes w
 * columns and is shown as the character followed by w - 1 spaces ("A023" at 4x4 reads
 * "A   0   2   3   "), so widths and centring stay true; height is not shown. Over-long lines
 * wrap as the printer wraps them. Logos, QR codes and images are bracketed labels such as
 * "[QR https://...]", wrapped to the width. A full cut is a line of "=", a partial cut a line of "-".
 */
export function renderTicketText(ticket: PrintedTicket, columns: number): string {
  const out: string[] = [];
  // Labels wrap like text does, so no rendered line is wider than the paper.
  const centre = (s: string): void => {
    const chars = [...s];
    for (let k = 0; k < chars.length; k += columns) {
      const row = chars.slice(k, k + columns).join("");
      out.push(align(row, [...row].length, columns, "center"));
    }
  };
  for (const logo of ticket.logos) centre(`[logo ${logo.kc1}/${logo.kc2}]`);
  for (const line of ticket.lines) {
    for (const row of wrap(line, columns)) out.push(align(row.text, row.width, columns, line.align));
  }
  for (const qr of ticket.qr) centre(`[QR ${qr}]`);
  if (ticket.rasterBytes > 0) centre(`[image ${ticket.rasterBytes} bytes]`);
  out.push((ticket.cut === "full" ? "=" : "-").repeat(columns));
  return out.map((s) => s.trimEnd()).join("\n");
}

function spread(segment: PrintedSegment): string {
  const pad = " ".repeat(Math.max(0, segment.width - 1));
  return pad ? [...segment.text].map((ch) => ch + pad).join("") : segment.text;
}

function wrap(line: PrintedLine, columns: number): Array<{ text: string; width: number }> {
  const rows: Array<{ text: string; width: number }> = [{ text: "", width: 0 }];
  for (const segment of line.segments) {
    for (const ch of segment.text) {
      let row = rows.at(-1) as { text: string; width: number };
      if (row.width + segment.width > columns && row.width > 0) {
        row = { text: "", width: 0 };
        rows.push(row);
      }
      row.text += spread({ ...segment, text: ch });
      row.width += segment.width;
    }
  }
  return rows;
}

function align(text: string, width: number, columns: number, how: PrintedLine["align"]): string {
  const free = Math.max(0, columns - width);
  const left = how === "center" ? Math.floor(free / 2) : how === "right" ? free : 0;
  return " ".repeat(left) + text;
}

export interface SvgOptions {
  widthMm: 58 | 80;
}

// Printable width and font A columns of common 58 and 80 mm printers (203 dpi, 12x24 dots).
const PAPER = { 58: { printable: 48, columns: 32 }, 80: { printable: 72, columns: 48 } } as const;

/** A self-contained SVG in millimetres that looks like the paper. */
export function renderTicketSvg(ticket: PrintedTicket, options: SvgOptions): string {
  const { printable, columns } = PAPER[options.widthMm];
  const paper = options.widthMm;
  const margin = (paper - printable) / 2;
  const cell = printable / columns;
  const lineH = cell * 2; // font A is twice as tall as wide
  const body: string[] = [];
  let y = margin;
  const box = (h: number, label: string, detail: string, dash: boolean): void => {
    const w = Math.min(h, printable);
    const x = (paper - w) / 2;
    const stroke = dash ? ' stroke-dasharray="1 0.6"' : "";
    body.push(
      `<rect x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${n(h)}" fill="#f4f4f4" stroke="#222" stroke-width="0.3"${stroke}/>`,
      `<text x="${n(paper / 2)}" y="${n(y + h / 2)}" font-size="${n(lineH)}" font-weight="bold" text-anchor="middle">${esc(label)}</text>`,
    );
    // The detail (a QR payload can be long) wraps inside the box: monospace advance is ~0.6 em.
    const size = lineH * 0.45;
    const perRow = Math.max(1, Math.floor((w * 0.9) / (size * 0.6)));
    const chars = [...detail];
    for (let k = 0, row = 0; k < chars.length; k += perRow, row++) {
      const part = chars.slice(k, k + perRow).join("");
      const ty = y + h / 2 + lineH + row * size * 1.2;
      body.push(
        `<text x="${n(paper / 2)}" y="${n(ty)}" font-size="${n(size)}" text-anchor="middle">${esc(part)}</text>`,
      );
    }
    y += h + lineH / 2;
  };
  for (const logo of ticket.logos) box(lineH * 3, "LOGO", `NV graphics ${logo.kc1}/${logo.kc2}`, true);
  for (const line of ticket.lines) {
    const height = Math.max(1, ...line.segments.map((s) => s.height));
    y += lineH * height;
    const total = line.segments.reduce((sum, s) => sum + [...s.text].length * s.width, 0) * cell;
    let x =
      margin +
      (line.align === "center" ? (printable - total) / 2 : line.align === "right" ? printable - total : 0);
    for (const s of line.segments) {
      const w = [...s.text].length * s.width * cell;
      if (s.text.trim() !== "") body.push(textSvg(s, x, y - lineH * 0.2 * s.height, w, lineH * s.height));
      x += w;
    }
  }
  for (const qr of ticket.qr) {
    y += lineH / 2;
    box(printable * 0.45, "QR", qr, false);
  }
  if (ticket.rasterBytes > 0) box(lineH * 2, "IMAGE", `${ticket.rasterBytes} bytes of raster data`, true);
  y += lineH;
  const cutLabel = ticket.cut === "full" ? "cut" : "partial cut";
  body.push(
    `<line x1="0" y1="${n(y)}" x2="${n(paper)}" y2="${n(y)}" stroke="#888" stroke-width="0.3" stroke-dasharray="1.5 1"/>`,
    `<text x="${n(paper - 1)}" y="${n(y - 0.8)}" font-size="2" fill="#888" text-anchor="end">${cutLabel}</text>`,
  );
  const height = y + 2;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${paper}mm" height="${n(height)}mm" viewBox="0 0 ${paper} ${n(height)}" font-family="DejaVu Sans Mono, Consolas, monospace">`,
    `<rect x="0" y="0" width="${paper}" height="${n(height)}" fill="#fffef8" stroke="#ccc" stroke-width="0.2"/>`,
    ...body,
    "</svg>",
  ].join("\n");
}

/** One segment, stretched to exactly its printed width so wide characters look wide. */
function textSvg(s: PrintedSegment, x: number, baseline: number, width: number, size: number): string {
  const weight = s.bold ? ' font-weight="bold"' : "";
  const underline = s.underline ? ' text-decoration="underline"' : "";
  return (
    `<text x="${n(x)}" y="${n(baseline)}" font-size="${n(size)}" textLength="${n(width)}" ` +
    `lengthAdjust="spacingAndGlyphs" xml:space="preserve"${weight}${underline}>${esc(s.text)}</text>`
  );
}

function n(v: number): string {
  return String(Math.round(v * 100) / 100);
}

function esc(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
