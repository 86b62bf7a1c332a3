import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fsyncDir, writeFileAtomic } from "../../../../controller/queue/journal/atomic-file.js";
import { useTempDirs } from "./temp-dir.js";

const tempDir = useTempDirs();

describe("writeFileAtomic", () => {
  it("writes a new file and leaves no temporary file behind", () => {
    const dir = tempDir();
    writeFileAtomic(join(dir, "state.json"), '{"a":1}\n');
    expect(readFileSync(join(dir, "state.json"), "utf8")).toBe('{"a":1}\n');
    expect(readdirSync(dir)).toEqual(["state.json"]);
  });

  it("replaces an existing file whole, bytes included", () => {
    const dir = tempDir();
    const path = join(dir, "state.json");
    writeFileSync(path, "old content that is longer than the new one");
    writeFileAtomic(path, "uus õ");
    writeFileAtomic(join(dir, "raw.bin"), Uint8Array.from([0, 10, 255]));
    expect(readFileSync(path, "utf8")).toBe("uus õ");
    expect([...readFileSync(join(dir, "raw.bin"))]).toEqual([0, 10, 255]);
    expect(readdirSync(dir).sort()).toEqual(["raw.bin", "state.json"]);
  });

  it("throws when it cannot write, and leaves no temporary file", () => {
    const dir = tempDir();
    expect(() => writeFileAtomic(join(dir, "missing", "state.json"), "x")).toThrow(/ENOENT/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("fsyncDir accepts a directory", () => {
    expect(() => fsyncDir(tempDir())).not.toThrow();
  });
});
