// `vooru passwd`: the user's password becomes a hash in office.yaml and nothing else in the file
// changes; typed twice without echo on a terminal, one line from a pipe, or --generate.
import { chownSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable, Writable } from "node:stream";
import { afterEach, describe, expect, it, vi } from "vitest";
import { main } from "../../../controller/cli/main.js";
import { type PasswdIo, runPasswd } from "../../../controller/cli/passwd-command.js";
import { loadOfficeConfig } from "../../../controller/config/load.js";
import { setUserPassword } from "../../../controller/config/password-edit.js";
import { memoryLogger } from "../../../controller/health/log.js";
import { hashPassword, isPasswordHash, verifyPassword } from "../../../controller/mqtt/password-hash.js";

const OFFICE = `# The office (a comment that must stay)
office: {id: t, name: {en: T}}
services: [{id: a, prefix: A, names: {en: A}}]
counters: [{id: '1', services: [a]}]

mqtt:
  users:
    # the counter, in flow style
    - { username: counter1, password: first-password-1, role: counter, counter: "1" }   # trailing comment
    # the desk, in block style
    - username: desk
      password: "second password"   # quoted
      role: desk
    - username: hall
      password: >-
        folded plain
        password
      role: monitor

journal: {dataDir: ./data}   # last line
`;

const dirs: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function officeFile(text = OFFICE): string {
  const dir = mkdtempSync(join(tmpdir(), "vooru-passwd-"));
  dirs.push(dir);
  const file = join(dir, "office.yaml");
  writeFileSync(file, text, { mode: 0o644 });
  return file;
}

const passwordOf = (file: string, username: string) =>
  loadOfficeConfig(file).mqtt.users.find((u) => u.username === username)?.password ?? "";

/** A pipe on stdin holding `text`, and what the command prints. */
function pipeIo(text: string): PasswdIo & { printed: string[] } {
  const printed: string[] = [];
  const sink = new Writable({ write: (_c, _e, done) => done() });
  return { input: Readable.from([text]), prompt: sink, print: (l) => void printed.push(l), printed };
}

/** A terminal: raw mode switched on and off, keys typed after each prompt, what was echoed. */
function ttyIo(keys: string[]): PasswdIo & { shown: () => string; raw: boolean[] } {
  const input = new PassThrough() as PassThrough & { isTTY: boolean; setRawMode: (on: boolean) => void };
  const raw: boolean[] = [];
  input.isTTY = true;
  input.setRawMode = (on) => void raw.push(on);
  let shown = "";
  const prompt = new Writable({
    write(chunk, _e, done) {
      shown += String(chunk);
      // The next line is typed once its prompt is up.
      if (/: $/.test(String(chunk))) setImmediate(() => input.write(keys.shift() ?? ""));
      done();
    },
  });
  return { input, prompt, print: () => {}, shown: () => shown, raw };
}

describe("setUserPassword", () => {
  it("replaces only the value, in flow, block and folded style alike", () => {
    let text = OFFICE;
    for (const user of ["counter1", "desk", "hall"])
      text = setUserPassword(text, user, `$7$1$c2FsdA==$${user}`);
    const expected = OFFICE.replace("first-password-1", "$7$1$c2FsdA==$counter1")
      .replace('"second password"', "$7$1$c2FsdA==$desk")
      .replace(">-\n        folded plain\n        password", "$7$1$c2FsdA==$hall");
    expect(text).toBe(expected);
  });

  it("adds a missing password with the Document API, keeping the comments", () => {
    const text = setUserPassword(
      OFFICE.replace('      password: "second password"   # quoted\n', ""),
      "desk",
      "$7$x",
    );
    expect(text).toContain("# the desk, in block style");
    expect(text).toContain("# trailing comment");
    expect(text).toMatch(/username: desk\n\s+role: desk\n\s+password: \$7\$x/);
  });
});

