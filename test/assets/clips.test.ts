// The default clip set in assets/clips/, as it ships: complete for every language, in the one
// format, trimmed and equally loud. Reads the files only (scripts/make-clips.ts makes them with
// espeak-ng; these tests do not need it).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CHIME, languageClipNames, SPOKEN_LANGUAGES } from "../../protocols/announce/spoken-call.js";
import { decodeWav, durationMs, type Pcm, rmsDbfs } from "../../protocols/audio/pcm.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const clipsDir = join(root, "assets", "clips");
const CLIPS = [
  CHIME,
  ...SPOKEN_LANGUAGES.flatMap((lang) => languageClipNames().map((name) => `${lang}/${name}`)),
];

const SAMPLE_RATE = 16_000;
/** Quieter than this is silence, for the edges (the script trims at -50 dBFS and keeps 10 ms). */
const EDGE_DBFS = -45;
const MAX_EDGE_MS = 30;
const MIN_RMS_DBFS = -40;
const MAX_SPREAD_DB = 3;

const decoded = new Map<string, Pcm>();
function clip(name: string): Pcm {
  let pcm = decoded.get(name);
  if (!pcm) {
    pcm = decodeWav(readFileSync(join(clipsDir, `${name}.wav`)), `${name}.wav`);
    decoded.set(name, pcm);
  }
  return pcm;
}

/** How long the clip stays below EDGE_DBFS at its start and at its end, in ms. */
function edges(pcm: Pcm): { leadingMs: number; trailingMs: number } {
  const limit = 32768 * 10 ** (EDGE_DBFS / 20);
  const loud = (s: number) => Math.abs(s) >= limit;
  const first = pcm.samples.findIndex(loud);
  const last = pcm.samples.findLastIndex(loud);
  const ms = (n: number) => (n * 1000) / pcm.sampleRate;
  return { leadingMs: ms(first), trailingMs: ms(pcm.samples.length - 1 - last) };
}

describe("the default clip set", () => {
  it("has every clip of languageClipNames() for et, en and ru, and the chime", () => {
    expect(CLIPS.length).toBe(1 + 3 * (7 + 26 + 10 + 28));
    expect(CLIPS.filter((name) => !existsSync(join(clipsDir, `${name}.wav`)))).toEqual([]);
  });

  it("holds nothing but those clips", () => {
    const present = ["common", ...SPOKEN_LANGUAGES].flatMap((dir) =>
      readdirSync(join(clipsDir, dir)).map((f) => `${dir}/${f.replace(/\.wav$/, "")}`),
    );
    expect(readdirSync(clipsDir).sort()).toEqual(["common", ...SPOKEN_LANGUAGES].sort());
    expect(present.sort()).toEqual([...CLIPS].sort());
  });

  it.each(CLIPS)("%s is 16-bit mono 16 kHz, 80 ms to 2 s, not silent, trimmed", (name) => {
    const pcm = clip(name); // decodeWav refuses anything but 16-bit PCM mono
    expect(pcm.sampleRate).toBe(SAMPLE_RATE);
    expect(durationMs(pcm)).toBeGreaterThanOrEqual(80);
    expect(durationMs(pcm)).toBeLessThanOrEqual(2000);
    expect(rmsDbfs(pcm)).toBeGreaterThan(MIN_RMS_DBFS);
    const { leadingMs, trailingMs } = edges(pcm);
    expect(leadingMs).toBeLessThan(MAX_EDGE_MS);
    expect(trailingMs).toBeLessThan(MAX_EDGE_MS);
  });

  it(`is equally loud: every clip's RMS within ${MAX_SPREAD_DB} dB of every other's`, () => {
    const levels = CLIPS.map((name) => ({ name, rms: rmsDbfs(clip(name)) })).sort((a, b) => a.rms - b.rms);
    const quietest = levels[0]!;
    const loudest = levels[levels.length - 1]!;
    expect(
      loudest.rms - quietest.rms,
      `${quietest.name} ${quietest.rms.toFixed(1)} dBFS, ${loudest.name} ${loudest.rms.toFixed(1)} dBFS`,
    ).toBeLessThanOrEqual(MAX_SPREAD_DB);
  });
});
