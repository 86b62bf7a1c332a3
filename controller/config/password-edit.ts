// The passwords of mqtt.users in an office.yaml as YAML nodes: where each one is (its line, for
// `vooru check`), and replacing one (`vooru passwd`) by splicing the new value into the text at the
// node's range, so every other byte of the file (comments, order, layout) stays as it was.
import {
  chmodSync,
  chownSync,
  closeSync,
  fsyncSync,
  openSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import { isAlias, isMap, isScalar, isSeq, LineCounter, type ParsedNode, parseDocument } from "yaml";
import { fsyncDir } from "../queue/journal/atomic-file.js";

export interface UserPassword {
  /** Index in mqtt.users. */
  index: number;
  username: string;
  /** 1-based line of the password's value (of the user's entry when it has no password). */
  line?: number;
  /** [start, end) of the password's value in the text, when it can be replaced there. */
  range?: [number, number];
}

function parse(text: string) {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, merge: true, prettyErrors: false });
  return { doc, lineCounter };
}

/** Every entry of mqtt.users with a username, in order; none when the text is not valid YAML. */
export function findUserPasswords(text: string): UserPassword[] {
  const { doc, lineCounter } = parse(text);
  if (doc.errors.length > 0) return [];
  const users = doc.getIn(["mqtt", "users"], true);
  if (!isSeq(users)) return [];
  const found: UserPassword[] = [];
  users.items.forEach((item, index) => {
    // An entry that is an alias shares its node with the anchor's: no range to replace there.
    const map = isAlias(item) ? item.resolve(doc) : item;
    if (!isMap(map)) return;
    const username = map.get("username");
    if (typeof username !== "string") return;
    const entry: UserPassword = { index, username };
    const node = map.get("password", true) as ParsedNode | undefined;
    const at = node?.range ?? (map as ParsedNode).range;
    if (at) entry.line = lineCounter.linePos(at[0]).line;
    if (!isAlias(item) && node && (isScalar(node) || isAlias(node)) && node.range)
      entry.range = [node.range[0], node.range[1]];
    found.push(entry);
  });
  return found;
}

/** The JS value of mqtt.users[index].password after the change, to see that the edit did that alone. */
function usersWith(text: string): unknown {
  const { doc } = parse(text);
  if (doc.errors.length > 0) return undefined;
  return doc.toJS();
}

function replaced(data: unknown, index: number, value: string): unknown {
  const copy = structuredClone(data) as { mqtt: { users: Array<Record<string, unknown>> } };
  const user = copy.mqtt.users[index];
  if (user) user.password = value;
  return copy;
}

/**
 * The text with mqtt.users[<username>].password set to `value` (a hash: no quoting needed). The
 * value is spliced in at the node's range; when that is not possible (no password key yet, an
 * alias, a block scalar), the Document API writes the file, which keeps comments and order too.
 * Throws when the user is not in mqtt.users.
 */
export function setUserPassword(text: string, username: string, value: string): string {
  const users = findUserPasswords(text);
  const user = users.find((u) => u.username === username);
  if (!user) {
    const known = users.map((u) => u.username).join(", ") || "none";
    throw new UnknownUserError(`no user "${username}" in mqtt.users (users: ${known})`);
  }
  const before = usersWith(text);
  const expected = JSON.stringify(replaced(before, user.index, value));
  if (user.range) {
    const [start, end] = user.range;
    // A block scalar's range takes in its line end: that stays.
    const lineEnd = /\s*$/.exec(text.slice(start, end))?.[0] ?? "";
    const spliced = `${text.slice(0, start)}${value}${lineEnd}${text.slice(end)}`;
    if (JSON.stringify(usersWith(spliced)) === expected) return spliced;
  }
  const { doc } = parse(text);
  doc.setIn(["mqtt", "users", user.index, "password"], value);
  const written = doc.toString({ lineWidth: 0 });
  if (JSON.stringify(usersWith(written)) !== expected)
    throw new Error(`could not set the password of "${username}" without changing anything else`);
  return written;
}

export class UnknownUserError extends Error {
  override readonly name = "UnknownUserError";
}

/**
 * Replaces the file at `path` with `text` atomically (a temp file renamed over it), mode 0600.
 * Run as root on a file owned by someone else (the service user), the new file keeps that owner.
 */
export function writeConfigFile(path: string, text: string): void {
  const owner = statSync(path);
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    const fd = openSync(temp, "wx", 0o600);
    try {
      const bytes = Buffer.from(text, "utf8");
      let done = 0;
      while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    chmodSync(temp, 0o600);
    if (process.getuid?.() === 0 && (owner.uid !== 0 || owner.gid !== 0))
      chownSync(temp, owner.uid, owner.gid);
    renameSync(temp, path);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // Never created, or renamed already.
    }
    throw error;
  }
  fsyncDir(dirname(path));
}
