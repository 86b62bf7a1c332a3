// What check and start say about an office's secrets: plain-text passwords (with file and line),
// office.yaml or the data folder open to other users (with the chmod), and published example
// passwords, plain or hashed, which stop both. The demo office (no file) is exempt.
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { main } from "../../../controller/cli/main.js";
import { packageRoot } from "../../../controller/config/package-root.js";
import { PUBLISHED_PASSWORDS, publishedPasswordOf } from "../../../controller/config/password-audit.js";
import { memoryLogger } from "../../../controller/health/log.js";
import { mosquittoPasswordHash } from "../../../controller/mqtt/mosquitto-config.js";
import { hashPassword } from "../../../controller/mqtt/password-hash.js";
import { acquireLock } from "../../../controller/queue/journal/lockfile.js";

const loadDemo = async () => (await import("../../../demo/index.js")).demoComposition;
const dirs: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** An office.yaml (mode 0600) with these users' passwords, its data folder beside it. */
function office(passwords: Record<string, string>): { file: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), "vooru-audit-"));
  dirs.push(dir);
  const file = join(dir, "office.yaml");
  const users = Object.entries(passwords).map(
    ([username, password]) =>
      `    - {username: ${username}, password: ${JSON.stringify(password)}, role: monitor}`,
  );
  const text = [
    "office: {id: t, name: {en: T}}",
    "services: [{id: a, prefix: A, names: {en: A}}]",
    "counters: [{id: '1', services: [a]}]",
    "journal: {dataDir: ./data}",
    "mqtt:",
    "  # who may connect",
    "  users:",
    ...users,
  ].join("\n");
  writeFileSync(file, `${text}\n`, { mode: 0o600 });
  return { file, dir };
}

async function check(file: string, ...extra: string[]) {
  const printed: string[] = [];
  vi.spyOn(console, "log").mockImplementation((line: unknown) => void printed.push(String(line)));
  const log = memoryLogger();
  const code = await main(["check", "--config", file, ...extra], log);
  return { code, log: log.lines, printed };
}

describe("vooru check", () => {
  it("warns about each plain-text password with the file and line, and is still valid", async () => {
    const { file } = office({
      desk: "plain desk password",
      hall: hashPassword("x", { iterations: 1 }),
      it: "plain it",
    });
    const { code, log, printed } = await check(file);
    expect(code).toBe(0);
    expect(log).toEqual([
      `warn: ${file}:8: the password of mqtt.users[0] (desk) is plain text; store its hash instead: vooru passwd --config ${file} --user desk`,
      `warn: ${file}:10: the password of mqtt.users[2] (it) is plain text; store its hash instead: vooru passwd --config ${file} --user it`,
    ]);
    expect(printed.at(-1)).toBe(`${file}: valid`);
  });

  it("fails with exit 2 on a published example password, stored plain or hashed", async () => {
    const { file } = office({
      desk: "change-me-desk",
      c7: "change-me-counter-7",
      hall: mosquittoPasswordHash("change-me-monitor"),
      fine: hashPassword("a private one", { iterations: 1000 }),
    });
    const { code, log } = await check(file);
    expect(code).toBe(2);
    const passwd = (user: string) => `set a new one with vooru passwd --config ${file} --user ${user}`;
    expect(log).toEqual([
      [
        `error: ${file}: invalid configuration`,
        `  mqtt.users[0].password (desk, line 8): is the published example password "change-me-desk", which anyone can look up; ${passwd("desk")}`,
        `  mqtt.users[1].password (c7, line 9): is the published example password "change-me-counter-7", which anyone can look up; ${passwd("c7")}`,
        `  mqtt.users[2].password (hall, line 10): is a hash of the published example password "change-me-monitor", which anyone can look up; ${passwd("hall")}`,
      ].join("\n"),
    ]);
  });

  it("fails on the example office, and on a published broker login", async () => {
    const example = join(packageRoot(), "examples", "office.yaml");
    const { code, log } = await check(example);
    expect(code).toBe(2);
    const line =
      readFileSync(example, "utf8")
        .split("\n")
        .findIndex((l) => l.includes("change-me-desk")) + 1;
    expect(log.at(-1)).toContain(
      `mqtt.users[5].password (desk, line ${line}): is the published example password "change-me-desk"`,
    );
    const { file } = office({ desk: hashPassword("a private one", { iterations: 1 }) });
    writeFileSync(
      file,
      `${readFileSync(file, "utf8")}  broker: {url: "mqtt://127.0.0.1:1883", username: vooru, password: change-this-password}\n`,
    );
    const broker = await check(file);
    expect(broker.code).toBe(2);
    expect(broker.log.at(-1)).toContain(
      'mqtt.broker.password: is the published example password "change-this-password"',
    );
  });

  it("warns when office.yaml or the data folder is open to other users, with the chmod", async () => {
    const { file, dir } = office({ desk: hashPassword("a private one", { iterations: 1 }) });
    chmodSync(file, 0o640);
    const data = join(dir, "data");
    mkdirSync(join(data, "journal"), { recursive: true, mode: 0o755 });
    chmodSync(data, 0o755);
    writeFileSync(join(data, "journal", "000001.jsonl"), "", { mode: 0o644 });
    const { code, log } = await check(file);
    expect(code).toBe(0);
    expect(log).toEqual([
      `warn: ${file} is open to other users (mode 0640) and holds passwords: chmod 600 ${file}`,
      `warn: the data folder ${data} (journal, snapshots) is open to other users (mode 0755): chmod 700 ${data}`,
      `warn: 2 entries in the data folder ${data} are open to other users (${data}/journal: mode 0755): chmod -R go-rwx ${data}`,
    ]);
    // --data-dir: the folder the service really uses.
    const other = join(dir, "elsewhere");
    mkdirSync(other, { mode: 0o700 });
    chmodSync(file, 0o600);
    expect((await check(file, "--data-dir", other)).log).toEqual([]);
  });
});

