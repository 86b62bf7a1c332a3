// A first start on a Pi must not trap (issue #20): Debian's Mosquitto holding 1883, an old Node,
// a config only the service user may read. Each is one line with the cause and the fix, exit 2
// where restarting cannot help (the unit stops instead of looping), never a stack trace.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "../../../controller/cli/main.js";
import { packageRoot } from "../../../controller/config/package-root.js";
import { memoryLogger } from "../../../controller/health/log.js";
import { hashPassword } from "../../../controller/mqtt/password-hash.js";

const dir = mkdtempSync(join(tmpdir(), "vooru-first-start-"));
let holder: Server;
let port = 0;

beforeAll(async () => {
  holder = createServer();
  await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
  port = (holder.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((resolve) => holder.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

function officeYaml(mqttPort: number): string {
  const path = join(dir, `office-${mqttPort}.yaml`);
  writeFileSync(
    path,
    [
      "office: { id: first, name: { en: First office } }",
      "services: [{ id: pensions, prefix: A, names: { en: Pensions } }]",
      'counters: [{ id: "1", services: [pensions] }]',
      `journal: { dataDir: ${join(dir, "data")} }`,
      "mqtt:",
      `  embedded: { host: 127.0.0.1, port: ${mqttPort}, httpPort: 0 }`,
      `  users: [{ username: desk, password: "${hashPassword("a-fine-password")}", role: desk }]`,
    ].join("\n"),
  );
  return path;
}

async function run(args: string[]) {
  const log = memoryLogger();
  const spy = vi.spyOn(console, "log").mockImplementation(() => {});
  try {
    return { code: await main(args, log), lines: log.lines };
  } finally {
    spy.mockRestore();
  }
}

describe("a first start that cannot trap", () => {
  it("a port held by another program: vooru start says which, who and what to set, exit 2", async () => {
    const { code, lines } = await run(["start", "--config", officeYaml(port)]);
    expect(code).toBe(2);
    const error = lines.find((l) => l.startsWith("error:")) ?? "";
    expect(error).toContain(`the embedded MQTT broker cannot listen on 127.0.0.1:${port}`);
    expect(error).toContain("Mosquitto");
    expect(error).toContain("mqtt.embedded.port");
    expect(lines.join("\n")).not.toMatch(/\n\s+at /);
  });

  it("vooru check warns about it before any start", async () => {
    const { code, lines } = await run(["check", "--config", officeYaml(port)]);
    expect(code).toBe(0);
    expect(
      lines.some((l) => l.startsWith("warn:") && l.includes(`127.0.0.1:${port}`) && l.includes("in use")),
    ).toBe(true);
  });

  it("the unit stops on exit 2 instead of restarting every 3 s", () => {
    const unit = readFileSync(join(packageRoot(), "deploy", "systemd", "vooru.service"), "utf8");
    expect(unit).toMatch(/^RestartPreventExitStatus=2$/m);
  });

  it("an old Node is told what to install before anything loads", () => {
    const fake =
      'data:text/javascript,Object.defineProperty(process,"versions",{value:{...process.versions,node:"18.19.1"}});';
    const result = spawnSync(
      process.execPath,
      ["--import", fake, join(packageRoot(), "bin", "vooru.js"), "--help"],
      {
        encoding: "utf8",
      },
    );
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(
      "vooru needs Node.js 20.19 or newer; this is 18.19.1. Install Node.js 20 or 22 LTS (docs/raspberry-pi.md, section 2: Node.js, uses NodeSource's packages).",
    );
  });

  const asNobody = process.getuid?.() === 0 && spawnSync("which", ["runuser"]).status === 0;
  it.skipIf(!asNobody)("a config only the service user may read: says so and how to run it", () => {
    const path = officeYaml(1);
    chmodSync(path, 0o600);
    chmodSync(dir, 0o755);
    const result = spawnSync(
      "runuser",
      [
        "-u",
        "nobody",
        "--",
        process.execPath,
        join(packageRoot(), "bin", "vooru.js"),
        "check",
        "--config",
        path,
      ],
      { encoding: "utf8", cwd: packageRoot() },
    );
    const out = `${result.stdout}${result.stderr}`;
    expect(result.status, out).toBe(2);
    expect(out).toContain("cannot read the configuration");
    expect(out).toContain("permission denied (EACCES)");
    expect(out).toContain(`sudo -u vooru vooru check --config ${path}`);
  });
});
