// `vooru announce <ticket> <counter>`: the exact announcement a call would play, written to a WAV
// (--out) for checking an office's clips, or played on this machine's speaker (aplay).
import { writeFileSync } from "node:fs";
import { AplaySink } from "../../device/audio/aplay-sink.js";
import { nullHealthSink } from "../../device/health.js";
import {
  callAnnouncement,
  type Place,
  SPOKEN_LANGUAGES,
  type SpokenLanguage,
} from "../../protocols/announce/spoken-call.js";
import { durationMs, encodeWav, silence } from "../../protocols/audio/pcm.js";
import { ClipLibrary } from "../announcements/clip-library.js";
import { zoneAnnounce } from "../announcements/zone-announce.js";
import { loadOfficeConfig } from "../config/load.js";
import type { Command } from "./command.js";
import { UsageError } from "./usage-error.js";

const text = (value: string | boolean | undefined) => (typeof value === "string" ? value : undefined);

/** --lang: one language or all; none: the zone's (or the office's) languages. */
function languagesFor(option: string | undefined, zoneLanguages: SpokenLanguage[]): SpokenLanguage[] {
  if (option === "all") return [...SPOKEN_LANGUAGES];
  if (option === undefined) return zoneLanguages;
  if (!(SPOKEN_LANGUAGES as readonly string[]).includes(option))
    throw new UsageError(`--lang takes et, ru, en or all, not "${option}"`, "announce");
  return [option as SpokenLanguage];
}

export const announceCommand: Command = {
  name: "announce",
  usage: `usage: vooru announce <ticket> <counter> [--lang et|ru|en|all] [--zone Z] [--config office.yaml] [--out call.wav] [--device D]
  Builds the announcement a call of <ticket> to <counter> plays (the chime, then the call in each
  language) from the office's clips over the default set, exactly as the speakers would.
  --lang L          one language, or all; default: the zone's languages, else the office's
  --zone Z          the zone whose settings (languages, chime only) apply; default the counter's zone
  --config FILE     the office (its clip folder, languages, counters' places); default the default set
  --out FILE        write the WAV there instead of playing it
  --device D        the ALSA device to play on (default "default")`,
  options: {
    lang: { type: "string" },
    zone: { type: "string" },
    config: { type: "string", short: "c" },
    out: { type: "string" },
    device: { type: "string" },
  },
  positionals: true,
  async run({ values, positionals }, { log }) {
    const [ticket, counter, ...extra] = positionals;
    if (!ticket || !counter) throw new UsageError("announce needs a ticket and a counter", "announce");
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`, "announce");
    if (!/^[A-Za-z]{0,2}\d{1,5}$/.test(ticket))
      throw new UsageError(`"${ticket}" is not a ticket number like A023`, "announce");
    const configPath = text(values.config);
    const config = configPath ? loadOfficeConfig(configPath) : null;
    const counterConfig = config?.counters.find((c) => c.id === counter);
    if (config && !counterConfig)
      throw new UsageError(`counter "${counter}" is not in ${configPath}`, "announce");
    const zone = text(values.zone) ?? counterConfig?.zone;
    const clips = ClipLibrary.forOffice(config?.announcements.clips);
    const place: Place = counterConfig?.place ?? "counter";
    // Without a config: the default set in every language.
    const how = config
      ? zoneAnnounce(config, zone, clips)
      : { mode: "voice", languages: [...SPOKEN_LANGUAGES] };
    // A zone that is "off" is still checked by voice: this is for listening to the clips.
    const steps = callAnnouncement(
      { number: ticket.toUpperCase(), counter, place },
      languagesFor(text(values.lang), how.languages),
      how.mode === "chime" ? "chime" : "voice",
      (clip) => clips.has(clip),
    );
    const missing = clips.missing(steps);
    if (missing.length > 0) log.warn(`no clip for ${missing.join(", ")}: left out`);
    const pcm = clips.render(steps);
    const wav = encodeWav(pcm);
    const out = text(values.out);
    if (out) {
      writeFileSync(out, wav);
      console.log(`wrote ${out}: ${(durationMs(pcm) / 1000).toFixed(2)} s at ${pcm.sampleRate} Hz`);
      return 0;
    }
    const speaker = new AplaySink({
      id: "announce",
      device: text(values.device) ?? "default",
      health: nullHealthSink,
      clock: Date.now,
      probeWav: encodeWav(silence(clips.sampleRate, 20)),
    });
    try {
      await speaker.play(wav);
      return 0;
    } catch (error) {
      log.error(`cannot play: ${(error as Error).message}`);
      return 1;
    } finally {
      await speaker.stop();
    }
  },
};
