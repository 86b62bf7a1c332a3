// 16-bit mono PCM, the one format of a clip set (see protocols/announce/spoken-call.ts): decode and
// encode WAV, pad with silence, join, trim, level, measure. Pure: bytes in, bytes out, no I/O.
//
// Levels are in dBFS against a full-scale sample (32768): a sample of ±32767 is about 0 dBFS, a
// full-scale sine has an RMS of -3 dBFS, digital silence is -Infinity.
import * as wavefileModule from "wavefile";

// wavefile ships a UMD bundle: Node's ESM loader sees only its `default` (module.exports), while
// esbuild, tsx's CommonJS path and bundlers that take its "module" field see named exports.
type WavefileModule = typeof wavefileModule;
const wavefile = wavefileModule as WavefileModule & { default?: WavefileModule };
const WaveFile = wavefile.WaveFile ?? (wavefile.default as WavefileModule).WaveFile;

/** 16-bit mono samples at one sample rate. */
export interface Pcm {
  sampleRate: number;
  samples: Int16Array;
}

export type ClipFormatErrorCode = "NOT_WAV" | "NOT_PCM16" | "NOT_MONO" | "RATE_MISMATCH";

/** A clip that is not 16-bit PCM mono WAV, or clips of different rates joined together. */
export class ClipFormatError extends Error {
  override readonly name = "ClipFormatError";
  constructor(
    readonly code: ClipFormatErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const FULL_SCALE = 32768;
const NEEDED = "a clip must be a WAV file of 16-bit PCM mono (e.g. `sox in.wav -r 16000 -c 1 -b 16 out.wav`)";

/** The fields of wavefile's `fmt` chunk that a clip depends on. */
interface FmtChunk {
  audioFormat: number;
  numChannels: number;
  sampleRate: number;
  bitsPerSample: number;
  subformat: number[];
}

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
const FORMAT_NAMES: Record<number, string> = {
  1: "PCM",
  2: "Microsoft ADPCM",
  3: "32-bit float",
  6: "A-law",
  7: "µ-law",
  17: "IMA ADPCM",
  85: "MP3",
};

/** Reads a WAV file of 16-bit PCM mono; anything else is refused with a ClipFormatError. */
export function decodeWav(bytes: Uint8Array, source = "the file"): Pcm {
  let wav: InstanceType<typeof WaveFile>;
  try {
    wav = new WaveFile(bytes);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new ClipFormatError("NOT_WAV", `${source} is not a readable WAV file (${why}); ${NEEDED}`);
  }
  const fmt = wav.fmt as FmtChunk;
  const extensiblePcm = fmt.audioFormat === WAVE_FORMAT_EXTENSIBLE && fmt.subformat[0] === WAVE_FORMAT_PCM;
  const pcm = fmt.audioFormat === WAVE_FORMAT_PCM || extensiblePcm;
  if (!pcm || fmt.bitsPerSample !== 16) {
    const kind = pcm
      ? `${fmt.bitsPerSample}-bit PCM`
      : (FORMAT_NAMES[fmt.audioFormat] ?? `format ${fmt.audioFormat}`);
    throw new ClipFormatError(
      "NOT_PCM16",
      `${source} is a WAV of ${kind}, ${describeChannels(fmt.numChannels)}, ${fmt.sampleRate} Hz; ${NEEDED}`,
    );
  }
  if (fmt.numChannels !== 1) {
    throw new ClipFormatError(
      "NOT_MONO",
      `${source} is a WAV of 16-bit PCM, ${describeChannels(fmt.numChannels)}, ${fmt.sampleRate} Hz; ${NEEDED}`,
    );
  }
  const samples = wav.getSamples(false, Int16Array) as unknown as Int16Array;
  return { sampleRate: fmt.sampleRate, samples };
}

function describeChannels(n: number): string {
  return n === 1 ? "mono" : n === 2 ? "stereo" : `${n} channels`;
}

/**
 * A canonical 44-byte-header RIFF WAV of 16-bit PCM mono, written directly: it is on the path
 * from a call to the speaker, and wavefile's general writer takes ~30 ms for a 9 s call where
 * this takes about 1 ms. (Reading stays with wavefile: office recordings come in any form.)
 */
export function encodeWav(pcm: Pcm): Uint8Array {
  const dataBytes = pcm.samples.length * 2;
  const bytes = new Uint8Array(44 + dataBytes);
  const view = new DataView(bytes.buffer);
  const ascii = (at: number, text: string) => {
    for (let i = 0; i < text.length; i++) bytes[at + i] = text.charCodeAt(i);
  };
  ascii(0, "RIFF");
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  view.setUint32(16, 16, true); // fmt chunk size
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, pcm.sampleRate, true);
  view.setUint32(28, pcm.sampleRate * 2, true); // byte rate
  view.setUint16(32, 2, true); // block align
  view.setUint16(34, 16, true); // bits per sample
  ascii(36, "data");
  view.setUint32(40, dataBytes, true);
  for (let i = 0; i < pcm.samples.length; i++) view.setInt16(44 + i * 2, pcm.samples[i] as number, true);
  return bytes;
}

/**
 * How long the sound of a WAV that encodeWav wrote lasts, read off its 44-byte header alone (no
 * decoding): for a speaker's timeouts and a simulated speaker's play time.
 */
export function wavDurationMs(wav: Uint8Array): number {
  if (wav.length < 44) return 0;
  const view = new DataView(wav.buffer, wav.byteOffset, wav.byteLength);
  const byteRate = view.getUint32(28, true);
  return byteRate > 0 ? (view.getUint32(40, true) / byteRate) * 1000 : 0;
}

export function silence(sampleRate: number, ms: number): Pcm {
  return { sampleRate, samples: new Int16Array(Math.max(0, Math.round((sampleRate * ms) / 1000))) };
}

/** The parts one after another; they must share a sample rate. */
export function concat(parts: readonly Pcm[]): Pcm {
  const first = parts[0];
  if (!first) throw new RangeError("concat needs at least one part (it takes the sample rate from it)");
  const rates = [...new Set(parts.map((p) => p.sampleRate))];
  if (rates.length > 1) {
    throw new ClipFormatError(
      "RATE_MISMATCH",
      `cannot join clips of different sample rates (${rates.join(" Hz, ")} Hz); convert them to one rate first`,
    );
  }
  const samples = new Int16Array(parts.reduce((n, p) => n + p.samples.length, 0));
  let at = 0;
  for (const part of parts) {
    samples.set(part.samples, at);
    at += part.samples.length;
  }
  return { sampleRate: first.sampleRate, samples };
}

export function durationMs(pcm: Pcm): number {
  return (pcm.samples.length * 1000) / pcm.sampleRate;
}

const toDb = (amplitude: number) => 20 * Math.log10(amplitude / FULL_SCALE);
const fromDb = (db: number) => FULL_SCALE * 10 ** (db / 20);

/** The loudest sample in dBFS; -Infinity for silence or no samples. */
export function peakDbfs(pcm: Pcm): number {
  let peak = 0;
  for (const s of pcm.samples) peak = Math.max(peak, Math.abs(s));
  return toDb(peak);
}

/** The root mean square of all samples in dBFS; -Infinity for silence or no samples. */
export function rmsDbfs(pcm: Pcm): number {
  if (pcm.samples.length === 0) return Number.NEGATIVE_INFINITY;
  let sum = 0;
  for (const s of pcm.samples) sum += s * s;
  return toDb(Math.sqrt(sum / pcm.samples.length));
}

export interface TrimOptions {
  /** A sample quieter than this (dBFS, absolute) counts as silence. Default -50. */
  thresholdDb?: number;
  /** How much of the silence to keep before the first and after the last loud sample. Default 10. */
  keepMs?: number;
}

/**
 * Drops the silence before the first and after the last sample at or above the threshold, keeping
 * `keepMs` of it on each side (so a soft onset is not cut). All silence gives no samples.
 */
export function trimSilence(pcm: Pcm, options: TrimOptions = {}): Pcm {
  const limit = fromDb(options.thresholdDb ?? -50);
  const keep = Math.round((pcm.sampleRate * (options.keepMs ?? 10)) / 1000);
  const { samples } = pcm;
  let first = 0;
  while (first < samples.length && Math.abs(samples[first] as number) < limit) first++;
  if (first === samples.length) return { sampleRate: pcm.sampleRate, samples: new Int16Array(0) };
  let last = samples.length - 1;
  while (Math.abs(samples[last] as number) < limit) last--;
  const start = Math.max(0, first - keep);
  const end = Math.min(samples.length, last + 1 + keep);
  return { sampleRate: pcm.sampleRate, samples: samples.slice(start, end) };
}

/** Every sample times 10^(db/20), rounded and clipped to 16 bits. */
export function gain(pcm: Pcm, db: number): Pcm {
  const factor = 10 ** (db / 20);
  const samples = new Int16Array(pcm.samples.length);
  for (const [i, s] of pcm.samples.entries()) samples[i] = clamp16(s * factor);
  return { sampleRate: pcm.sampleRate, samples };
}

/** A float to a 16-bit sample: rounded, clipped to -32768..32767. */
export function clamp16(x: number): number {
  return Math.max(-32768, Math.min(32767, Math.round(x)));
}

/** Scales so the loudest sample is at `targetDbfs`. Silence is returned as it is. */
export function normalizePeak(pcm: Pcm, targetDbfs: number): Pcm {
  const peak = peakDbfs(pcm);
  return Number.isFinite(peak) ? gain(pcm, targetDbfs - peak) : pcm;
}

/**
 * Scales so the RMS is at `targetDbfs`, but never so far that the peak passes `maxPeakDbfs`
 * (default -1): then the clip stays quieter than the target rather than clip.
 *
 * This is the levelling the clip sets use. The clips are joined into one sentence, and the ear
 * judges how loud a word is by its energy, not by its loudest instant: peak normalisation leaves a
 * word with one loud instant (a plosive burst, the first pulse of a stressed vowel) quieter than a
 * word with a long, steady vowel ("oo", "номер").
 * RMS over the whole trimmed clip is simple and close enough for words of similar length; the
 * peak ceiling keeps it from clipping a word with a high crest factor. Silence is returned as it is.
 */
export function normalizeRms(pcm: Pcm, targetDbfs: number, maxPeakDbfs = -1): Pcm {
  const rms = rmsDbfs(pcm);
  if (!Number.isFinite(rms)) return pcm;
  const db = Math.min(targetDbfs - rms, maxPeakDbfs - peakDbfs(pcm));
  return gain(pcm, db);
}

/**
 * To another sample rate, through wavefile's windowed-sinc interpolator with its low-pass filter
 * (so going down does not alias).
 */
export function resample(pcm: Pcm, sampleRate: number): Pcm {
  if (sampleRate === pcm.sampleRate) return { sampleRate, samples: pcm.samples.slice() };
  const wav = new WaveFile();
  wav.fromScratch(1, pcm.sampleRate, "16", pcm.samples);
  wav.toSampleRate(sampleRate, { method: "sinc", LPF: true });
  return { sampleRate, samples: wav.getSamples(false, Int16Array) as unknown as Int16Array };
}
