// Byte -> text for the printer's selected code page. The tables come from
// @point-of-sale/codepage-encoder, the same library the host-side encoder uses, so a round trip
// through encoder and simulator is byte-exact by construction wherever the tables agree with the
// real printer's ROM.

import CodepageEncoder, { type Codepage } from "@point-of-sale/codepage-encoder";

/**
 * `ESC t n` numbers of Epson TM printers (TM-T20III, TM-T88V/VI and most Epson-compatible
 * clones for the low numbers). Clones disagree above 19, so a profile can pass its own map.
 */
export const EPSON_CODEPAGES: Readonly<Record<number, Codepage>> = {
  0: "cp437",
  1: "epson/katakana",
  2: "cp850",
  3: "cp860",
  4: "cp863",
  5: "cp865",
  11: "cp851",
  12: "cp853",
  13: "cp857",
  14: "cp737",
  15: "iso8859-7",
  16: "windows1252",
  17: "cp866",
  18: "cp852",
  19: "cp858",
  20: "thai42",
  21: "thai11",
  26: "thai13",
  30: "tcvn3",
  31: "tcvn3capitals",
  32: "cp720",
  33: "cp775",
  34: "cp855",
  35: "cp861",
  36: "cp862",
  37: "cp864",
  38: "cp869",
  39: "epson/iso8859-2",
  40: "iso8859-15",
  41: "cp1098",
  42: "cp774",
  43: "cp772",
  44: "cp1125",
  45: "windows1250",
  46: "windows1251",
  47: "windows1253",
  48: "windows1254",
  49: "windows1255",
  50: "windows1256",
  51: "windows1257",
  52: "windows1258",
  53: "rk1048",
};

export type CodepageMap = Readonly<Record<number, string>>;

const tableCache = new Map<string, string[]>();

/** 256 one-character strings for a code page name, or undefined if the library lacks it. */
export function codepageTable(name: string): string[] | undefined {
  const cached = tableCache.get(name);
  if (cached) return cached;
  if (!CodepageEncoder.supports(name)) return undefined;
  const points = CodepageEncoder.getEncoding(name as Codepage).codepoints;
  const table: string[] = [];
  for (let i = 0; i < 256; i++) {
    // Below 0x20 the printer sees control codes, never glyphs; ASCII is the same on every page.
    const cp = i < 0x80 ? i : (points[i] ?? 0xfffd);
    table.push(String.fromCodePoint(cp));
  }
  tableCache.set(name, table);
  return table;
}

/** Decodes single-byte text on the page `ESC t n` selected; unknown pages give U+FFFD above 0x7F. */
export class CodepageDecoder {
  private table: string[] | undefined;
  private page = 0;

  constructor(private readonly map: CodepageMap = EPSON_CODEPAGES) {
    this.select(0);
  }

  get selected(): number {
    return this.page;
  }

  /** True when the map knows the page number. */
  select(page: number): boolean {
    this.page = page;
    const name = this.map[page];
    this.table = name === undefined ? undefined : codepageTable(name);
    return this.table !== undefined;
  }

  decode(byte: number): string {
    if (byte < 0x80) return String.fromCharCode(byte);
    return this.table?.[byte] ?? "\ufffd";
  }
}
