// The display's sound: Web Audio, each clip fetched from /clips/ and decoded once, an
// announcement scheduled as one gapless sequence with its pauses as silence.
import { type ClipStep, clipsOf } from "../../protocols/announce/spoken-call.js";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Web Audio: each clip fetched and decoded once, an announcement scheduled as one sequence. */
export class ClipPlayer {
  #context: AudioContext | null = null;
  readonly #buffers = new Map<string, Promise<AudioBuffer | null>>();
  readonly #sources = new Set<AudioBufferSourceNode>();

  /** `onStateChange`: the page redraws its sound button when the audio context starts or stops. */
  constructor(private readonly onStateChange: () => void) {}

  get running(): boolean {
    return this.#context?.state === "running";
  }

  /** Creates or resumes the audio context: in a click it may always start. */
  start(): void {
    if (!this.#context) {
      this.#context = new AudioContext();
      this.#context.addEventListener("statechange", () => this.onStateChange());
    }
    this.#context.resume().catch(() => {});
  }

  /** Silences what plays now and suspends the context. */
  stop(): void {
    for (const source of this.#sources) source.stop();
    this.#sources.clear();
    this.#context?.suspend().catch(() => {});
  }

  /** Starts fetching the clips of a sequence, in their order of first use. */
  prefetch(steps: readonly ClipStep[]): void {
    for (const clip of clipsOf(steps)) void this.#load(clip);
  }

  #load(clip: string): Promise<AudioBuffer | null> {
    const cached = this.#buffers.get(clip);
    if (cached) return cached;
    const context = this.#context;
    const url = `/clips/${clip.split("/").map(encodeURIComponent).join("/")}.wav`;
    const loading = (async () => {
      if (!context) return null;
      const response = await fetch(url);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return await context.decodeAudioData(await response.arrayBuffer());
    })().catch((error: unknown) => {
      console.warn(`vooru: clip ${url} could not be loaded (${String(error)}); it is left out`);
      // Tried again a minute later, not at every call.
      setTimeout(() => this.#buffers.delete(clip), 60_000);
      return null;
    });
    this.#buffers.set(clip, loading);
    return loading;
  }

  /** Plays a sequence: clips back to back, pauses as silence; resolves when it has ended. */
  async play(steps: readonly ClipStep[]): Promise<void> {
    const context = this.#context;
    if (!context) return;
    const buffers = new Map(
      await Promise.all(clipsOf(steps).map(async (clip) => [clip, await this.#load(clip)] as const)),
    );
    const running = () => context.state === "running";
    if (!running()) {
      // Without a gesture (or the autoplay flag) resume() never settles: do not wait for ever.
      await Promise.race([context.resume().catch(() => {}), sleep(1000)]);
      if (!running()) return;
    }
    let at = context.currentTime + 0.05;
    for (const step of steps) {
      if ("pauseMs" in step) {
        at += step.pauseMs / 1000;
        continue;
      }
      const buffer = buffers.get(step.clip);
      if (!buffer) continue;
      const source = context.createBufferSource();
      source.buffer = buffer;
      source.connect(context.destination);
      source.addEventListener("ended", () => this.#sources.delete(source));
      this.#sources.add(source);
      source.start(at);
      at += buffer.duration;
    }
    await sleep(Math.max(0, at - context.currentTime) * 1000 + 150);
  }
}
