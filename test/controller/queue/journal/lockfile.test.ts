import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { JournalError } from "../../../../controller/queue/journal/errors.js";
import { acquireLock, isLiveVooru } from "../../../../controller/queue/journal/lockfile.js";
import { useTempDirs } from "./temp-dir.js";

const tempDir = useTempDirs();
/** A pid that is not ours, for posing as a second vooru in the same test process. */
const OTHER_PID = process.pid + 100_000;

function lockError(run: () => unknown): JournalError {
  try {
    run();
  } catch (error) {
    if (error instanceof JournalError) return error;
    throw error;
  }
  throw new Error("expected a JournalError");
}

describe("acquireLock", () => {
  it("writes our pid and start time into vooru.lock", () => {
    const dir = tempDir();
    const lock = acquireLock(dir);
    expect(lock.path).toBe(join(dir, "vooru.lock"));
    const content = JSON.parse(readFileSync(lock.path, "utf8"));
    expect(content.pid).toBe(process.pid);
    expect(Number.isNaN(Date.parse(content.startedAt))).toBe(false);
    lock.release();
    expect(existsSync(lock.path)).toBe(false);
  });

  it("refuses a second instance while the first one runs, naming its pid and the directory", () => {
    const dir = tempDir();
    const first = acquireLock(dir); // held by this (live, node) process
    const error = lockError(() => acquireLock(dir, { pid: OTHER_PID }));
    expect(error.code).toBe("LOCK_HELD");
    expect(error.message).toBe(
      `another vooru (pid ${process.pid}) is using ${dir}; stop it first, or remove ${dir}/vooru.lock if no vooru runs`,
    );
    first.release();
    const second = acquireLock(dir, { pid: OTHER_PID });
    expect(JSON.parse(readFileSync(second.path, "utf8")).pid).toBe(OTHER_PID);
    second.release();
  });

  it("takes over a lock left by a dead process, with a warning", () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, "vooru.lock"),
      JSON.stringify({ pid: 999999, startedAt: "2024-01-01T00:00:00Z" }),
    );
    const warnings: string[] = [];
    const lock = acquireLock(dir, { isAlive: (pid) => pid !== 999999, onWarning: (m) => warnings.push(m) });
    expect(warnings).toEqual([expect.stringMatching(/pid 999999.*taking it over/)]);
    expect(JSON.parse(readFileSync(lock.path, "utf8")).pid).toBe(process.pid);
    lock.release();
  });

  it("takes over an unreadable lock file, with a warning", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "vooru.lock"), "\0\0\0");
    const warnings: string[] = [];
    const lock = acquireLock(dir, { onWarning: (m) => warnings.push(m) });
    expect(warnings).toEqual([expect.stringMatching(/unreadable \(not JSON\); taking it over/)]);
    lock.release();
  });

  it("takes over a lock naming our own pid: a vooru of an earlier boot", () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, "vooru.lock"),
      JSON.stringify({ pid: process.pid, startedAt: "2024-01-01T00:00:00Z" }),
    );
    const warnings: string[] = [];
    const lock = acquireLock(dir, { isAlive: () => true, onWarning: (m) => warnings.push(m) });
    expect(warnings).toEqual([expect.stringMatching(/our own pid/)]);
    lock.release();
  });

  it("release leaves alone a lock that another process has taken over", () => {
    const dir = tempDir();
    const ours = acquireLock(dir, { pid: OTHER_PID });
    const theirs = acquireLock(dir, { isAlive: () => false, onWarning: () => {} });
    ours.release();
    expect(JSON.parse(readFileSync(theirs.path, "utf8")).pid).toBe(process.pid);
    theirs.release();
    ours.release(); // twice, and with the file gone: no error
    expect(existsSync(theirs.path)).toBe(false);
  });
});

describe.skipIf(!existsSync("/proc/self/cmdline"))("isLiveVooru", () => {
  it("is true for this node process", () => {
    expect(isLiveVooru(process.pid)).toBe(true);
  });

  it("is false for a live pid that runs something other than node or vooru (reused pid)", async () => {
    const child = spawn("sleep", ["30"], { stdio: "ignore" });
    try {
      await new Promise((resolve) => child.once("spawn", resolve));
      expect(isLiveVooru(child.pid as number)).toBe(false);
    } finally {
      child.kill();
    }
  });

  it("is false for a pid that no longer runs", async () => {
    const child = spawn("true", { stdio: "ignore" });
    await new Promise((resolve) => child.once("exit", resolve));
    expect(isLiveVooru(child.pid as number)).toBe(false);
  });
});
