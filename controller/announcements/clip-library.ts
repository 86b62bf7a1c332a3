// The clips announcements are made of: the office's own folder (announcements.clips) over the
// default set that ships in assets/clips/, each clip found in the first folder that has it. Every
// clip is read and checked at start, so a wrong recording stops the start with its path and the
// reason instead of a silent call later.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import type { ClipStep } from "../../protocols/announce/spoken-call.js";
import { concat, decodeWav, type Pcm, silence } from "../../protocols/audio/pcm.js";
import { packageRoot } from "../config/package-root.js";

export class ClipSetError extends Error {
  readonly code = "CLIP_SET_INVALID";
}

export function defaultClipsDir(): string {
  return join(packageRoot(), "assets", "clips");
}

/** Every `<folder>/<name>.wav` below a clip set, as "folder/name" -> path. */
function clipFiles(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ClipSetError(`${dir}: no such clip folder`);
  for (const folder of readdirSync(dir)) {
    const sub = join(dir, folder);
    if (!statSync(sub).isDirectory()) continue;
    for (const name of readdirSync(sub))
      if (name.endsWith(".wav")) files.set(`${folder}/${name.slice(0, -4)}`, join(sub, name));
  }
  return files;
}

export class ClipLibrary {
  private readonly pcms = new Map<string, Pcm>();
  private readonly paths = new Map<string, string>();
  readonly sampleRate: number;

  /** `dirs`: the office's folder first, the default set last. */
  constructor(dirs: readonly string[]) {
    for (const dir of [...dirs].reverse())
      for (const [clip, path] of clipFiles(dir)) this.paths.set(clip, path);
    let rate: number | null = null;
    for (const [clip, path] of this.paths) {
      let pcm: Pcm;
      try {
        pcm = decodeWav(readFileSync(path));
      } catch (error) {
        throw new ClipSetError(`${path}: ${(error as Error).message}`);
      }
      if (rate === null) rate = pcm.sampleRate;
      else if (pcm.sampleRate !== rate)
        throw new ClipSetError(
          `${path}: ${pcm.sampleRate} Hz, but the clip set is ${rate} Hz (${relative(dirs.at(-1) ?? "", path)}); convert it, e.g. sox in.wav -r ${rate} -c 1 -b 16 out.wav`,
        );
      this.pcms.set(clip, pcm);
    }
    if (rate === null) throw new ClipSetError(`${dirs.join(", ")}: no clips`);
    this.sampleRate = rate;
  }

  static forOffice(officeDir: string | undefined): ClipLibrary {
    return new ClipLibrary(officeDir ? [officeDir, defaultClipsDir()] : [defaultClipsDir()]);
  }

  has(clip: string): boolean {
    return this.pcms.has(clip);
  }

  /** Where the file of a clip is (for the web server), or null. */
  path(clip: string): string | null {
    return this.paths.get(clip) ?? null;
  }

  /** The clips a sequence names that no folder has. */
  missing(steps: readonly ClipStep[]): string[] {
    return steps.flatMap((s) => ("clip" in s && !this.pcms.has(s.clip) ? [s.clip] : []));
  }

  /** The sequence as one sound; a clip no folder has is left out (missing() tells which). */
  render(steps: readonly ClipStep[]): Pcm {
    const parts: Pcm[] = [];
    for (const step of steps) {
      if ("pauseMs" in step) parts.push(silence(this.sampleRate, step.pauseMs));
      else {
        const pcm = this.pcms.get(step.clip);
        if (pcm) parts.push(pcm);
      }
    }
    return concat(parts.length > 0 ? parts : [silence(this.sampleRate, 0)]);
  }
}
