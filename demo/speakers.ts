// A simulated speaker: it "plays" an announcement by keeping it, for as long as the sound lasts
// (scaled by `timeScale`: 1 is real time, tests make it shorter), so the queueing is the real one.
// Unplugged, every play fails like an ALSA device that went away, with AUDIO_OFFLINE.
import { AUDIO_OFFLINE, type AudioSink } from "../device/audio/audio-sink.js";
import type { DeviceHealthSink } from "../device/health.js";
import { wavDurationMs } from "../protocols/audio/pcm.js";

export interface PlayedSound {
  at: number;
  wav: Uint8Array;
  durationMs: number;
}

/** How many sounds a simulated speaker keeps: a long demo day must not keep every call's WAV. */
export const KEPT_SOUNDS = 20;

export class SimulatedSpeaker implements AudioSink {
  /** The last KEPT_SOUNDS sounds played, oldest first. */
  readonly played: PlayedSound[] = [];
  /** Every sound played since start. */
  playCount = 0;
  plugged = true;
  private isOnline = false;
  private readonly listeners = new Set<(sound: PlayedSound) => void>();

  constructor(
    readonly id: string,
    private readonly health: DeviceHealthSink,
    private readonly clock: () => number,
    /** How long a play takes relative to the sound (1 real time; 0 at once). */
    public timeScale = 1,
  ) {}

  get online(): boolean {
    return this.isOnline;
  }

  start(): void {
    if (this.plugged) this.up();
    else this.down();
  }

  async play(wav: Uint8Array): Promise<void> {
    if (!this.plugged) {
      this.down();
      throw new Error("the simulated speaker is unplugged");
    }
    const sound = { at: this.clock(), wav, durationMs: wavDurationMs(wav) };
    this.played.push(sound);
    if (this.played.length > KEPT_SOUNDS) this.played.splice(0, this.played.length - KEPT_SOUNDS);
    this.playCount++;
    for (const listener of this.listeners) listener(sound);
    this.up();
    const ms = sound.durationMs * this.timeScale;
    if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
  }

  /** Pulls the plug (false) or plugs it back (true): the next play, or this, tells the controller. */
  setPlugged(plugged: boolean): void {
    this.plugged = plugged;
    if (plugged) this.up();
    else this.down();
  }

  onPlay(listener: (sound: PlayedSound) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async stop(): Promise<void> {}

  private up(): void {
    this.isOnline = true;
    this.health.report("ok", [], this.clock());
    this.health.clear(AUDIO_OFFLINE);
  }

  private down(): void {
    this.isOnline = false;
    this.health.report("offline", ["unplugged"]);
    this.health.raise(
      AUDIO_OFFLINE,
      "warning",
      `speaker ${this.id} cannot play: unplugged; calls still go to the boards`,
    );
  }
}
