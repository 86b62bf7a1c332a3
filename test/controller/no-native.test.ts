// The simulated office runs without any native module loaded: serialport's binding (and later
// node-hid) load only when a configured device needs them.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const child = join(dirname(fileURLToPath(import.meta.url)), "../support/native-check-child.ts");

describe.skipIf(!existsSync("/proc/self/maps"))("native modules", () => {
  it("the demo office with simulated printers issues and prints a ticket with no native module loaded", () => {
    const out = execFileSync(process.execPath, ["--import", "tsx", child], {
      encoding: "utf8",
      timeout: 60_000,
    });
    const report = JSON.parse(out.trim().split("\n").at(-1) ?? "{}");
    expect(report).toEqual({ issued: true, printers: 2, native: [] });
  });
});
