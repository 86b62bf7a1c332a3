// How a call in a zone is announced, from the configuration: the zone's mode and languages (the
// office's by default), the age limit, and the office's own counter recordings the call uses.
// The speakers, the calls/{zone} topic the display reads and `vooru announce` all take it here.
import type { AnnouncementMode, SpokenLanguage } from "../../protocols/announce/spoken-call.js";
import type { OfficeConfig } from "../config/schema.js";
import type { ClipLibrary } from "./clip-library.js";

export interface ZoneAnnounce {
  mode: AnnouncementMode | "off";
  languages: SpokenLanguage[];
  maxAgeSeconds: number;
  /** e.g. et/counter-4: so a display says what the speakers say. */
  ownClips: string[];
}

export function zoneAnnounce(
  config: Pick<OfficeConfig, "announcements" | "counters" | "office">,
  zone: string | undefined,
  clips: Pick<ClipLibrary, "has">,
): ZoneAnnounce {
  const own = config.announcements.zones.find((z) => z.zone === zone);
  const languages = [...(own?.languages ?? config.office.languages)];
  const counters = config.counters.filter((c) => c.zone === zone).map((c) => c.id);
  const ownClips = languages.flatMap((lang) =>
    counters.map((id) => `${lang}/counter-${id}`).filter((clip) => clips.has(clip)),
  );
  return {
    mode: own?.mode ?? "voice",
    languages,
    maxAgeSeconds: config.announcements.maxAgeSeconds,
    ownClips,
  };
}
