// `vooru passwd`: sets the password of a user in mqtt.users, storing only its hash. The new
// password is typed twice without echo on a terminal, read as one line from stdin otherwise (for
// scripts), or made up (--generate) and shown once. The file keeps its comments and layout, and
// is replaced atomically with mode 0600.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Readable, Writable } from "node:stream";
import { ConfigError, parseOfficeConfig } from "../config/load.js";
import { publishedPasswordOf } from "../config/password-audit.js";
import { findUserPasswords, setUserPassword, writeConfigFile } from "../config/password-edit.js";
import type { Logger } from "../health/log.js";
import { hashPassword, isPasswordHash, looksLikeBrokenHash } from "../mqtt/password-hash.js";
import type { Command } from "./command.js";
import { UsageError } from "./usage-error.js";

const USAGE = `usage: vooru passwd --config office.yaml (--user NAME | --all) [--generate]
  Sets a password of mqtt.users and stores only its hash (PBKDF2-SHA512 in Mosquitto's passwd
  format) in office.yaml, keeping the rest of the file as it is; the file becomes mode 0600.
  On a terminal the new password is asked twice without echo; otherwise one line of stdin is read.
  --user NAME    the user whose password to set
  --generate     make up a random password (20 characters), print it once, store its hash
  --all          with --generate: a new password for every user in mqtt.users
  Restart vooru afterwards (with Mosquitto: run vooru mosquitto-config again and reload it).`;

/** Where the password comes from and the lines go; the terminal and stdin unless a test says. */
export interface PasswdIo {
  input: Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  /** Prompts (stderr: stdout may be a pipe). */
  prompt: Writable;
  /** What the command prints: the generated passwords. */
  print(line: string): void;
}

const processIo = (): PasswdIo => ({
  input: process.stdin,
  prompt: process.stderr,
  print: (line) => console.log(line),
});

class Cancelled extends Error {}

/** 20 characters of base64url: 120 random bits. */
export function generatePassword(): string {
  return randomBytes(15).toString("base64url");
}

/** One line typed on a terminal without echo. Ctrl+C or Ctrl+D cancel. */
function readHidden(io: PasswdIo, prompt: string): Promise<string> {
  const { input } = io;
  return new Promise((resolve, reject) => {
    let value = "";
    io.prompt.write(prompt);
    const finish = (result: () => void) => {
      input.off("data", onData);
      input.setRawMode?.(false);
      input.pause();
      io.prompt.write("\n");
      result();
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of String(chunk)) {
        if (ch === "\r" || ch === "\n") return finish(() => resolve(value));
        if (ch === "\u0003" || ch === "\u0004") return finish(() => reject(new Cancelled()));
        if (ch === "\u007f" || ch === "\b") value = [...value].slice(0, -1).join("");
        else if (ch === "\u0015") value = "";
        else if (ch >= " ") value += ch;
      }
    };
    input.setRawMode?.(true);
    input.setEncoding("utf8");
    input.on("data", onData);
    input.resume();
  });
}

/** The first line of a pipe or file on stdin (without its line end). */
function readLine(input: Readable): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    const done = () => {
      input.off("data", onData);
      input.off("end", done);
      input.off("error", reject);
      input.pause();
      resolve(text.split(/\r?\n/)[0] ?? "");
    };
    const onData = (chunk: Buffer | string) => {
      text += String(chunk);
      if (text.includes("\n")) done();
    };
    input.setEncoding("utf8");
    input.on("data", onData);
    input.once("end", done);
    input.once("error", reject);
    input.resume();
  });
}

async function askPassword(io: PasswdIo, username: string): Promise<string> {
  if (!io.input.isTTY) return readLine(io.input);
  const first = await readHidden(io, `New password for ${username}: `);
  const second = await readHidden(io, "Again: ");
  if (first !== second) throw new UsageError("the two passwords differ; nothing changed", "passwd");
  return first;
}

async function checkNewPassword(password: string): Promise<void> {
  if (password.length < 8) throw new UsageError("the password needs at least 8 characters", "passwd");
  if (isPasswordHash(password) || looksLikeBrokenHash(password))
    throw new UsageError("that is a hash: give the password itself, vooru passwd hashes it", "passwd");
  const example = await publishedPasswordOf(password);
  if (example !== undefined)
    throw new UsageError(`"${example}" is a published example password: choose another`, "passwd");
}

export async function runPasswd(
  values: Record<string, string | boolean | undefined>,
  log: Logger,
  io: PasswdIo = processIo(),
): Promise<number> {
  const file = values.config;
  if (typeof file !== "string") throw new UsageError("passwd needs --config FILE", "passwd");
  const all = values.all === true;
  const generate = values.generate === true;
  const user = typeof values.user === "string" ? values.user : undefined;
  if (all === (user !== undefined)) throw new UsageError("passwd needs --user NAME or --all", "passwd");
  if (all && !generate) throw new UsageError("--all needs --generate (one new password each)", "passwd");
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigError(file, [`cannot read the file: ${(error as Error).message}`]);
  }
  const known = findUserPasswords(text).map((u) => u.username);
  if (known.length === 0) parseOfficeConfig(text, file); // says what is wrong, if it is the YAML
  const targets = all ? known : [user as string];
  for (const name of targets)
    if (!known.includes(name))
      throw new UsageError(
        `${file}: no user "${name}" in mqtt.users (users: ${known.join(", ") || "none"})`,
        "passwd",
      );
  if (targets.length === 0) throw new UsageError(`${file}: mqtt.users is empty`, "passwd");

  const chosen: Array<[string, string]> = [];
  for (const name of targets) {
    let password: string;
    try {
      password = generate ? generatePassword() : await askPassword(io, name);
    } catch (error) {
      if (!(error instanceof Cancelled)) throw error;
      log.error("cancelled; nothing changed");
      return 1;
    }
    await checkNewPassword(password);
    text = setUserPassword(text, name, hashPassword(password));
    chosen.push([name, password]);
  }
  try {
    parseOfficeConfig(text, file);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    log.warn(`${file} has other problems (vooru check --config ${file} lists them); the password is set`);
  }
  writeConfigFile(file, text);
  if (generate) {
    const width = Math.max(...chosen.map(([name]) => name.length));
    for (const [name, password] of chosen) io.print(`${name.padEnd(width)}  ${password}`);
    log.info("note these down now: only their hashes are stored, they are not shown again");
  }
  const who = chosen.map(([name]) => name).join(", ");
  log.info(`${file}: stored the hash of the new password of ${who}; restart vooru to use it`);
  return 0;
}

export const passwdCommand: Command = {
  name: "passwd",
  usage: USAGE,
  options: {
    config: { type: "string", short: "c" },
    user: { type: "string", short: "u" },
    generate: { type: "boolean" },
    all: { type: "boolean" },
  },
  run: ({ values }, { log }) => runPasswd(values, log),
};