describe("vooru passwd", () => {
  it("stores the hash of a line read from a pipe, keeps every other line, writes the file 0600", async () => {
    const file = officeFile();
    const log = memoryLogger();
    expect(await runPasswd({ config: file, user: "desk" }, log, pipeIo("new desk password\nignored\n"))).toBe(
      0,
    );
    const text = readFileSync(file, "utf8");
    const hash = passwordOf(file, "desk");
    expect(isPasswordHash(hash)).toBe(true);
    expect(verifyPassword(hash, "new desk password")).toBe(true);
    expect(text).toBe(OFFICE.replace('"second password"', hash));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(log.lines.at(-1)).toBe(
      `info: ${file}: stored the hash of the new password of desk; restart vooru to use it`,
    );
  });

  it.skipIf(process.getuid?.() !== 0)("run as root, keeps the file's owner (the service user)", async () => {
    const file = officeFile();
    chownSync(file, 4321, 4322);
    expect(await runPasswd({ config: file, user: "desk" }, memoryLogger(), pipeIo("owned password\n"))).toBe(
      0,
    );
    expect(statSync(file)).toMatchObject({ uid: 4321, gid: 4322 });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("asks twice without echo on a terminal", async () => {
    const file = officeFile();
    const io = ttyIo(["typed secret 1\r", "typed sx\u007fecret 1\r"]);
    expect(await runPasswd({ config: file, user: "counter1" }, memoryLogger(), io)).toBe(0);
    expect(verifyPassword(passwordOf(file, "counter1"), "typed secret 1")).toBe(true);
    expect(io.shown()).toBe("New password for counter1: \nAgain: \n");
    expect(io.raw).toEqual([true, false, true, false]);
  });

  it("changes nothing when the two differ, or on Ctrl+C", async () => {
    const file = officeFile();
    await expect(
      runPasswd({ config: file, user: "desk" }, memoryLogger(), ttyIo(["one password\r", "another one\r"])),
    ).rejects.toThrow("the two passwords differ; nothing changed");
    const log = memoryLogger();
    expect(await runPasswd({ config: file, user: "desk" }, log, ttyIo(["abc\u0003"]))).toBe(1);
    expect(log.lines).toEqual(["error: cancelled; nothing changed"]);
    expect(readFileSync(file, "utf8")).toBe(OFFICE);
  });

  it("--generate prints a random password once and stores only its hash; --all does every user", async () => {
    const file = officeFile();
    const io = pipeIo("");
    expect(await runPasswd({ config: file, user: "hall", generate: true }, memoryLogger(), io)).toBe(0);
    const [line] = io.printed;
    const password = /^hall {2}([A-Za-z0-9_-]{20})$/.exec(line ?? "")?.[1] ?? "";
    expect(verifyPassword(passwordOf(file, "hall"), password)).toBe(true);
    expect(readFileSync(file, "utf8")).not.toContain(password);

    const all = pipeIo("");
    expect(await runPasswd({ config: file, all: true, generate: true }, memoryLogger(), all)).toBe(0);
    expect(all.printed.map((l) => l.split(/ +/)[0])).toEqual(["counter1", "desk", "hall"]);
    for (const printed of all.printed) {
      const [user, secret] = printed.split(/ +/) as [string, string];
      expect(verifyPassword(passwordOf(file, user), secret), user).toBe(true);
    }
    expect(readFileSync(file, "utf8")).toContain("# trailing comment");
  });

  it("refuses an unknown user, a short or published password, and a hash, with exit 2", async () => {
    const file = officeFile();
    const log = memoryLogger();
    expect(await main(["passwd", "--config", file, "--user", "nobody", "--generate"], log)).toBe(2);
    expect(log.lines[0]?.split("\n")[0]).toBe(
      `error: ${file}: no user "nobody" in mqtt.users (users: counter1, desk, hall)`,
    );
    for (const [given, reason] of [
      ["short", "the password needs at least 8 characters"],
      ["change-me-desk", '"change-me-desk" is a published example password: choose another'],
      [hashPassword("some password", { iterations: 1 }), "that is a hash"],
    ] as const)
      await expect(
        runPasswd({ config: file, user: "desk" }, memoryLogger(), pipeIo(`${given}\n`)),
      ).rejects.toThrow(reason);
    expect(await main(["passwd", "--config", file, "--all"], log)).toBe(2);
    expect(log.lines.at(-1)?.split("\n")[0]).toBe("error: --all needs --generate (one new password each)");
    expect(await main(["passwd", "--config", file], log)).toBe(2);
    expect(log.lines.at(-1)?.split("\n")[0]).toBe("error: passwd needs --user NAME or --all");
    expect(log.lines.at(-1)).toContain("\nusage: vooru passwd --config office.yaml");
    expect(readFileSync(file, "utf8")).toBe(OFFICE);
  });
});
