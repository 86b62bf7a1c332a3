// The announcements room's part of the office configuration: which waiting areas have a speaker,
// what a call there sounds like, which kiosks speak, and where the office's own clips are.
import { z } from "zod";
import { idSchema } from "../config/ids.js";

const languagesSchema = z
  .array(z.enum(["et", "en", "ru"]))
  .min(1)
  .optional()
  .describe("Languages spoken, in this order; default: the office's languages.");

export const speakerSchema = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("alsa"),
    device: z
      .string()
      .min(1)
      .default("default")
      .describe('The ALSA output (aplay -L lists them), e.g. "plughw:CARD=Headphones" or "default".'),
  }),
  /** A speaker in this process that records what it played (the demo office, tests). */
  z.strictObject({ type: z.literal("simulated") }),
]);

export const zoneAnnouncementSchema = z.strictObject({
  zone: idSchema.describe("The waiting area (counters' zone) this speaker is in."),
  mode: z
    .enum(["voice", "chime", "off"])
    .default("voice")
    .describe("voice: a chime, then the call in each language; chime: the chime alone; off: silent."),
  languages: languagesSchema,
  speaker: speakerSchema
    .optional()
    .describe("Where the zone's announcements play; without one only the TV display plays them."),
});

export const kioskSpeakerSchema = z.strictObject({
  printer: idSchema.describe("The kiosk printer: after a press printed a ticket there, this kiosk speaks."),
  languages: languagesSchema,
  speaker: speakerSchema.describe("The kiosk's own speaker."),
});

export const announcementsSchema = z
  .strictObject({
    clips: z
      .string()
      .min(1)
      .optional()
      .describe(
        "A folder of the office's own clips (et/, en/, ru/, common/, 16-bit PCM mono WAV at the default set's rate); clips it lacks come from the default set.",
      ),
    zones: z
      .array(zoneAnnouncementSchema)
      .default([])
      .describe("How calls are announced in each waiting area."),
    kiosks: z
      .array(kioskSpeakerSchema)
      .default([])
      .describe("Kiosks that say the ticket number and the estimated wait after printing (accessibility)."),
    maxAgeSeconds: z
      .number()
      .min(1)
      .max(600)
      .default(60)
      .describe("A call still waiting to be spoken after this long is dropped instead of played late."),
    historySize: z
      .number()
      .int()
      .min(1)
      .max(50)
      .default(10)
      .describe("How many of a zone's last calls calls/<zone> keeps for the TV display."),
  })
  .default({ zones: [], kiosks: [], maxAgeSeconds: 60, historySize: 10 })
  .describe("Spoken calls in the waiting room, speaking kiosks, and the calls the TV display shows.");

export type AnnouncementsConfig = z.infer<typeof announcementsSchema>;
export type SpeakerConfig = z.infer<typeof speakerSchema>;
