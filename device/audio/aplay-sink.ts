// A speaker on the Pi: ALSA through `aplay` (Debian package alsa-utils), one process per
// announcement with the WAV on its stdin, so nothing native is compiled and any ALSA output
// works (`aplay -L` lists them). A play that fails (no such device, device busy, aplay missing)
// reports the speaker offline with AUDIO_OFFLINE; a short silent probe, at start and every
// `probeMs` while offline, finds it back and clears the alert.
import { type ChildProcess, spawn as nodeSpawn } from "node:child_process";
import { wavDurationMs } from "../../protocols/audio/pcm.js";
import type { DeviceHealthSink } from "../health.js";
import { realTimers, type Timers } from "../timers.js";
import { AUDIO_OFFLINE, type AudioSink } from "./audio-sink.js";

export interface AplaySinkOptions {
  id: string;
  /** The ALSA device (-D), e.g. "default" or "plughw:CARD=Headphones". */
  device: string;
  health: DeviceHealthSink;
  clock: () => number;
  /** A silent WAV for the probe (the clip set's rate). */
  probeWav: Uint8Array;
  spawn?: typeof nodeSpawn;
  /** The aplay binary; default "aplay" on PATH. */
  command?: string;
  timers?: Timers;
  /** How often an offline speaker is tried again (default 10 s). */
  probeMs?: number;
  /** A play that takes longer than its sound plus this has hung (default 5 s). */
  slackMs?: number;
}

export class AplaySink implements AudioSink {
  private isOnline = false;
  private probeTimer: unknown = null;
  private stopped = false;
  private readonly children = new Set<ChildProcess>();
  private readonly timers: Timers;

  constructor(private readonly o: AplaySinkOptions) {
    this.timers = o.timers ?? realTimers;
    o.health.report("offline", ["connecting"]);
  }

  get id(): string {
    return this.o.id;
  }

  get online(): boolean {
    return this.isOnline;
  }

  start(): void {
    void this.probe();
  }

  async play(wav: Uint8Array): Promise<void> {
    try {
      await this.run(wav);
      this.markOnline();
    } catch (error) {
      this.markOffline((error as Error).message);
      throw error;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.probeTimer !== null) this.timers.clearTimeout(this.probeTimer);
    for (const child of this.children) child.kill("SIGTERM");
  }

  private async probe(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.run(this.o.probeWav);
      this.markOnline();
    } catch (error) {
      this.markOffline((error as Error).message);
    }
  }

  private markOnline(): void {
    this.isOnline = true;
    this.o.health.report("ok", [], this.o.clock());
    this.o.health.clear(AUDIO_OFFLINE);
  }

  private markOffline(reason: string): void {
    this.isOnline = false;
    this.o.health.report("offline", ["play_failed"], undefined, { reason });
    this.o.health.raise(
      AUDIO_OFFLINE,
      "warning",
      `speaker ${this.o.id} (ALSA ${this.o.device}) cannot play: ${reason}; calls still go to the boards`,
    );
    if (this.probeTimer === null && !this.stopped)
      this.probeTimer = this.timers.setTimeout(() => {
        this.probeTimer = null;
        void this.probe();
      }, this.o.probeMs ?? 10_000);
  }

  /** One aplay with the WAV on stdin; resolves on exit 0, rejects with what aplay said. */
  private run(wav: Uint8Array): Promise<void> {
    const spawn = this.o.spawn ?? nodeSpawn;
    return new Promise((resolve, reject) => {
      let child: ChildProcess;
      try {
        child = spawn(this.o.command ?? "aplay", ["-q", "-D", this.o.device, "-t", "wav", "-"], {
          stdio: ["pipe", "ignore", "pipe"],
        });
      } catch (error) {
        reject(error as Error);
        return;
      }
      this.children.add(child);
      let stderr = "";
      let settled = false;
      const finish = (error?: Error) => {
        if (settled) return;
        settled = true;
        this.timers.clearTimeout(hang);
        this.children.delete(child);
        if (error) reject(error);
        else resolve();
      };
      const hang = this.timers.setTimeout(
        () => {
          child.kill("SIGKILL");
          finish(new Error("aplay did not finish (the device hangs)"));
        },
        wavDurationMs(wav) + (this.o.slackMs ?? 5000),
      );
      child.stderr?.on("data", (chunk: Buffer) => {
        stderr = (stderr + chunk.toString("utf8")).slice(-500);
      });
      child.on("error", (error: NodeJS.ErrnoException) =>
        finish(
          new Error(
            error.code === "ENOENT" ? "aplay is not installed (sudo apt install alsa-utils)" : error.message,
          ),
        ),
      );
      child.on("close", (code, signal) => {
        if (code === 0) finish();
        else finish(new Error(stderr.trim().split("\n").at(-1) || `aplay exited with ${signal ?? code}`));
      });
      child.stdin?.on("error", () => {}); // EPIPE when aplay exits early: its exit code tells why
      child.stdin?.end(Buffer.from(wav.buffer, wav.byteOffset, wav.byteLength));
    });
  }
}
