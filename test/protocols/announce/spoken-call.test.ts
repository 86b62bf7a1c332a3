// The clips of a call, exactly: the number read one character at a time, the counter by its
// number (in words up to 99), by its characters, or by the office's own recording of it.
import { describe, expect, it } from "vitest";
import {
  CHIME,
  type ClipStep,
  callAnnouncement,
  callInLanguage,
  clipsOf,
  kioskAnnouncement,
  languageClipNames,
  numberClips,
  PAUSES,
} from "../../../protocols/announce/spoken-call.js";

const clips = (steps: ClipStep[]) => steps.flatMap((s) => ("clip" in s ? [s.clip] : []));

describe("spoken calls", () => {
  it("A023 at counter 4: number, A, zero, two, three, counter, four, in each language", () => {
    for (const lang of ["et", "ru", "en"] as const)
      expect(clips(callInLanguage(lang, { number: "A023", counter: "4" }))).toEqual([
        `${lang}/ticket`,
        `${lang}/letter-a`,
        `${lang}/digit-0`,
        `${lang}/digit-2`,
        `${lang}/digit-3`,
        `${lang}/counter`,
        `${lang}/number-4`,
      ]);
  });

  it("pauses between characters, before the counter, between languages", () => {
    const steps = callAnnouncement({ number: "B1", counter: "2" }, ["et", "en"], "voice");
    expect(steps).toEqual([
      { clip: CHIME },
      { pauseMs: PAUSES.part },
      { clip: "et/ticket" },
      { pauseMs: PAUSES.character },
      { clip: "et/letter-b" },
      { pauseMs: PAUSES.character },
      { clip: "et/digit-1" },
      { pauseMs: PAUSES.part },
      { clip: "et/counter" },
      { pauseMs: PAUSES.character },
      { clip: "et/number-2" },
      { pauseMs: PAUSES.language },
      { clip: "en/ticket" },
      { pauseMs: PAUSES.character },
      { clip: "en/letter-b" },
      { pauseMs: PAUSES.character },
      { clip: "en/digit-1" },
      { pauseMs: PAUSES.part },
      { clip: "en/counter" },
      { pauseMs: PAUSES.character },
      { clip: "en/number-2" },
    ]);
  });

  it("languages in the configured order; chime only is the chime alone", () => {
    const call = { number: "C005", counter: "1" };
    const order = clips(callAnnouncement(call, ["ru", "et", "en"], "voice")).filter((c) =>
      c.endsWith("/ticket"),
    );
    expect(order).toEqual(["ru/ticket", "et/ticket", "en/ticket"]);
    expect(callAnnouncement(call, ["et", "ru"], "chime")).toEqual([{ clip: CHIME }]);
  });

  it("counters: desk and room, numbers in words to 99, others by characters, or the office's recording", () => {
    expect(clips(callInLanguage("en", { number: "A1", counter: "12", place: "desk" })).slice(-2)).toEqual([
      "en/desk",
      "en/number-12",
    ]);
    expect(clips(callInLanguage("ru", { number: "A1", counter: "47", place: "room" })).slice(-3)).toEqual([
      "ru/room",
      "ru/number-40",
      "ru/number-7",
    ]);
    expect(clips(callInLanguage("et", { number: "A1", counter: "30" })).slice(-1)).toEqual(["et/number-30"]);
    expect(clips(callInLanguage("et", { number: "A1", counter: "105" })).slice(-3)).toEqual([
      "et/digit-1",
      "et/digit-0",
      "et/digit-5",
    ]);
    expect(clips(callInLanguage("en", { number: "A1", counter: "B2" })).slice(-3)).toEqual([
      "en/counter",
      "en/letter-b",
      "en/digit-2",
    ]);
    const has = (clip: string) => clip === "et/counter-passports";
    expect(clips(callInLanguage("et", { number: "A1", counter: "passports" }, has)).slice(-1)).toEqual([
      "et/counter-passports",
    ]);
  });

  it("numbers 0-99: a clip each to 19 and for the tens, a ten and a unit between", () => {
    expect(numberClips("et", 0)).toEqual([{ clip: "et/number-0" }]);
    expect(numberClips("et", 19)).toEqual([{ clip: "et/number-19" }]);
    expect(numberClips("et", 21)).toEqual([{ clip: "et/number-20" }, { clip: "et/number-1" }]);
    expect(numberClips("et", 99)).toEqual([{ clip: "et/number-90" }, { clip: "et/number-9" }]);
  });

  it("the kiosk says the number and the wait range in minutes", () => {
    expect(clips(kioskAnnouncement({ number: "A7", waitMinutes: { min: 10, max: 15 } }, ["en"]))).toEqual([
      "en/ticket",
      "en/letter-a",
      "en/digit-7",
      "en/wait",
      "en/number-10",
      "en/to",
      "en/number-15",
      "en/minutes",
    ]);
    expect(clips(kioskAnnouncement({ number: "A7" }, ["et"]))).toEqual([
      "et/ticket",
      "et/letter-a",
      "et/digit-7",
    ]);
  });

  it("every clip a call or the kiosk can name is in the set's list", () => {
    const names = new Set(languageClipNames());
    const steps = [
      ...callAnnouncement({ number: "ZZ9999", counter: "98", place: "room" }, ["et", "ru", "en"], "voice"),
      ...kioskAnnouncement({ number: "QX0", waitMinutes: { min: 55, max: 60 } }, ["ru"]),
    ];
    for (const clip of clipsOf(steps)) {
      if (clip === CHIME) continue;
      expect(names.has(clip.split("/")[1] as string), clip).toBe(true);
    }
  });
});
