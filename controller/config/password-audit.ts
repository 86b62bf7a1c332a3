// What `vooru check` and `vooru start` say about an office's secrets: a warning for each password
// still in plain text (file and line), for office.yaml or the data folder being open to other
// users (with the chmod that closes it), and a problem, which stops both, for any password that is
// one of the examples published with vooru (examples/*.yaml, the docs), stored plain or hashed.
import { lstatSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isPasswordHash, verifyPasswordAsync } from "../mqtt/password-hash.js";
import { findUserPasswords, type UserPassword } from "./password-edit.js";
import type { OfficeConfig } from "./schema.js";

/** Every password published in examples/*.yaml, the README and docs/ (a test keeps this complete). */
export const PUBLISHED_PASSWORDS: readonly string[] = [
  "change-me-counter-1",
  "change-me-counter-2",
  "change-me-counter-3",
  "change-me-counter-4",
  "change-me-counter-5",
  "change-me-desk",
  "change-me-monitor",
  "change-me-please",
  "change-me",
  "change-this-password",
  "change-this-bridge-password",
];

/** Plain text is checked against the pattern too, so change-me-counter-9 counts as published. */
const PUBLISHED_PATTERN = /^change-me-counter-[0-9]+$/;

/** The published example `stored` is (plain, or a hash of one), or undefined. */
export async function publishedPasswordOf(stored: string): Promise<string | undefined> {
  if (!isPasswordHash(stored))
    return PUBLISHED_PASSWORDS.includes(stored) || PUBLISHED_PATTERN.test(stored) ? stored : undefined;
  const matches = await Promise.all(PUBLISHED_PASSWORDS.map((p) => verifyPasswordAsync(stored, p)));
  return PUBLISHED_PASSWORDS[matches.indexOf(true)];
}

export interface AuditResult {
  /** Worth fixing; the office runs. */
  warnings: string[];
  /** Lines for a ConfigError of the file: the office must not run like this. */
  problems: string[];
}

export interface AuditOptions {
  /** The data folder the office uses (--data-dir, or journal.dataDir). */
  dataDir?: string;
  /** `vooru start` makes the data folder itself 0700: only its contents are worth a warning then. */
  dataDirMadePrivate?: boolean;
}

const octal = (mode: number) => (mode & 0o777).toString(8).padStart(4, "0");

/** Warnings for the config file and the data folder (journal, snapshots) open to group or others. */
export function permissionWarnings(file: string, options: AuditOptions = {}): string[] {
  const warnings: string[] = [];
  const mode = modeOf(file);
  if (mode !== undefined && (mode & 0o077) !== 0)
    warnings.push(
      `${file} is open to other users (mode ${octal(mode)}) and holds passwords: chmod 600 ${file}`,
    );
  const dir = options.dataDir;
  const dirMode = dir === undefined ? undefined : modeOf(dir);
  if (dir === undefined || dirMode === undefined) return warnings;
  if ((dirMode & 0o077) !== 0 && !options.dataDirMadePrivate)
    warnings.push(
      `the data folder ${dir} (journal, snapshots) is open to other users (mode ${octal(dirMode)}): chmod 700 ${dir}`,
    );
  const open = openEntries(dir);
  if (open.count > 0 && open.first)
    warnings.push(
      `${open.count} ${open.count === 1 ? "entry" : "entries"} in the data folder ${dir} ${open.count === 1 ? "is" : "are"} open to other users (${open.first.path}: mode ${octal(open.first.mode)}): chmod -R go-rwx ${dir}`,
    );
  return warnings;
}

function modeOf(path: string): number | undefined {
  try {
    return lstatSync(path).mode;
  } catch {
    return undefined;
  }
}

const WALK_LIMIT = 50_000;

/** Files and folders under `dir` with any group or other permission bit (symlinks aside). */
function openEntries(dir: string): { count: number; first?: { path: string; mode: number } } {
  let count = 0;
  let seen = 0;
  let first: { path: string; mode: number } | undefined;
  const walk = (folder: string) => {
    let names: string[];
    try {
      names = readdirSync(folder);
    } catch {
      return;
    }
    for (const name of names) {
      if (++seen > WALK_LIMIT) return;
      const path = join(folder, name);
      let stat: ReturnType<typeof lstatSync>;
      try {
        stat = lstatSync(path);
      } catch {
        continue;
      }
      if (stat.isSymbolicLink()) continue;
      if ((stat.mode & 0o077) !== 0) {
        count++;
        first ??= { path, mode: stat.mode };
      }
      if (stat.isDirectory()) walk(path);
    }
  };
  walk(dir);
  return first ? { count, first } : { count };
}

function userLabel(user: { index: number; username: string }, where: UserPassword | undefined): string {
  const line = where?.line !== undefined ? `, line ${where.line}` : "";
  return `mqtt.users[${user.index}].password (${user.username}${line})`;
}

/**
 * Plain-text warnings and published-password problems of the passwords in `config`, read from
 * `file` whose text is `text` (for the lines).
 */
export async function auditPasswords(config: OfficeConfig, file: string, text: string): Promise<AuditResult> {
  const nodes = findUserPasswords(text);
  const warnings: string[] = [];
  const problems: string[] = [];
  const users = config.mqtt.users.map((u, index) => ({ ...u, index }));
  const published = await Promise.all(users.map((u) => publishedPasswordOf(u.password)));
  for (const user of users) {
    const where = nodes.find((n) => n.index === user.index);
    const passwd = `vooru passwd --config ${file} --user ${user.username}`;
    const example = published[user.index];
    if (example !== undefined) {
      const what = isPasswordHash(user.password) ? "a hash of the published" : "the published";
      problems.push(
        `${userLabel(user, where)}: is ${what} example password "${example}", which anyone can look up; set a new one with ${passwd}`,
      );
    } else if (!isPasswordHash(user.password)) {
      const at = where?.line !== undefined ? `${file}:${where.line}` : file;
      warnings.push(
        `${at}: the password of mqtt.users[${user.index}] (${user.username}) is plain text; store its hash instead: ${passwd}`,
      );
    }
  }
  // The controller's logins must be plain text, but not one everybody knows.
  const logins: Array<[string, string | undefined]> = [
    ["mqtt.broker.password", config.mqtt.broker?.password],
    ["mqtt.bridge.password", config.mqtt.bridge?.password],
  ];
  for (const [path, password] of logins) {
    const example = password === undefined ? undefined : await publishedPasswordOf(password);
    if (example !== undefined)
      problems.push(
        `${path}: is the published example password "${example}", which anyone can look up; choose another (and run vooru mosquitto-config again)`,
      );
  }
  return { warnings, problems };
}

/** Everything check and start say about the secrets of the office in `file`. */
export async function auditOffice(
  file: string,
  config: OfficeConfig,
  options: AuditOptions = {},
): Promise<AuditResult> {
  let text = "";
  try {
    text = readFileSync(file, "utf8");
  } catch {
    // Loaded a moment ago: without the text the warnings only lack their lines.
  }
  const passwords = await auditPasswords(config, file, text);
  return {
    warnings: [...passwords.warnings, ...permissionWarnings(file, options)],
    problems: passwords.problems,
  };
}
