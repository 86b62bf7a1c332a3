// snapshot.json holds the folded state at a seq, so a start replays only the records after it.
// snapshot.prev.json is the one before: a fallback if the newest cannot be read.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "./atomic-file.js";
import { ioError, JournalError, messageOf } from "./errors.js";

export const SNAPSHOT_FORMAT = 1;

export interface Snapshot {
  seq: number;
  state: unknown;
}

export function snapshotPaths(dir: string): { current: string; prev: string } {
  return { current: join(dir, "snapshot.json"), prev: join(dir, "snapshot.prev.json") };
}

/** The snapshot or null if none was ever written; falls back to the previous one with a warning. */
export function readSnapshot(dir: string, warn: (msg: string) => void): Snapshot | null {
  const { current, prev } = snapshotPaths(dir);
  const main = parseSnapshotFile(current);
  if (main.ok) return main.snapshot;
  if (main.missing && !existsSync(prev)) return null;
  const fallback = parseSnapshotFile(prev);
  if (!fallback.ok) {
    if (main.missing) throw new JournalError("SNAPSHOT_CORRUPT", `${prev}: ${fallback.problem}`);
    throw new JournalError(
      "SNAPSHOT_CORRUPT",
      `${current}: ${main.problem} (and ${prev}: ${fallback.problem})`,
    );
  }
  warn(
    `journal: ${current}: ${main.missing ? "missing" : main.problem}; using ${prev} ` +
      `(seq ${fallback.snapshot.seq}) and replaying the journal from there`,
  );
  return fallback.snapshot;
}

/** Keeps the current snapshot as prev (only if it is sound), then replaces it. */
export function writeSnapshotFiles(dir: string, seq: number, state: unknown): void {
  const { current, prev } = snapshotPaths(dir);
  const text = `${JSON.stringify({ format: SNAPSHOT_FORMAT, seq, state: state ?? null })}\n`;
  try {
    // Copy, not rename: a rename would leave a moment with no snapshot.json at all.
    const old = parseSnapshotFile(current);
    if (old.ok) writeFileAtomic(prev, readFileSync(current));
    writeFileAtomic(current, text);
  } catch (error) {
    throw ioError(`journal: cannot write ${current}`, error);
  }
}

type Parsed = { ok: true; snapshot: Snapshot } | { ok: false; missing: boolean; problem: string };

function parseSnapshotFile(path: string): Parsed {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT")
      return { ok: false, missing: true, problem: "missing" };
    throw ioError(`journal: cannot read ${path}`, error);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, missing: false, problem: `not valid JSON (${messageOf(error)})` };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return { ok: false, missing: false, problem: "not a snapshot object" };
  const v = value as { format?: unknown; seq?: unknown; state?: unknown };
  if (v.format !== SNAPSHOT_FORMAT)
    return { ok: false, missing: false, problem: `unknown format ${JSON.stringify(v.format)}` };
  if (typeof v.seq !== "number" || !Number.isSafeInteger(v.seq) || v.seq < 0)
    return { ok: false, missing: false, problem: "no valid seq" };
  if (!("state" in v)) return { ok: false, missing: false, problem: "no state" };
  return { ok: true, snapshot: { seq: v.seq, state: v.state } };
}
