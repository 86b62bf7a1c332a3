// Makes the default clip set (assets/clips/) that spoken calls are built from: every clip of
// languageClipNames() for et, en and ru, spoken by espeak-ng, plus common/chime, synthesised here.
// The clips ship in the repository, so only whoever regenerates them needs espeak-ng:
//
//   apt-get install espeak-ng
//   npx tsx scripts/make-clips.ts [--out assets/clips]
//
// Each clip: espeak-ng (voice below, 150 words a minute; ru letters 110) -> resampled to 16 kHz
// -> RMS levelled to -23 dBFS, peaks at most -1 dBFS (the peakiest clip, ru "тридцать", needs
// 21.5 dB of headroom, so no clip meets the ceiling and all come out equally loud) -> silence
// below -50 dBFS trimmed off both ends, keeping 10 ms -> levelled again -> 16-bit PCM mono WAV at
// <out>/<lang>/<name>.wav. The same espeak-ng makes the same files, so rerunning changes nothing.
//
// The words, as an office calls them ("number A023, counter 4"; a kiosk: "number A023, wait 10 to
// 15 minutes"):
//
// | clip    | et         | en      | ru       | why                                                  |
// | ------- | ---------- | ------- | -------- | ---------------------------------------------------- |
// | ticket  | number     | number  | номер    | what is called is the number on the ticket; et       |
// |         |            |         |          | "pilet" is the paper itself, "järjekorranumber" is   |
// |         |            |         |          | too long to say before every call; ru "талон" is the |
// |         |            |         |          | paper                                                |
// | counter | teenindaja | counter | окно     | et "teenindaja" (the service point, "teenindaja      |
// |         |            |         |          | neli"), the word for a numbered service point on     |
// |         |            |         |          | Estonian queue screens; "aken" (window) or "kassa"   |
// |         |            |         |          | (cash desk) fit only some offices, which can record  |
// |         |            |         |          | their own; ru "окно" is the usual word in Russian    |
// |         |            |         |          | offices                                              |
// | desk    | laud       | desk    | стол     |                                                      |
// | room    | kabinet    | room    | кабинет  | et "kabinet" is a consulting or office room, as on   |
// |         |            |         |          | its door; "ruum" is any room                         |
// | wait    | ooteaeg    | wait    | время ожидания | et and ru: "waiting time", a noun, as on a display |
// | to      | kuni       | to      | до       |                                                      |
// | minutes | minutit    | minutes | минут    | the form after most numbers (et partitive, ru        |
// |         |            |         |          | genitive plural); wrong after 1 (et "minut", en      |
// |         |            |         |          | "minute") and in ru after 2-4 ("минуты"), 21, 31...  |
// |         |            |         |          | ("минута"): one clip cannot say them all             |
//
// Letters are their names as a speaker of the language names a Latin letter: et as in the Estonian
// alphabet (aa, bee, tsee), ru as Russians read Latin letters in school (а, бэ, цэ, ха for h, йот
// for j, дубль-вэ for w), en British (aitch, zed: the voice is en-gb). Digits are read one by one,
// 0 as et "null", en "zero", ru "ноль". A text in [[...]] is espeak-ng phonemes, where its own
// reading is wrong: ru "сорок" (stressed on the first syllable) and the letter "и" (too short).
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import {
  CHIME,
  languageClipNames,
  SPOKEN_LANGUAGES,
  type SpokenLanguage,
} from "../protocols/announce/spoken-call.js";
import {
  clamp16,
  decodeWav,
  durationMs,
  encodeWav,
  normalizeRms,
  type Pcm,
  peakDbfs,
  resample,
  rmsDbfs,
  trimSilence,
} from "../protocols/audio/pcm.js";

export const SAMPLE_RATE = 16_000;
/** The RMS every clip is levelled to, and the ceiling its peaks stay under. */
export const TARGET_RMS_DBFS = -23;
export const MAX_PEAK_DBFS = -1;
const TRIM = { thresholdDb: -50, keepMs: 10 } as const;
const WORDS_PER_MINUTE = 150;
/** espeak-ng's ru voice says a one-syllable name in half the time of et and en: slower for those. */
const LETTER_WORDS_PER_MINUTE: Record<SpokenLanguage, number> = { et: 150, en: 150, ru: 110 };