describe("vooru start", () => {
  it("refuses a published example password with the path and the reason, exit 2", async () => {
    const { file } = office({ desk: mosquittoPasswordHash("change-me-desk") });
    const log = memoryLogger();
    expect(await main(["start", "--config", file], log, { loadDemo })).toBe(2);
    expect(log.lines).toEqual([
      `error: ${file}: invalid configuration\n  mqtt.users[0].password (desk, line 8): is a hash of the published example password "change-me-desk", which anyone can look up; set a new one with vooru passwd --config ${file} --user desk`,
    ]);
  });

  it("logs the warnings check gives (not the data folder's own mode: start makes it 0700)", async () => {
    const { file, dir } = office({ desk: "plain desk password" });
    chmodSync(file, 0o644);
    const data = join(dir, "data");
    mkdirSync(data, { mode: 0o755 });
    chmodSync(data, 0o755);
    // Held by the test runner's parent: the start stops at the journal, after its warnings.
    const lock = acquireLock(data, { pid: process.ppid });
    try {
      const log = memoryLogger();
      expect(await main(["start", "--config", file], log, { loadDemo })).toBe(1);
      const warnings = log.lines.filter((l) => l.startsWith("warn: "));
      expect(warnings).toEqual([
        `warn: ${file}:8: the password of mqtt.users[0] (desk) is plain text; store its hash instead: vooru passwd --config ${file} --user desk`,
        `warn: ${file} is open to other users (mode 0644) and holds passwords: chmod 600 ${file}`,
      ]);
      expect(log.lines.at(-1)).toMatch(/^error: LOCK_HELD: /);
    } finally {
      lock.release();
    }
  });

  it("runs the demo office (no file) with its published passwords", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vooru-audit-demo-"));
    dirs.push(dir);
    const lock = acquireLock(dir, { pid: process.ppid });
    const log = memoryLogger();
    // It gets as far as the journal: past the password audit.
    expect(await main(["start", "--data-dir", dir], log, { loadDemo })).toBe(1);
    expect(log.lines.at(-1)).toMatch(/^error: LOCK_HELD: /);
    lock.release();
  });
});

describe("PUBLISHED_PASSWORDS", () => {
  /** Every `password: value` in the examples, the README and docs/. */
  function publishedInRepo(): string[] {
    const root = packageRoot();
    const files = [
      ...readdirSync(join(root, "examples")).map((f) => join(root, "examples", f)),
      join(root, "README.md"),
      ...readdirSync(join(root, "docs"))
        .filter((f) => f.endsWith(".md"))
        .map((f) => join(root, "docs", f)),
    ];
    const found = new Set<string>();
    for (const file of files)
      for (const match of readFileSync(file, "utf8").matchAll(
        /\b(?:password|remote_password):? +"?(change-[\w-]+)/g,
      ))
        found.add(match[1] as string);
    return [...found];
  }

  it("holds every example password the repository publishes", async () => {
    const inRepo = publishedInRepo();
    expect(inRepo).toContain("change-me-desk");
    for (const password of inRepo) expect(await publishedPasswordOf(password), password).toBe(password);
    expect(PUBLISHED_PASSWORDS).toContain("change-me");
  });
});
