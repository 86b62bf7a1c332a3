import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import { clientBrokerUrl } from "../../../controller/cli/environment.js";
import { main } from "../../../controller/cli/main.js";
import { UsageError } from "../../../controller/cli/usage-error.js";
import { exampleConfigPath } from "../../../controller/config/package-root.js";
import { memoryLogger } from "../../../controller/health/log.js";
import { acquireLock } from "../../../controller/queue/journal/lockfile.js";

const loadDemo = async () => (await import("../../../demo/index.js")).demoComposition;
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
    // The example's published passwords fail the check (password-audit.test.ts): set new ones.
    const example = join(tempDir(), "office.yaml");
    copyFileSync(exampleConfigPath(), example);
    const out = vi.spyOn(console, "log").mockImplementation(() => {});
    expect(await main(["passwd", "--config", example, "--all", "--generate"], memoryLogger())).toBe(0);
    out.mockClear();
    expect(await main(["check", "--config", example], memoryLogger())).toBe(0);
    const printed = out.mock.calls.map((c) => String(c[0]));
    expect(printed[0]).toMatch(/^office demo \(.+\), time zone Europe\/Tallinn, daily reset 04:00$/);
    expect(printed.filter((l) => l.startsWith("  service "))).toHaveLength(4);
    expect(printed.filter((l) => l.startsWith("  counter "))).toHaveLength(5);
    expect(printed.at(-1)).toBe(`${example}: valid`);
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
    expect(await main(["start", "--data-dir", dir], log, { loadDemo })).toBe(1);
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
    // After the line: the usage of the command it concerns, or of vooru for an unknown command.
    expect(log.lines[0]).toContain("\nusage: vooru <command>");
    expect(log.lines[1]).toContain("\nusage: vooru start");
    expect(log.lines[2]).toContain("\nusage: vooru check");
  });

  it("an unexpected argument is a usage error too, never a stack trace", async () => {
    const log = memoryLogger();
    expect(await main(["start", "extra"], log)).toBe(2);
    expect(await main(["no-such-command", "x"], log)).toBe(2);
    expect(await main(["desk", "frob"], log)).toBe(2);
    expect(await main(["system"], log)).toBe(2);
    expect(log.lines.map((l) => l.split("\n")[0])).toEqual([
      "error: Unexpected argument 'extra'",
      'error: unknown command "no-such-command"',
      'error: unknown desk verb "frob"',
      "error: system needs a verb",
    ]);
    for (const line of log.lines) expect(line).not.toMatch(/^\s+at /m);
  });

  it("every command's --help prints its usage and exits 0", async () => {
    const out = vi.spyOn(console, "log").mockImplementation(() => {});
    const commands = [
      "start",
      "check",
      "devices",
      "mosquitto-config",
      "node",
      "announce",
      "counter",
      "desk",
      "system",
    ];
    for (const command of commands) {
      out.mockClear();
      expect(await main([command, "--help"], memoryLogger())).toBe(0);
      expect(String(out.mock.calls[0]?.[0])).toMatch(new RegExp(`^usage: vooru ${command}\\b`));
      out.mockClear();
      // -h, and help before the command, say the same.
      expect(await main([command, "-h"], memoryLogger())).toBe(0);
      expect(await main(["help", command], memoryLogger())).toBe(0);
      expect(
        out.mock.calls.map((c) => String(c[0])).every((t) => t.startsWith(`usage: vooru ${command}`)),
      ).toBe(true);
    }
    out.mockClear();
    expect(await main(["--help"], memoryLogger())).toBe(0);
    const overview = String(out.mock.calls[0]?.[0]);
    for (const command of commands) expect(overview).toContain(`\n  ${command} `);
    expect(overview).toContain("VOORU_MQTT_PORT");
  });

  it("a configuration with simulated devices needs the demo composition; without it, exit 2 and why", async () => {
    const log = memoryLogger();
    expect(await main(["start", "--config", exampleConfigPath()], log)).toBe(2);
    expect(log.lines).toEqual([
      `error: ${exampleConfigPath()} names simulated devices, and this vooru was started without the demo composition`,
    ]);
  });
});

describe("the vooru program", () => {
  const bin = fileURLToPath(new URL("../../../bin/vooru.js", import.meta.url));
  const built = existsSync(fileURLToPath(new URL("../../../dist/controller/cli/main.js", import.meta.url)));

  it.skipIf(!built)("answers an unknown command with one line and the usage on stderr, exit 2", () => {
    const run = spawnSync(process.execPath, [bin, "no-such-command", "x"], { encoding: "utf8" });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    const [first, second] = run.stderr.split("\n");
    expect(first).toBe('error: unknown command "no-such-command"');
    expect(second).toMatch(/^usage: vooru <command>/);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  it.skipIf(!built)("prints a command's usage for --help, exit 0", () => {
    const run = spawnSync(process.execPath, [bin, "start", "--help"], { encoding: "utf8" });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^usage: vooru start /);
  });
});

describe("the environment the commands share", () => {
  it("a client connects by --url, VOORU_MQTT_URL, or this machine at VOORU_MQTT_PORT", () => {
    expect(clientBrokerUrl(undefined, {})).toBe("mqtt://127.0.0.1:1883");
    expect(clientBrokerUrl(undefined, { VOORU_MQTT_PORT: "1999" })).toBe("mqtt://127.0.0.1:1999");
    expect(clientBrokerUrl(undefined, { VOORU_MQTT_URL: "mqtts://b:8883", VOORU_MQTT_PORT: "1" })).toBe(
      "mqtts://b:8883",
    );
    expect(clientBrokerUrl("mqtt://x:1", { VOORU_MQTT_URL: "mqtt://y:2" })).toBe("mqtt://x:1");
    expect(() => clientBrokerUrl(undefined, { VOORU_MQTT_PORT: "http" })).toThrow(UsageError);
  });
});
