// Password hashes in Mosquitto's passwd format: a round trip, wrong passwords refused, plain text
// still understood, and compatibility both ways with a real mosquitto_passwd and Mosquitto broker.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generateMosquittoFiles, mosquittoPasswordHash } from "../../../controller/mqtt/mosquitto-config.js";
import {
  hashPassword,
  isPasswordHash,
  looksLikeBrokenHash,
  PASSWORD_HASH_ITERATIONS,
  verifyPassword,
  verifyPasswordAsync,
} from "../../../controller/mqtt/password-hash.js";
import { connectMqtt } from "../../../controller/mqtt/transport.js";
import { mosquittoAvailable, startMosquitto } from "../../support/mosquitto.js";
import { officeConfig } from "../../support/office.js";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "vooru-pwhash-"));
  dirs.push(dir);
  return dir;
}

describe("hashPassword and verifyPassword", () => {
  it("round-trips, with a fresh salt and the default iterations", () => {
    const hash = hashPassword("correct horse battery");
    expect(hash).toMatch(
      new RegExp(`^\\$7\\$${PASSWORD_HASH_ITERATIONS}\\$[A-Za-z0-9+/]{16}\\$[A-Za-z0-9+/]{86}==$`),
    );
    expect(isPasswordHash(hash)).toBe(true);
    expect(verifyPassword(hash, "correct horse battery")).toBe(true);
    expect(hashPassword("correct horse battery")).not.toBe(hash);
  });

  it("refuses a wrong password, a near miss and the empty one", () => {
    const hash = hashPassword("pässword-1", { iterations: 1000 });
    for (const wrong of ["pässword-2", "password-1", "pässword-1 ", "", hash])
      expect(verifyPassword(hash, wrong), wrong).toBe(false);
    expect(verifyPassword(hash, "pässword-1")).toBe(true);
  });

  it("takes the iterations and the salt it is given", () => {
    const salt = Buffer.from("kGtkU/K5hSQj2g/C", "base64");
    // What mosquitto_passwd 2.0.11 wrote for this salt (test/controller/mqtt/mosquitto-config.test.ts).
    expect(hashPassword("secret-password", { iterations: 101, salt })).toBe(
      "$7$101$kGtkU/K5hSQj2g/C$XkHSlXWrmDQBVm/eec618MuiYv2ScQ0srhcVfegYo5D63SS64FILIUT+9S5sCYCfVzmN5AetI1I6scVIUaGOTw==",
    );
    expect(mosquittoPasswordHash("secret-password", salt)).toBe(
      hashPassword("secret-password", { iterations: 101, salt }),
    );
    expect(() => hashPassword("x", { iterations: 0 })).toThrow(RangeError);
    expect(() => hashPassword("x", { iterations: 1.5 })).toThrow(RangeError);
  });

  it("compares a plain stored password too (a config not migrated yet)", () => {
    expect(verifyPassword("plain-text-pw", "plain-text-pw")).toBe(true);
    expect(verifyPassword("plain-text-pw", "plain-text-p")).toBe(false);
    expect(verifyPassword("plain-text-pw", "")).toBe(false);
  });

  it("tells a hash from plain text and from a damaged hash", () => {
    const hash = hashPassword("abcdefgh", { iterations: 10 });
    expect(isPasswordHash("abcdefgh")).toBe(false);
    for (const broken of [
      hash.slice(0, -4), // hash cut short
      hash.replace("$7$10$", "$7$0$"),
      hash.replace("$7$10$", "$7$99999999$"), // too many iterations to check
      hash.replace("$7$", "$6$"),
      "$7$10$$",
    ]) {
      expect(isPasswordHash(broken), broken).toBe(false);
      expect(looksLikeBrokenHash(broken), broken).toBe(true);
      // A damaged hash is compared as plain text: only the exact string matches, never the password.
      expect(verifyPassword(broken, "abcdefgh")).toBe(false);
    }
    expect(looksLikeBrokenHash("plain $7$ in the middle")).toBe(false);
  });

  it("has an async form that agrees", async () => {
    const hash = hashPassword("async-password", { iterations: 500 });
    expect(await verifyPasswordAsync(hash, "async-password")).toBe(true);
    expect(await verifyPasswordAsync(hash, "other-password")).toBe(false);
    expect(await verifyPasswordAsync("plain-password", "plain-password")).toBe(true);
  });
});

