// One vooru per data directory: two controllers appending to one journal would hand out the same
// ticket number twice. The lock is a file holding the owner's pid, so a crash leaves it behind
// and the next start must tell a live owner from a stale file.
import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";
import { PRIVATE_DIR, PRIVATE_FILE } from "./atomic-file.js";
import { ioError, JournalError, messageOf } from "./errors.js";

export interface LockOptions {
  /** Our pid; tests pose as another process with it. */
  pid?: number;
  /** Whether `pid` is a live vooru. Replaces the default check (signal 0 plus /proc cmdline). */
  isAlive?: (pid: number) => boolean;
  onWarning?: (msg: string) => void;
}

export interface Lock {
  path: string;
  release(): void;
}

export const LOCK_FILE = "vooru.lock";

/** Lock files held by this process: our own pid in one of these is a second open, not a stale file. */
const heldHere = new Set<string>();

export function acquireLock(dir: string, options: LockOptions = {}): Lock {
  const pid = options.pid ?? process.pid;
  const isAlive = options.isAlive ?? isLiveVooru;
  const warn = options.onWarning ?? ((msg: string) => console.warn(msg));
  const path = join(dir, LOCK_FILE);
  try {
    mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
  } catch (error) {
    throw ioError(`lock: cannot create ${dir}`, error);
  }
  try {
    // A folder made before (by hand, by an older vooru) is closed to other users too.
    chmodSync(dir, PRIVATE_DIR);
  } catch (error) {
    warn(`lock: cannot make ${dir} private (${messageOf(error)}); other users may read the journal`);
  }

  // A few rounds: after removing a stale file another starter may win the next create.
  for (let round = 0; round < 3; round++) {
    if (tryCreate(path, pid)) {
      heldHere.add(path);
      return {
        path,
        release: () => {
          heldHere.delete(path);
          release(path, pid);
        },
      };
    }
    const holder = readHolder(path);
    if (holder === "gone") continue;
    if (holder === pid && heldHere.has(path)) {
      throw new JournalError("LOCK_HELD", `${dir} is already open in this process (pid ${pid})`);
    }
    if (typeof holder === "string") {
      warn(`lock: ${path} is unreadable (${holder}); taking it over`);
    } else if (holder !== pid && isAlive(holder)) {
      throw new JournalError(
        "LOCK_HELD",
        `another vooru (pid ${holder}) is using ${dir}; stop it first, or remove ${path} if no vooru runs`,
      );
    } else if (holder === pid) {
      // Our own pid in the file: a vooru of an earlier boot had the same pid.
      warn(`lock: ${path} names our own pid ${pid}, left by an earlier run; taking it over`);
    } else {
      warn(`lock: ${path} was left by pid ${holder}, which no longer runs vooru; taking it over`);
    }
    try {
      unlinkSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT")
        throw ioError(`lock: cannot remove ${path}`, error);
    }
  }
  throw new JournalError("LOCK_HELD", `lock: ${path} keeps reappearing; is another vooru starting?`);
}

function tryCreate(path: string, pid: number): boolean {
  let fd: number;
  try {
    fd = openSync(path, "wx", PRIVATE_FILE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw ioError(`lock: cannot create ${path}`, error);
  }
  try {
    writeSync(fd, `${JSON.stringify({ pid, startedAt: new Date().toISOString() })}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** The holder's pid, "gone" if the file vanished meanwhile, or why it cannot be read. */
function readHolder(path: string): number | "gone" | string {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "gone";
    return messageOf(error);
  }
  try {
    const pid: unknown = (JSON.parse(text) as { pid?: unknown } | null)?.pid;
    if (typeof pid === "number" && Number.isSafeInteger(pid) && pid > 0) return pid;
    return "no pid in it";
  } catch {
    return "not JSON";
  }
}

function release(path: string, pid: number): void {
  // Only our own lock: after a takeover the file may belong to someone else.
  if (readHolder(path) !== pid) return;
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
}

/** Signal 0 tells whether the pid runs; its command line tells whether it is still a vooru. */
export function isLiveVooru(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it runs, as another user.
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  // PIDs are reused after a reboot: a live pid running something else is a stale lock.
  let cmdline: string;
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
  } catch {
    return true; // No /proc (macOS) or not ours to read: trust the signal.
  }
  return cmdline.includes("node") || cmdline.includes("vooru");
}