export const VOICES: Record<SpokenLanguage, string> = { et: "et", en: "en-gb", ru: "ru" };

interface LanguageTexts {
  words: Record<"ticket" | "counter" | "desk" | "room" | "wait" | "to" | "minutes", string>;
  /** a..z */
  letters: readonly string[];
  /** 0..19 */
  numbers: readonly string[];
  /** 20, 30, ..., 90 */
  tens: readonly string[];
}

const TEXTS: Record<SpokenLanguage, LanguageTexts> = {
  et: {
    words: {
      ticket: "number",
      counter: "teenindaja",
      desk: "laud",
      room: "kabinet",
      wait: "ooteaeg",
      to: "kuni",
      minutes: "minutit",
    },
    letters: [
      ...["aa", "bee", "tsee", "dee", "ee", "eff", "gee", "haa", "ii", "jott", "kaa", "ell", "emm"],
      ...["enn", "oo", "pee", "kuu", "err", "ess", "tee", "uu", "vee", "kaksisvee", "iks", "igrek", "zett"],
    ],
    numbers: [
      ...["null", "üks", "kaks", "kolm", "neli", "viis", "kuus", "seitse", "kaheksa", "üheksa", "kümme"],
      ...["üksteist", "kaksteist", "kolmteist", "neliteist", "viisteist", "kuusteist", "seitseteist"],
      ...["kaheksateist", "üheksateist"],
    ],
    tens: [
      ...["kakskümmend", "kolmkümmend", "nelikümmend", "viiskümmend", "kuuskümmend", "seitsekümmend"],
      ...["kaheksakümmend", "üheksakümmend"],
    ],
  },
  en: {
    words: {
      ticket: "number",
      counter: "counter",
      desk: "desk",
      room: "room",
      wait: "wait",
      to: "to",
      minutes: "minutes",
    },
    // A lone "a" is read as the letter's name; "ay" would be read "eye".
    letters: [
      ...["a", "bee", "see", "dee", "ee", "ef", "gee", "aitch", "eye", "jay", "kay", "el", "em"],
      ...["en", "oh", "pee", "cue", "ar", "ess", "tee", "you", "vee", "double you", "ex", "why", "zed"],
    ],
    numbers: [
      ...["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"],
      ...["eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen"],
      ...["nineteen"],
    ],
    tens: ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"],
  },
  ru: {
    words: {
      ticket: "номер",
      counter: "окно",
      desk: "стол",
      room: "кабинет",
      wait: "время ожидания",
      to: "до",
      minutes: "минут",
    },
    letters: [
      // A lone "и" comes out in 60 ms: the phonemes lengthen it.
      ...["а", "бэ", "цэ", "дэ", "э", "эф", "гэ", "ха", "[['i:]]", "йот", "ка", "эль", "эм"],
      ...["эн", "о", "пэ", "ку", "эр", "эс", "тэ", "у", "вэ", "дубль-вэ", "икс", "игрек", "зэт"],
    ],
    numbers: [
      ...["ноль", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять", "десять"],
      ...["одиннадцать", "двенадцать", "тринадцать", "четырнадцать", "пятнадцать", "шестнадцать"],
      ...["семнадцать", "восемнадцать", "девятнадцать"],
    ],
    // espeak-ng stresses "сорок" on the last syllable; the phonemes say "со́рок".
    tens: [
      "двадцать",
      "тридцать",
      "[[s'or@k]]",
      "пятьдесят",
      "шестьдесят",
      "семьдесят",
      "восемьдесят",
      "девяносто",
    ],
  },
};

/** What espeak-ng is given for each clip of languageClipNames(), by language. */
export function clipTexts(lang: SpokenLanguage): Map<string, string> {
  const t = TEXTS[lang];
  const texts = new Map<string, string>(Object.entries(t.words));
  for (const [i, letter] of t.letters.entries()) texts.set(`letter-${String.fromCharCode(97 + i)}`, letter);
  for (const [i, word] of t.numbers.entries()) {
    if (i < 10) texts.set(`digit-${i}`, word);
    texts.set(`number-${i}`, word);
  }
  for (const [i, word] of t.tens.entries()) texts.set(`number-${(i + 2) * 10}`, word);
  const names = languageClipNames();
  const missing = names.filter((n) => !texts.has(n));
  const extra = [...texts.keys()].filter((n) => !names.includes(n));
  if (missing.length > 0 || extra.length > 0)
    throw new Error(`${lang}: texts do not match languageClipNames(): missing ${missing}, extra ${extra}`);
  return new Map(names.map((n) => [n, texts.get(n) as string]));
}

/** A clip as it ships: 16 kHz, levelled, trimmed. */
export function finishClip(raw: Pcm): Pcm {
  const levelled = normalizeRms(resample(raw, SAMPLE_RATE), TARGET_RMS_DBFS, MAX_PEAK_DBFS);
  return normalizeRms(trimSilence(levelled, TRIM), TARGET_RMS_DBFS, MAX_PEAK_DBFS);
}

function speak(lang: SpokenLanguage, clip: string, text: string, scratch: string): Pcm {
  const voice = VOICES[lang];
  const speed = clip.startsWith("letter-") ? LETTER_WORDS_PER_MINUTE[lang] : WORDS_PER_MINUTE;
  const file = join(scratch, "clip.wav");
  execFileSync("espeak-ng", ["-v", voice, "-s", String(speed), "-w", file, "--", text]);
  return decodeWav(readFileSync(file), `espeak-ng's ${voice} "${text}"`);
}

/**
 * "Ding-dong": E5 then C5, a falling major third, 0.3 s apart, each a sine with a little of its
 * octave (for a bell-like colour), a 5 ms rise and an exponential decay; 0.9 s in all, the last
 * 60 ms faded out so it ends without a click.
 */
export function chime(sampleRate = SAMPLE_RATE): Pcm {
  const notes = [
    { hz: 659.26, at: 0 },
    { hz: 523.25, at: 0.3 },
  ];
  const length = Math.round(0.9 * sampleRate);
  const fadeOut = 0.06 * sampleRate;
  const samples = new Int16Array(length);
  for (let i = 0; i < length; i++) {
    const t = i / sampleRate;
    let x = 0;
    for (const { hz, at } of notes) {
      const u = t - at;
      if (u < 0) continue;
      const envelope = Math.min(1, u / 0.005) * Math.exp(-u / 0.22);
      x +=
        envelope *
        (Math.sin(2 * Math.PI * hz * u) + 0.25 * Math.exp(-u / 0.1) * Math.sin(4 * Math.PI * hz * u));
    }
    const tail = Math.min(1, (length - 1 - i) / fadeOut);
    samples[i] = clamp16(12_000 * x * tail);
  }
  return normalizeRms({ sampleRate, samples }, TARGET_RMS_DBFS, MAX_PEAK_DBFS);
}

function write(out: string, clip: string, pcm: Pcm): number {
  const file = join(out, `${clip}.wav`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, encodeWav(pcm));
  return statSync(file).size;
}

export function makeClips(out: string): void {
  try {
    execFileSync("espeak-ng", ["--version"], { stdio: "ignore" });
  } catch {
    throw new Error("make-clips needs espeak-ng on the PATH (Debian: apt-get install espeak-ng)");
  }
  const scratch = mkdtempSync(join(tmpdir(), "vooru-clips-"));
  const levels: number[] = [];
  let bytes = 0;
  let count = 0;
  const add = (clip: string, pcm: Pcm) => {
    bytes += write(out, clip, pcm);
    count++;
    levels.push(rmsDbfs(pcm));
    const ms = durationMs(pcm).toFixed(0).padStart(5);
    const level = `rms ${rmsDbfs(pcm).toFixed(1)}, peak ${peakDbfs(pcm).toFixed(1)} dBFS`;
    console.error(`${clip.padEnd(18)} ${ms} ms  ${level}`);
  };
  try {
    add(CHIME, chime());
    for (const lang of SPOKEN_LANGUAGES) {
      for (const [name, text] of clipTexts(lang))
        add(`${lang}/${name}`, finishClip(speak(lang, name, text, scratch)));
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const spread = Math.max(...levels) - Math.min(...levels);
  console.error(
    `${count} clips, ${(bytes / 1024).toFixed(0)} KiB, in ${relative(process.cwd(), out) || "."}; ` +
      `RMS spread ${spread.toFixed(1)} dB`,
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(fileURLToPath(new URL("..", import.meta.url)));
  const { values } = parseArgs({
    options: { out: { type: "string", default: join(root, "assets", "clips") } },
  });
  makeClips(resolve(values.out));
}