const hasMosquittoPasswd = spawnSync("mosquitto_passwd", ["-h"]).error === undefined;

describe.skipIf(!hasMosquittoPasswd)("with mosquitto_passwd", () => {
  it("verifies the hash mosquitto_passwd writes", () => {
    const file = join(tempDir(), "passwd");
    execFileSync("mosquitto_passwd", ["-c", "-b", file, "alice", "made by mosquitto"]);
    const hash = readFileSync(file, "utf8").trim().split(":")[1] as string;
    expect(hash).toMatch(/^\$7\$101\$/);
    expect(isPasswordHash(hash)).toBe(true);
    expect(verifyPassword(hash, "made by mosquitto")).toBe(true);
    expect(verifyPassword(hash, "made by mosquitt0")).toBe(false);
  });
});

describe.skipIf(!mosquittoAvailable())("with a real Mosquitto", () => {
  /** Whether the broker with this passwd file lets `username`/`password` in. */
  async function logsIn(url: string, username: string, password: string): Promise<boolean> {
    const connection = connectMqtt({ url, username, password, reconnectPeriodMs: 0, connectTimeoutMs: 5000 });
    const result = await new Promise<boolean>((resolve) => {
      connection.onConnect(() => resolve(true));
      connection.onConnectError(() => resolve(false));
    });
    await connection.end(true);
    return result;
  }

  it("takes vooru's hash (20,000 iterations) in its password_file, and refuses a wrong password", async () => {
    const dir = tempDir();
    const passwd = join(dir, "passwd");
    writeFileSync(passwd, `desk:${hashPassword("desk password 1")}\n`, { mode: 0o600 });
    const broker = await startMosquitto({ config: `allow_anonymous false\npassword_file ${passwd}\n` });
    try {
      expect(await logsIn(broker.url, "desk", "desk password 1")).toBe(true);
      expect(await logsIn(broker.url, "desk", "desk password 2")).toBe(false);
    } finally {
      await broker.stop();
    }
  });

  it("gets a hash from office.yaml in the passwd file vooru mosquitto-config writes, as it is", async () => {
    const hash = hashPassword("counter password");
    const config = officeConfig({
      mqtt: {
        users: [
          { username: "counter-1", password: hash, role: "counter", counter: "1" },
          { username: "hall", password: "plain monitor password", role: "monitor" },
        ],
      },
    } as never);
    const dir = tempDir();
    const files = generateMosquittoFiles(config, {
      controllerUser: "vooru",
      controllerPassword: "controller password",
      dir,
    });
    expect(files.passwd).toContain(`\ncounter-1:${hash}\n`);
    expect(files.passwd).toMatch(/^hall:\$7\$101\$/m);
    writeFileSync(join(dir, "passwd"), files.passwd, { mode: 0o600 });
    writeFileSync(join(dir, "acl"), files.acl, { mode: 0o600 });
    const broker = await startMosquitto({
      config: `allow_anonymous false\npassword_file ${dir}/passwd\nacl_file ${dir}/acl\n`,
    });
    try {
      expect(await logsIn(broker.url, "counter-1", "counter password")).toBe(true);
      expect(await logsIn(broker.url, "hall", "plain monitor password")).toBe(true);
      expect(await logsIn(broker.url, "vooru", "controller password")).toBe(true);
      expect(await logsIn(broker.url, "counter-1", "plain monitor password")).toBe(false);
    } finally {
      await broker.stop();
    }
  });
});
