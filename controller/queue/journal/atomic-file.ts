// Whole-file replacement that survives a power cut: readers see the old content or the new,
// never a mix, and the rename itself is on disk before we return.
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { dirname } from "node:path";

/** The data folder and its files are the controller's alone (no other user on the Pi reads them). */
export const PRIVATE_DIR = 0o700;
export const PRIVATE_FILE = 0o600;

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    const fd = openSync(tmp, "w", PRIVATE_FILE);
    try {
      const bytes = typeof data === "string" ? Buffer.from(data) : data;
      let done = 0;
      while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (error) {
    try {
      unlinkSync(tmp);
    } catch {
      // Already renamed or never created: nothing to clean up.
    }
    throw error;
  }
  fsyncDir(dirname(path));
}

/** Makes created, renamed or removed directory entries durable. */
export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch (error) {
    // Some platforms (Windows, some network file systems) cannot open or fsync a directory.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "EISDIR" && code !== "EINVAL") throw error;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
