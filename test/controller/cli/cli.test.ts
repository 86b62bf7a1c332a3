import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { main } from "../../../controller/cli/main.js";
import { exampleConfigPath } from "../../../controller/config/demo.js";
import { memoryLogger } from "../../../controller/health/log.js";
import { acquireLock } from "../../../controller/queue/journal/lockfile.js";

const dirs: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "vooru-cli-"));
  dirs.push(dir);
  return dir;
}

describe("vooru CLI", () => {
  it("check validates the example and lists its services and counters", async () => {
    const out = vi.spyOn(console, "log").mockImplementation(() => {});
    expect(await main(["check", "--config", exampleConfigPath()], memoryLogger())).toBe(0);
    const printed = out.mock.calls.map((c) => String(c[0]));
    expect(printed[0]).toMatch(/^office demo \(.+\), time zone Europe\/Tallinn, daily reset 04:00$/);
    expect(printed.filter((l) => l.startsWith("  service "))).toHaveLength(4);
    expect(printed.filter((l) => l.startsWith("  counter "))).toHaveLength(5);
    expect(printed.at(-1)).toBe(`${exampleConfigPath()}: valid`);
  });

  it("a bad config stops with exit 2, naming the file, the path and the reason", async () => {
    const dir = tempDir();
    const file = join(dir, "office.yaml");
    writeFileSync(
      file,
      [
        "office: {id: t, name: {en: T}}",
        "services:",
        "  - {id: a, prefix: A, names: {en: A}}",
        "  - {id: b, prefix: B, names: {en: B}}",
        "  - {id: c, prefix: A, names: {en: C}}",
        "counters: [{id: '1', services: [a]}]",
      ].join("\n"),
    );
    const log = memoryLogger();
    expect(await main(["start", "--config", file], log)).toBe(2);
    expect(log.lines).toEqual([
      `error: ${file}: invalid configuration\n  services[2].prefix: "A" is already used by services[0]`,
    ]);
  });

  it("start refuses a data folder another vooru holds, with exit 1", async () => {
    const dir = tempDir();
    // Pose as the test runner's parent, a live node process.
    const lock = acquireLock(dir, { pid: process.ppid });
    const log = memoryLogger();
    expect(await main(["start", "--data-dir", dir], log)).toBe(1);
    expect(log.lines.at(-1)).toBe(
      `error: LOCK_HELD: another vooru (pid ${process.ppid}) is using ${dir}; stop it first, or remove ${dir}/vooru.lock if no vooru runs`,
    );
    lock.release();
  });

  it("unknown commands and options are usage errors", async () => {
    const log = memoryLogger();
    expect(await main(["frob"], log)).toBe(2);
    expect(await main(["start", "--nope"], log)).toBe(2);
    expect(await main(["check"], log)).toBe(2);
    expect(log.lines.map((l) => l.split("\n")[0])).toEqual([
      'error: unknown command "frob"',
      "error: Unknown option '--nope'",
      "error: check needs --config FILE",
    ]);
  });
});
