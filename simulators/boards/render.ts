// What the web dashboard shows of a simulated LED board: a self-contained SVG (no fonts, scripts
// or external references) so it can be inlined in a page or saved as a file as it is.

import { segmentCells } from "../../protocols/boards/led-digits.js";

export interface BoardSvgOptions {
  /**
   * Character cells; by default as many as the text needs (on seven segments a "." takes no cell
   * of its own). Longer text is cut, shorter padded.
   */
  digits?: number;
  style: "seven-segment" | "matrix";
  /** Blinks the lit LEDs (SMIL animation, so it needs no script). */
  flashing?: boolean;
}

const LIT = "#ff2d1a";
const UNLIT = "#2a0806"; // unlit segments stay faintly visible, as on a real board
const BACKGROUND = "#0b0b0b";

// Hexagonal segments in a 50 x 90 cell: horizontal ones at y = 5, 45, 85; vertical ones at x = 5, 45.
function horizontal(y: number): string {
  return `7,${y} 11,${y - 4} 39,${y - 4} 43,${y} 39,${y + 4} 11,${y + 4}`;
}
function vertical(x: number, y0: number): string {
  return `${x},${y0} ${x + 4},${y0 + 4} ${x + 4},${y0 + 34} ${x},${y0 + 38} ${x - 4},${y0 + 34} ${x - 4},${y0 + 4}`;
}
/** Segments a..g in the font's bit order (bit 0 = a ... bit 6 = g). */
const SEGMENTS = [
  horizontal(5),
  vertical(45, 7),
  vertical(45, 47),
  horizontal(85),
  vertical(5, 47),
  vertical(5, 7),
  horizontal(45),
];
const DP = 0x80;

/** Control codes (a "\n" from a two-line Alpha text, say) become spaces: XML cannot carry most of them. */
function escapeXml(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control codes is the point
  return text.replace(/[\x00-\x1f\x7f]/g, " ").replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function fitText(text: string, digits: number): string {
  return [...text].slice(0, digits).join("").padEnd(digits, " ");
}

function blink(flashing: boolean | undefined): string {
  return flashing
    ? `<animate attributeName="opacity" values="1;0" dur="1s" calcMode="discrete" repeatCount="indefinite"/>`
    : "";
}

function sevenSegment(text: string, digits: number, flashing: boolean | undefined): string {
  const cellWidth = 60;
  const width = digits * cellWidth + 20;
  const height = 120;
  const dark: string[] = [];
  const lit: string[] = [];
  // The protocol's font, so the picture matches what a real module or MAX7219 draws; "." lights
  // the decimal point of the cell before it.
  segmentCells(text, digits).forEach((code, i) => {
    const at = `translate(${15 + i * cellWidth} 15) skewX(-6)`;
    SEGMENTS.forEach((points, bit) => {
      (code & (1 << bit) ? lit : dark).push(`<polygon transform="${at}" points="${points}"/>`);
    });
    (code & DP ? lit : dark).push(`<circle transform="${at}" cx="52" cy="86" r="4"/>`);
  });
  return [
    svgOpen(width, height, text),
    `<g fill="${UNLIT}">${dark.join("")}</g>`,
    `<g fill="${LIT}" class="lit">${blink(flashing)}${lit.join("")}</g>`,
    "</svg>",
  ].join("");
}

function matrix(text: string, digits: number, flashing: boolean | undefined): string {
  // A 5x7 character plus spacing is about 6 x 8 LEDs; the dot grid suggests the matrix.
  const cellWidth = 36;
  const width = digits * cellWidth + 24;
  const height = 72;
  return [
    svgOpen(width, height, text),
    `<defs><pattern id="led" width="6" height="6" patternUnits="userSpaceOnUse">`,
    `<circle cx="3" cy="3" r="2" fill="${UNLIT}"/></pattern></defs>`,
    `<rect x="6" y="6" width="${width - 12}" height="${height - 12}" fill="url(#led)"/>`,
    `<text class="lit" x="12" y="${height / 2}" dominant-baseline="central" fill="${LIT}"`,
    ` font-family="monospace" font-weight="bold" font-size="56" textLength="${digits * cellWidth}"`,
    ` lengthAdjust="spacingAndGlyphs" xml:space="preserve">${blink(flashing)}${escapeXml(text)}</text>`,
    "</svg>",
  ].join("");
}

function svgOpen(width: number, height: number, text: string): string {
  const label = escapeXml(text.trimEnd());
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}" role="img" aria-label="${label}"><title>${label}</title>` +
    `<rect width="${width}" height="${height}" rx="8" fill="${BACKGROUND}"/>`
  );
}

/** A red LED board showing `text`: seven-segment digits drawn from segments, or a dot matrix. */
export function renderBoardSvg(text: string, options: BoardSvgOptions): string {
  if (options.style === "matrix") {
    const digits = Math.max(1, options.digits ?? [...text].length);
    return matrix(fitText(text, digits), digits, options.flashing);
  }
  const digits = Math.max(1, options.digits ?? [...text.replace(/(?<=[^.])\./g, "")].length);
  return sevenSegment(text, digits, options.flashing);
}
