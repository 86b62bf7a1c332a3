import { describe, expect, it } from "vitest";
import {
  ClipFormatError,
  clamp16,
  concat,
  decodeWav,
  durationMs,
  encodeWav,
  gain,
  normalizePeak,
  normalizeRms,
  type Pcm,
  peakDbfs,
  resample,
  rmsDbfs,
  silence,
  trimSilence,
} from "../../../protocols/audio/pcm.js";

const pcm = (sampleRate: number, samples: number[]): Pcm => ({
  sampleRate,
  samples: Int16Array.from(samples),
});

/** A WAV written by hand, byte by byte, so the decoder is not checked against its own encoder. */
function wavBytes(opts: {
  format?: number;
  channels?: number;
  rate?: number;
  bits?: number;
  data?: number[];
  extensibleSubformat?: number;
}): Uint8Array {
  const { format = 1, channels = 1, rate = 8000, bits = 16, data = [], extensibleSubformat } = opts;
  const extensible = extensibleSubformat !== undefined;
  const fmtSize = extensible ? 40 : 16;
  const buf = new DataView(new ArrayBuffer(12 + 8 + fmtSize + 8 + data.length));
  const ascii = (at: number, s: string) => {
    for (const [i, c] of [...s].entries()) buf.setUint8(at + i, c.charCodeAt(0));
  };
  ascii(0, "RIFF");
  buf.setUint32(4, buf.byteLength - 8, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  buf.setUint32(16, fmtSize, true);
  buf.setUint16(20, extensible ? 0xfffe : format, true);
  buf.setUint16(22, channels, true);
  buf.setUint32(24, rate, true);
  buf.setUint32(28, (rate * channels * bits) / 8, true);
  buf.setUint16(32, (channels * bits) / 8, true);
  buf.setUint16(34, bits, true);
  if (extensible) {
    buf.setUint16(36, 22, true); // cbSize
    buf.setUint16(38, bits, true); // valid bits
    buf.setUint32(40, channels === 1 ? 4 : 3, true); // channel mask
    buf.setUint32(44, extensibleSubformat, true); // GUID: subformat, then the fixed tail
    for (const [i, b] of [0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71].entries())
      buf.setUint8(48 + i, b);
  }
  const dataAt = 20 + fmtSize;
  ascii(dataAt, "data");
  buf.setUint32(dataAt + 4, data.length, true);
  for (const [i, b] of data.entries()) buf.setUint8(dataAt + 8 + i, b);
  return new Uint8Array(buf.buffer);
}

function refusal(bytes: Uint8Array): ClipFormatError {
  try {
    decodeWav(bytes, "et/ticket.wav");
  } catch (err) {
    if (err instanceof ClipFormatError) return err;
    throw err;
  }
  throw new Error("decoded a file it should refuse");
}

describe("encodeWav", () => {
  it("writes a canonical 44-byte header, then the samples little-endian", () => {
    const bytes = encodeWav(pcm(8000, [1, -2, 32767, -32768]));
    expect(Buffer.from(bytes).toString("hex")).toBe(
      [
        "52494646", // RIFF
        "2c000000", // 44 bytes follow
        "57415645", // WAVE
        "666d7420", // "fmt "
        "10000000", // 16-byte fmt chunk
        "0100", // PCM
        "0100", // mono
        "401f0000", // 8000 Hz
        "803e0000", // 16000 bytes/s
        "0200", // 2 bytes a frame
        "1000", // 16 bits
        "64617461", // data
        "08000000", // 8 bytes
        "0100",
        "feff",
        "ff7f",
        "0080",
      ].join(""),
    );
  });

  it("reads back what it wrote", () => {
    const clip = pcm(16000, [0, 5, -5, 1000, -32768, 32767]);
    expect(decodeWav(encodeWav(clip))).toEqual(clip);
  });
});

describe("decodeWav", () => {
  it("reads 16-bit PCM mono written by hand", () => {
    expect(decodeWav(wavBytes({ rate: 22050, data: [0x01, 0x00, 0xfe, 0xff] }))).toEqual(pcm(22050, [1, -2]));
  });

  it("reads WAVE_FORMAT_EXTENSIBLE with a PCM subformat", () => {
    expect(decodeWav(wavBytes({ extensibleSubformat: 1, data: [0x10, 0x00] }))).toEqual(pcm(8000, [16]));
  });

  it("refuses stereo with NOT_MONO, saying what the file is and what is needed", () => {
    const err = refusal(wavBytes({ channels: 2, rate: 44100, data: [0, 0, 0, 0] }));
    expect(err.code).toBe("NOT_MONO");
    expect(err.name).toBe("ClipFormatError");
    expect(err.message).toContain("et/ticket.wav is a WAV of 16-bit PCM, stereo, 44100 Hz");
    expect(err.message).toContain("16-bit PCM mono");
  });

  it("refuses 8-bit PCM with NOT_PCM16", () => {
    const err = refusal(wavBytes({ bits: 8, data: [128, 129] }));
    expect(err.code).toBe("NOT_PCM16");
    expect(err.message).toContain("et/ticket.wav is a WAV of 8-bit PCM, mono, 8000 Hz");
    expect(err.message).toContain("16-bit PCM mono");
  });

  it("refuses float, A-law, 24-bit and an extensible float with NOT_PCM16", () => {
    expect(refusal(wavBytes({ format: 3, bits: 32, data: [0, 0, 0, 0] })).message).toContain("32-bit float");
    expect(refusal(wavBytes({ format: 6, bits: 8, data: [0] })).message).toContain("A-law");
    expect(refusal(wavBytes({ bits: 24, data: [0, 0, 0] })).message).toContain("24-bit PCM");
    expect(refusal(wavBytes({ extensibleSubformat: 3, bits: 32, data: [0, 0, 0, 0] })).code).toBe(
      "NOT_PCM16",
    );
  });

  it("names the sample format before the channels: 8-bit stereo is NOT_PCM16", () => {
    expect(refusal(wavBytes({ bits: 8, channels: 2, data: [0, 0] })).code).toBe("NOT_PCM16");
  });

  it("refuses what is not a WAV with NOT_WAV", () => {
    expect(refusal(new TextEncoder().encode("ID3\u0004 an mp3, not a wav")).code).toBe("NOT_WAV");
    expect(refusal(new Uint8Array(0)).code).toBe("NOT_WAV");
    const noFmt = refusal(new TextEncoder().encode("RIFF\u0004\u0000\u0000\u0000WAVE"));
    expect(noFmt.code).toBe("NOT_WAV");
    expect(noFmt.message).toMatch(/^et\/ticket\.wav is not a readable WAV file/);
  });
});

describe("silence, concat and durationMs", () => {
  it("makes silence of the nearest whole number of samples", () => {
    expect(silence(16000, 30).samples).toEqual(new Int16Array(480));
    expect(silence(16000, 0.04).samples.length).toBe(1);
    expect(silence(16000, 0).samples.length).toBe(0);
    expect(durationMs(silence(16000, 250))).toBe(250);
    expect(durationMs(pcm(8000, [1, 2, 3, 4]))).toBe(0.5);
  });

  it("joins parts in order", () => {
    const joined = concat([pcm(16000, [1, 2]), silence(16000, 0.25), pcm(16000, []), pcm(16000, [3])]);
    expect(joined).toEqual(pcm(16000, [1, 2, 0, 0, 0, 0, 3]));
    expect(concat([silence(16000, 60), silence(16000, 250)]).samples.length).toBe(960 + 4000);
  });

  it("refuses parts of different rates with RATE_MISMATCH, and no parts at all", () => {
    let caught: unknown;
    try {
      concat([pcm(16000, [1]), pcm(22050, [2]), pcm(16000, [3])]);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ClipFormatError);
    expect((caught as ClipFormatError).code).toBe("RATE_MISMATCH");
    expect((caught as ClipFormatError).message).toContain("16000 Hz, 22050 Hz");
    expect(() => concat([])).toThrow(RangeError);
  });
});

describe("trimSilence", () => {
  // At 1000 Hz a millisecond is a sample; -40 dBFS is 327.68.
  const clip = pcm(1000, [0, 5, -300, 0, 0, 400, 0, -328, 0, 327, 0, 0, 0, 0]);

  it("keeps keepMs of silence on each side of the first and last loud sample", () => {
    expect([...trimSilence(clip, { thresholdDb: -40, keepMs: 2 }).samples]).toEqual([
      0, 0, 400, 0, -328, 0, 327,
    ]);
  });

  it("cuts at the loud samples with keepMs 0, and never past the ends", () => {
    expect([...trimSilence(clip, { thresholdDb: -40, keepMs: 0 }).samples]).toEqual([400, 0, -328]);
    expect(trimSilence(clip, { thresholdDb: -40, keepMs: 100 }).samples).toEqual(clip.samples);
  });

  it("defaults to -50 dBFS (about 104) and 10 ms", () => {
    const long = pcm(1000, [
      ...new Array(20).fill(0),
      103,
      104,
      ...new Array(5).fill(0),
      -104,
      ...new Array(20).fill(0),
    ]);
    const trimmed = trimSilence(long);
    expect(trimmed.samples.length).toBe(10 + 7 + 10);
    expect(trimmed.samples[10]).toBe(104);
    expect(trimmed.samples[16]).toBe(-104);
  });

  it("gives no samples for silence", () => {
    expect(trimSilence(pcm(16000, [0, 3, -3, 0])).samples.length).toBe(0);
    expect(trimSilence(pcm(16000, [])).samples.length).toBe(0);
  });
});

describe("levels", () => {
  it("measures peak and RMS in dBFS against 32768", () => {
    expect(peakDbfs(pcm(8000, [0, -32768]))).toBe(0);
    expect(peakDbfs(pcm(8000, [16384, -100]))).toBeCloseTo(-6.0206, 4);
    expect(rmsDbfs(pcm(8000, [16384, -16384, 16384, -16384]))).toBeCloseTo(-6.0206, 4);
    expect(rmsDbfs(pcm(8000, [4096, 0, 0, 0]))).toBeCloseTo(20 * Math.log10(1 / 16), 10);
    expect(peakDbfs(pcm(8000, [0, 0]))).toBe(Number.NEGATIVE_INFINITY);
    expect(rmsDbfs(pcm(8000, []))).toBe(Number.NEGATIVE_INFINITY);
  });

  it("gains, rounding and clipping to 16 bits", () => {
    expect([...gain(pcm(8000, [100, -100, 20000, -20000]), 20 * Math.log10(2)).samples]).toEqual([
      200, -200, 32767, -32768,
    ]);
    expect([clamp16(1.5), clamp16(-1.5), clamp16(1e9), clamp16(-1e9)]).toEqual([2, -1, 32767, -32768]);
  });

  it("normalizePeak puts the loudest sample at the target", () => {
    const out = normalizePeak(pcm(8000, [100, -400, 200]), -6.0206);
    expect([...out.samples]).toEqual([4096, -16384, 8192]);
    expect(normalizePeak(pcm(8000, [0, 0]), -1).samples).toEqual(Int16Array.from([0, 0]));
  });

  it("normalizeRms reaches the target RMS unless the peak ceiling stops it", () => {
    const sine = pcm(
      16000,
      Array.from({ length: 1600 }, (_, i) => Math.round(1000 * Math.sin((2 * Math.PI * 440 * i) / 16000))),
    );
    expect(rmsDbfs(normalizeRms(sine, -20))).toBeCloseTo(-20, 1);
    const spike = pcm(16000, [...new Array(999).fill(10), 1000]);
    const out = normalizeRms(spike, -20, -1);
    expect(peakDbfs(out)).toBeCloseTo(-1, 2);
    expect(rmsDbfs(out)).toBeLessThan(-20);
    expect(normalizeRms(silence(16000, 10), -20).samples).toEqual(new Int16Array(160));
  });
});

describe("resample", () => {
  const tone = (rate: number, ms: number, hz: number) =>
    pcm(
      rate,
      Array.from({ length: (rate * ms) / 1000 }, (_, i) =>
        Math.round(8000 * Math.sin((2 * Math.PI * hz * i) / rate)),
      ),
    );

  it("keeps the duration and the level of a tone", () => {
    const src = tone(22050, 200, 440);
    const out = resample(src, 16000);
    expect(out.sampleRate).toBe(16000);
    expect(out.samples.length).toBe(3200);
    expect(durationMs(out)).toBeCloseTo(durationMs(src), 0);
    expect(rmsDbfs(out)).toBeCloseTo(rmsDbfs(src), 0);
  });

  it("filters out what the new rate cannot hold", () => {
    expect(rmsDbfs(resample(tone(22050, 200, 10000), 16000))).toBeLessThan(
      rmsDbfs(tone(22050, 200, 10000)) - 20,
    );
  });

  it("copies when the rate is already right", () => {
    const src = tone(16000, 10, 440);
    const out = resample(src, 16000);
    expect(out).toEqual(src);
    expect(out.samples).not.toBe(src.samples);
  });
});
