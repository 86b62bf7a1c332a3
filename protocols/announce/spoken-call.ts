// What a call or a kiosk ticket sounds like, as a sequence of recorded clips: pure, shared by the
// controller (which joins the clips into one WAV for a speaker) and the TV display page (which
// plays the same clips through Web Audio). A number is read one character at a time ("A, null,
// kaks, kolm"); a counter by its number ("counter four") or by its own recording.
//
// A clip set is a folder per language (et/, en/, ru/) of 16-bit PCM mono WAV files, one sample
// rate, named as below, plus common/chime.wav. An office may drop in its own recordings; a clip it
// lacks comes from the default set (assets/clips/).

export const SPOKEN_LANGUAGES = ["et", "en", "ru"] as const;
export type SpokenLanguage = (typeof SPOKEN_LANGUAGES)[number];

/** Where a counter is in words: "counter 4", "desk 4", "room 4". */
export const PLACES = ["counter", "desk", "room"] as const;
export type Place = (typeof PLACES)[number];

/** The clips every language folder of a complete set has. */
export const WORD_CLIPS = ["ticket", ...PLACES, "wait", "to", "minutes"] as const;
export const LETTERS = [..."abcdefghijklmnopqrstuvwxyz"] as const;
export const DIGITS = [..."0123456789"] as const;
/** Whole numbers with a clip of their own; 21-99 are a ten and a unit ("twenty" "one"). */
export const NUMBER_CLIPS = [
  ...Array.from({ length: 20 }, (_, i) => i),
  ...Array.from({ length: 8 }, (_, i) => (i + 2) * 10),
] as const;

export function languageClipNames(): string[] {
  return [
    ...WORD_CLIPS,
    ...LETTERS.map((l) => `letter-${l}`),
    ...DIGITS.map((d) => `digit-${d}`),
    ...NUMBER_CLIPS.map((n) => `number-${n}`),
  ];
}

/** One clip of a set (common/chime, et/letter-a), or a pause between parts. */
export type ClipStep = { clip: string } | { pauseMs: number };

export const CHIME = "common/chime";
/** Between the characters of a number, between the parts of a call, between languages. */
export const PAUSES = { character: 60, part: 250, language: 600 } as const;

/** Whether a set has a clip (`et/counter-4`): lets an office's own recording of a counter win. */
export type HasClip = (clip: string) => boolean;

export interface SpokenCall {
  /** The ticket number as printed, e.g. A023. */
  number: string;
  /** The counter's id, e.g. 4. */
  counter: string;
  place?: Place;
}

/** Reads a text one character at a time: letters and digits; anything else is skipped. */
function characters(lang: SpokenLanguage, text: string): ClipStep[] {
  const steps: ClipStep[] = [];
  for (const char of text.toLowerCase()) {
    const name = /[a-z]/.test(char) ? `letter-${char}` : /[0-9]/.test(char) ? `digit-${char}` : null;
    if (!name) continue;
    if (steps.length > 0) steps.push({ pauseMs: PAUSES.character });
    steps.push({ clip: `${lang}/${name}` });
  }
  return steps;
}

/** A whole number 0-99 in words; larger ones digit by digit. */
export function numberClips(lang: SpokenLanguage, value: number): ClipStep[] {
  if (!Number.isInteger(value) || value < 0 || value > 99) return characters(lang, String(value));
  if (value < 20 || value % 10 === 0) return [{ clip: `${lang}/number-${value}` }];
  return [{ clip: `${lang}/number-${value - (value % 10)}` }, { clip: `${lang}/number-${value % 10}` }];
}

/** "counter four", or the office's own recording of that counter (`<lang>/counter-<id>`). */
function counterClips(lang: SpokenLanguage, call: SpokenCall, has: HasClip): ClipStep[] {
  const own = `${lang}/counter-${call.counter}`;
  if (has(own)) return [{ clip: own }];
  const place: ClipStep = { clip: `${lang}/${call.place ?? "counter"}` };
  const id = /^\d+$/.test(call.counter)
    ? numberClips(lang, Number(call.counter))
    : characters(lang, call.counter);
  return [place, { pauseMs: PAUSES.character }, ...id];
}

/** A call in one language: "ticket A 0 2 3, counter four". */
export function callInLanguage(
  lang: SpokenLanguage,
  call: SpokenCall,
  has: HasClip = () => false,
): ClipStep[] {
  return [
    { clip: `${lang}/ticket` },
    { pauseMs: PAUSES.character },
    ...characters(lang, call.number),
    { pauseMs: PAUSES.part },
    ...counterClips(lang, call, has),
  ];
}

export type AnnouncementMode = "voice" | "chime";

/** The whole announcement of a call: the chime, then (voice) the call in each language in order. */
export function callAnnouncement(
  call: SpokenCall,
  languages: readonly SpokenLanguage[],
  mode: AnnouncementMode,
  has: HasClip = () => false,
): ClipStep[] {
  const steps: ClipStep[] = [{ clip: CHIME }];
  if (mode === "chime") return steps;
  for (const [i, lang] of languages.entries()) {
    steps.push({ pauseMs: i === 0 ? PAUSES.part : PAUSES.language });
    steps.push(...callInLanguage(lang, call, has));
  }
  return steps;
}

/** What a speaking kiosk says after printing: "ticket A 0 2 3, wait 10 to 15 minutes". */
export function kioskAnnouncement(
  ticket: { number: string; waitMinutes?: { min: number; max: number } },
  languages: readonly SpokenLanguage[],
): ClipStep[] {
  const steps: ClipStep[] = [];
  for (const [i, lang] of languages.entries()) {
    if (i > 0) steps.push({ pauseMs: PAUSES.language });
    steps.push({ clip: `${lang}/ticket` }, { pauseMs: PAUSES.character }, ...characters(lang, ticket.number));
    const wait = ticket.waitMinutes;
    if (wait) {
      steps.push({ pauseMs: PAUSES.part }, { clip: `${lang}/wait` }, { pauseMs: PAUSES.character });
      steps.push(...numberClips(lang, wait.min));
      // "10 to 15 minutes"; Russian says "10, 15 minutes" ("до" would want the genitive: "от
      // десяти до пятнадцати"). A range's ends are multiples of 5 minutes, so the plural
      // "minutit" / "минут" / "minutes" fits both.
      if (wait.max !== wait.min) {
        if (lang === "ru") steps.push({ pauseMs: PAUSES.part });
        else steps.push({ pauseMs: PAUSES.character }, { clip: `${lang}/to` }, { pauseMs: PAUSES.character });
        steps.push(...numberClips(lang, wait.max));
      }
      steps.push({ pauseMs: PAUSES.character }, { clip: `${lang}/minutes` });
    }
  }
  return steps;
}

/** The clips a sequence needs, each once, in order of first use. */
export function clipsOf(steps: readonly ClipStep[]): string[] {
  return [...new Set(steps.flatMap((s) => ("clip" in s ? [s.clip] : [])))];
}
