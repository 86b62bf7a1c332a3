// What the libgpiod command-line tools print, parsed: gpiomon edge events in the format we ask for
// with -F (so the line layout is ours, not the tool's human-readable one, which changed between
// versions), gpioget values, gpiodetect chips and the --version banner. Pure: text in, values out.
//
// Sources (brgl/libgpiod, tools/):
// - v1 (1.6, Raspberry Pi OS Bookworm) gpiomon.c event_print_custom(): %o offset, %e '1' rising /
//   '0' falling, %s seconds and %n nanoseconds (printf "%ld", not zero-padded), then '\n'.
// - v2 (2.x, Trixie) gpiomon.c event_print_formatted(): %o offset, %E "rising"/"falling", %S
//   print_event_time(ts, 0) = "<seconds>.<9-digit nanoseconds>", then '\n'.
// - gpioget: v1 prints values separated by spaces; v2 print_line_vals() prints '0'/'1' with
//   --numeric, else "<id>"=active|inactive (quoted unless --unquoted), space-separated.
// - gpiodetect (both): "<name> [<label>] (<n> lines)"; --version: "<tool> (libgpiod) v<x.y.z>".

export type GpioLevel = 0 | 1;
/** Line bias, as v2 names it ("disabled"); v1 calls that "disable". */
export type GpioBias = "pull-up" | "pull-down" | "disabled" | "as-is";
export type LibgpiodMajor = 1 | 2;

export interface GpioEdgeEvent {
  offset: number;
  /** The line level after the edge: 1 after rising, 0 after falling. */
  level: GpioLevel;
  /** Kernel event timestamp (monotonic clock by default). */
  seconds: number;
  nanos: number;
}

/** The -F argument we give gpiomon, per major version. */
export const GPIOMON_FORMAT: Readonly<Record<LibgpiodMajor, string>> = {
  1: "%o %e %s %n",
  2: "%o %E %S",
};

const V1_LINE = /^(\d+) ([01]) (\d+) (\d+)$/;
const V2_LINE = /^(\d+) (rising|falling) (\d+)\.(\d{1,9})$/;

/** One gpiomon output line (without its newline), or null if it is not an event in our format. */
export function parseGpiomonLine(line: string, major: LibgpiodMajor): GpioEdgeEvent | null {
  const text = line.endsWith("\r") ? line.slice(0, -1) : line;
  if (major === 1) {
    const m = V1_LINE.exec(text);
    if (!m) return null;
    const nanos = Number(m[4]);
    if (nanos > 999_999_999) return null;
    return { offset: Number(m[1]), level: m[2] === "1" ? 1 : 0, seconds: Number(m[3]), nanos };
  }
  const m = V2_LINE.exec(text);
  if (!m) return null;
  return {
    offset: Number(m[1]),
    level: m[2] === "rising" ? 1 : 0,
    seconds: Number(m[3]),
    nanos: Number((m[4] ?? "").padEnd(9, "0")),
  };
}

/** A line longer than this with no newline is not gpiomon talking: dropped as garbage. */
const MAX_LINE = 1024;

/**
 * gpiomon's stdout as it arrives: chunks may split lines anywhere. Complete lines become events;
 * lines that are not events in our format are skipped and counted.
 */
export class GpiomonOutputParser {
  readonly major: LibgpiodMajor;
  #partial = "";
  #garbage = 0;

  constructor(major: LibgpiodMajor) {
    this.major = major;
  }

  /** Lines skipped so far. */
  get garbage(): number {
    return this.#garbage;
  }

  push(chunk: string): GpioEdgeEvent[] {
    const lines = (this.#partial + chunk).split("\n");
    this.#partial = lines.pop() ?? "";
    if (this.#partial.length > MAX_LINE) {
      this.#partial = "";
      this.#garbage++;
    }
    const events: GpioEdgeEvent[] = [];
    for (const line of lines) {
      if (line === "") continue;
      const event = parseGpiomonLine(line, this.major);
      if (event) events.push(event);
      else this.#garbage++;
    }
    return events;
  }
}

/**
 * gpioget's output for `count` lines, in the order asked: "1 0 1" (v1, v2 --numeric) or
 * "\"17\"=active 27=inactive" (v2 without --numeric). Null if it is neither.
 */
export function parseGpiogetOutput(text: string, count: number): GpioLevel[] | null {
  const words = text
    .trim()
    .split(/\s+/)
    .filter((w) => w !== "");
  if (words.length !== count) return null;
  const levels: GpioLevel[] = [];
  for (const word of words) {
    if (word === "0" || word === "1") levels.push(word === "1" ? 1 : 0);
    else if (/=active$/.test(word)) levels.push(1);
    else if (/=inactive$/.test(word)) levels.push(0);
    else return null;
  }
  return levels;
}

/** The version from `<tool> --version`, or null. */
export function parseLibgpiodVersion(text: string): { major: LibgpiodMajor; version: string } | null {
  const m = /\(libgpiod\) v(\d+)\.(\d+)(\S*)/.exec(text);
  if (!m) return null;
  const major = Number(m[1]);
  if (major !== 1 && major !== 2) return null;
  return { major, version: `${m[1]}.${m[2]}${m[3] ?? ""}` };
}

export interface GpioChipInfo {
  name: string;
  label: string;
  lines: number;
}

/** gpiodetect's listing. */
export function parseGpiodetect(text: string): GpioChipInfo[] {
  const chips: GpioChipInfo[] = [];
  for (const line of text.split("\n")) {
    const m = /^(\S+) \[(.*)\] \((\d+) lines\)\s*$/.exec(line);
    if (m) chips.push({ name: m[1] ?? "", label: m[2] ?? "", lines: Number(m[3]) });
  }
  return chips;
}
