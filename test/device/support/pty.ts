// A real serial pair without hardware: socat joins two ptys, each end reachable by a symlink.
// Killing socat is the "cable pulled": both ends hang up. CI installs socat; tests that need it
// use describe.skipIf(!socatAvailable()).
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function socatAvailable(): boolean {
  return spawnSync("which", ["socat"], { encoding: "utf8" }).status === 0;
}

export interface PtyPair {
  /** The end the code under test opens. */
  readonly a: string;
  /** The far end, where the simulator sits. */
  readonly b: string;
  /** Kills socat: both ends hang up, as when the device is unplugged. */
  stop(): Promise<void>;
}

export async function startPtyPair(): Promise<PtyPair> {
  const dir = mkdtempSync(join(tmpdir(), "vooru-pty-"));
  const a = join(dir, "a");
  const b = join(dir, "b");
  const child: ChildProcess = spawn(
    "socat",
    ["-d", "-d", `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let log = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    log += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const deadline = Date.now() + 5000;
  // socat logs "starting data transfer loop" once both ptys exist.
  while (!(existsSync(a) && existsSync(b) && log.includes("starting data transfer loop"))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill();
      throw new Error(`socat did not start: ${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  let stopped = false;
  return {
    a,
    b,
    async stop() {
      if (!stopped) {
        stopped = true;
        if (child.exitCode === null) child.kill("SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
