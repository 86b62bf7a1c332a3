// Splits text into runs that each fit one single-byte code page, so Estonian and Russian share a
// ticket (no code page holds both). The encoder library can do this itself ("auto"), but its
// code page lookup deep-copies a 256-entry table for every character: about 3 ms a line on a fast
// machine. Reverse tables built once make it a map lookup per character.
import CodepageEncoder from "@point-of-sale/codepage-encoder";

type Codepage = Parameters<typeof CodepageEncoder.getEncoding>[0];

export interface CodepageRun {
  codepage: string;
  text: string;
}

/** Epson's portable set (TM-T88IV knows 0..5 and 16..19): cp437, cp850, WPC1252, PC866. */
export const DEFAULT_CODEPAGES = ["cp437", "cp850", "windows1252", "cp866"] as const;

const reverseTables = new Map<string, Map<number, number>>();

function reverseTable(codepage: string): Map<number, number> {
  let table = reverseTables.get(codepage);
  if (!table) {
    table = new Map();
    const codepoints: Array<number | undefined> = CodepageEncoder.getEncoding(
      codepage as Codepage,
    ).codepoints;
    // The first byte for a code point wins: printable ASCII stays ASCII.
    codepoints.forEach((codepoint, byte) => {
      if (codepoint !== undefined && !table?.has(codepoint)) table?.set(codepoint, byte);
    });
    reverseTables.set(codepage, table);
  }
  return table;
}

/** Whether a code page can print this character. */
export function canEncode(codepage: string, char: string): boolean {
  return reverseTable(codepage).has(char.codePointAt(0) ?? -1);
}

/**
 * Runs of text, each in one code page: keep the current page while it fits, else the first
 * candidate that has the character; a character no candidate has stays in the current run (the
 * printer prints "?" for it).
 */
export function splitIntoCodepageRuns(
  text: string,
  candidates: readonly string[] = DEFAULT_CODEPAGES,
): CodepageRun[] {
  const runs: CodepageRun[] = [];
  let current: CodepageRun | undefined;
  for (const char of text) {
    const fits = (cp: string) => reverseTable(cp).has(char.codePointAt(0) ?? -1);
    let codepage = current && fits(current.codepage) ? current.codepage : candidates.find(fits);
    codepage ??= current?.codepage ?? candidates[0] ?? "cp437";
    if (!current || current.codepage !== codepage) {
      current = { codepage, text: "" };
      runs.push(current);
    }
    current.text += char;
  }
  return runs;
}
