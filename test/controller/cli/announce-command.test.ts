// `vooru announce` writes the exact announcement a call would play: a valid 16-bit mono WAV of the
// sequence's length, with sound in it.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ClipLibrary } from "../../../controller/announcements/clip-library.js";
import { main } from "../../../controller/cli/main.js";
import { exampleConfigPath } from "../../../controller/config/package-root.js";
import { memoryLogger } from "../../../controller/health/log.js";
import { callAnnouncement } from "../../../protocols/announce/spoken-call.js";
import { decodeWav, durationMs, encodeWav, rmsDbfs } from "../../../protocols/audio/pcm.js";

const dirs: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const out = () => {
  const dir = mkdtempSync(join(tmpdir(), "vooru-announce-"));
  dirs.push(dir);
  return join(dir, "call.wav");
};

describe("vooru announce", () => {
  it("--out writes the call's announcement in one language, exactly as a speaker plays it", async () => {
    vi.spyOn(console, "log").mockImplementation(() => {});
    const file = out();
    expect(await main(["announce", "A023", "4", "--lang", "et", "--out", file], memoryLogger())).toBe(0);
    const written = readFileSync(file);
    const clips = ClipLibrary.forOffice(undefined);
    const expected = clips.render(callAnnouncement({ number: "A023", counter: "4" }, ["et"], "voice"));
    expect(Buffer.compare(written, Buffer.from(encodeWav(expected)))).toBe(0);
    const pcm = decodeWav(written);
    expect(pcm.sampleRate).toBe(clips.sampleRate);
    expect(durationMs(pcm)).toBeGreaterThan(1500);
    expect(durationMs(pcm)).toBeLessThan(8000);
    expect(rmsDbfs(pcm)).toBeGreaterThan(-40);
  });

  it("with the office's config: the zone's languages in order; --lang all: every language", async () => {
    vi.spyOn(console, "log").mockImplementation(() => {});
    const [one, all, et] = [out(), out(), out()];
    expect(
      await main(["announce", "B002", "1", "--config", exampleConfigPath(), "--out", one], memoryLogger()),
    ).toBe(0);
    expect(await main(["announce", "B002", "1", "--lang", "all", "--out", all], memoryLogger())).toBe(0);
    expect(await main(["announce", "B002", "1", "--lang", "et", "--out", et], memoryLogger())).toBe(0);
    const ms = (f: string) => durationMs(decodeWav(readFileSync(f)));
    // The example's hall speaks et, ru, en: three languages, as long as --lang all, longer than one.
    expect(Math.abs(ms(one) - ms(all))).toBeLessThan(400);
    expect(ms(one)).toBeGreaterThan(ms(et) * 2);
  });

  it("bad usage is one line and the usage, exit 2", async () => {
    const log = memoryLogger();
    expect(await main(["announce", "A023"], log)).toBe(2);
    expect(await main(["announce", "A023", "4", "--lang", "fi"], log)).toBe(2);
    expect(await main(["announce", "not a ticket", "4"], log)).toBe(2);
    expect(log.lines.map((l) => l.split("\n")[0])).toEqual([
      "error: announce needs a ticket and a counter",
      'error: --lang takes et, ru, en or all, not "fi"',
      'error: "not a ticket" is not a ticket number like A023',
    ]);
  });
});
