// Boards carry plain ASCII, one character per cell: ticket text ("A023 → 4") is folded to that here,
// the same way for every codec, so what the waiting room sees does not depend on the vendor.

/**
 * One display cell per element, each printable ASCII (0x20..0x7E) unless `arrow` says otherwise:
 * diacritics dropped (Estonian Õ Ä Ö Ü Š Ž -> O A O U S Z), "→" replaced by the `arrow` cells,
 * tabs by a space, anything else by "?". Line breaks are the caller's business (split first).
 */
export function asciiCells(text: string, arrow: readonly string[]): string[] {
  const cells: string[] = [];
  for (const ch of text.normalize("NFD")) {
    const code = ch.codePointAt(0) ?? 0;
    if (code >= 0x0300 && code <= 0x036f) continue; // combining mark left by NFD
    if (ch === "→") cells.push(...arrow);
    else if (code >= 0x20 && code <= 0x7e) cells.push(ch);
    else if (ch === "\t") cells.push(" ");
    else cells.push("?");
  }
  return cells;
}

/**
 * Fits cells to `width`: a ticket such as "A023" must show whole, so text is left-aligned and only
 * what does not fit is cut, from the right; `pad` fills the rest with spaces (fixed-cell boards).
 */
export function fitCells(cells: readonly string[], width: number, pad: boolean): string[] {
  const out = cells.slice(0, width);
  while (pad && out.length < width) out.push(" ");
  return out;
}

export function assertIntIn(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer in ${min}..${max}, got ${String(value)}`);
  }
}
