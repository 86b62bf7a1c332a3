// The waiting room hears and sees each call: every call and recall becomes the newest entry of its
// zone's calls (retained calls/{zone}, for the TV display), and in a zone with a speaker an
// announcement (the chime, then the call in each language) queued on that speaker. A kiosk with a
// speaker says the number and the estimated wait after a press printed a ticket. A speaker that
// fails raises AUDIO_OFFLINE and loses only sound: boards and the display are not touched.
import { AplaySink } from "../../device/audio/aplay-sink.js";
import type { AudioSink } from "../../device/audio/audio-sink.js";
import type { DeviceHealthSink } from "../../device/health.js";
import {
  callAnnouncement,
  kioskAnnouncement,
  type SpokenCall,
  type SpokenLanguage,
} from "../../protocols/announce/spoken-call.js";
import { encodeWav, silence } from "../../protocols/audio/pcm.js";
import type { OfficeTopics } from "../../protocols/mqtt/topics.js";
import type { OfficeConfig } from "../config/schema.js";
import { simulatedWithoutDemo } from "../config/setup-error.js";
import type { HealthBoard } from "../health/health-board.js";
import { healthSinkFor } from "../health/health-sink.js";
import type { Logger } from "../health/log.js";
import type { DurableQueue } from "../queue/durable-queue.js";
import type { SpeakerConfig } from "./announcement-schema.js";
import { ClipLibrary } from "./clip-library.js";
import { SpeakerQueue } from "./speaker-queue.js";
import { zoneAnnounce } from "./zone-announce.js";
import { type ZoneCall, ZoneCalls } from "./zone-calls.js";

/** The speakers of type "simulated": the demo composition (demo/) records what they play. */
export interface SimulatedSpeakers {
  connectSpeaker(id: string, health: DeviceHealthSink): AudioSink;
}

export interface AnnouncementSetup {
  clips: ClipLibrary;
  calls: ZoneCalls;
  /** Speaker queues by speaker id: `zone-<zone>` and `kiosk-<printer>`. */
  speakers: ReadonlyMap<string, { sink: AudioSink; queue: SpeakerQueue }>;
  /** A kiosk press printed a ticket: the kiosk with a speaker says it. */
  ticketPrinted(printer: string, ticket: string): void;
  /** Resolves when every speaker has nothing left to play (tests, an orderly stop). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export interface AnnouncementOptions {
  config: OfficeConfig;
  queue: DurableQueue;
  health: HealthBoard;
  clock: () => number;
  log: Logger;
  /** Retained publish through the bridge (publishExtra); calls/{zone} goes out here. */
  publish(topic: string, body: object): void;
  topics: Pick<OfficeTopics, "calls">;
  /** The bridge's epoch and seq, stamped on calls/{zone} like the other state topics. */
  stamp(): { epoch: string; seq: number };
  /** The office's clip set (read at start, before the web server that serves it). */
  clips?: ClipLibrary;
  /** Called with every announcement handed to a speaker (the benchmark's probe). */
  onPlay?(speaker: string, wav: Uint8Array): void;
  simulated?: SimulatedSpeakers;
}

export function setupAnnouncements(options: AnnouncementOptions): AnnouncementSetup {
  const { config, queue, health, clock, log } = options;
  const settings = config.announcements;
  const clips = options.clips ?? ClipLibrary.forOffice(settings.clips);
  const calls = new ZoneCalls({ config, historySize: settings.historySize });
  calls.seed([...queue.core.view.tickets.values()]);
  const languagesOf = (own: readonly SpokenLanguage[] | undefined): SpokenLanguage[] => [
    ...(own ?? config.office.languages),
  ];
  const probeWav = encodeWav(silence(clips.sampleRate, 20));
  const speakers = new Map<string, { sink: AudioSink; queue: SpeakerQueue }>();

  const addSpeaker = (id: string, speaker: SpeakerConfig) => {
    const sink = healthSinkFor(health, id, "speaker");
    let driver: AudioSink;
    if (speaker.type === "alsa")
      driver = new AplaySink({ id, device: speaker.device, health: sink, clock, probeWav });
    else if (options.simulated) driver = options.simulated.connectSpeaker(id, sink);
    else throw simulatedWithoutDemo("speaker", id);
    const speakerQueue = new SpeakerQueue({
      clock,
      maxAgeMs: settings.maxAgeSeconds * 1000,
      play: async (wav) => {
        options.onPlay?.(id, wav);
        await driver.play(wav);
      },
      onDropped: (a, why) =>
        log.warn(
          `speaker ${id}: ${a.label} not played (${why === "stale" ? "too old" : "the speaker failed"})`,
        ),
    });
    speakers.set(id, { sink: driver, queue: speakerQueue });
    driver.start();
  };
  for (const zone of settings.zones)
    if (zone.speaker && zone.mode !== "off") addSpeaker(`zone-${zone.zone}`, zone.speaker);
  for (const kiosk of settings.kiosks) addSpeaker(`kiosk-${kiosk.printer}`, kiosk.speaker);

  // Fixed by the configuration and the clips: worked out once per zone.
  const announces = new Map([...calls.all().keys()].map((zone) => [zone, zoneAnnounce(config, zone, clips)]));
  const announceOf = (zone: string) => announces.get(zone) ?? zoneAnnounce(config, zone, clips);
  const publishZone = (zone: string, history: readonly ZoneCall[]) =>
    options.publish(options.topics.calls(zone), {
      ...options.stamp(),
      zone,
      calls: history,
      announce: announceOf(zone),
    });
  for (const [zone, history] of calls.all()) publishZone(zone, history);

  const unsubscribe = queue.onEvents((events) => {
    const added = calls.onEvents(events, (id) => queue.core.ticket(id));
    const changed = new Set(added.map((a) => a.zone));
    for (const zone of changed) publishZone(zone, calls.all().get(zone) ?? []);
    for (const { zone, call } of added) {
      const speaker = speakers.get(`zone-${zone}`);
      if (!speaker) continue;
      const { mode, languages } = announceOf(zone);
      if (mode === "off") continue;
      const spoken: SpokenCall = { number: call.number, counter: call.counter, place: call.place };
      const steps = callAnnouncement(spoken, languages, mode, (clip) => clips.has(clip));
      speaker.queue.enqueue({
        key: `${call.ticket}@${call.counter}`,
        at: Date.parse(call.at),
        label: `${call.number} → ${call.counter}${call.recall ? " (recall)" : ""}`,
        render: () => encodeWav(clips.render(steps)),
      });
    }
  });

  const kioskLanguages = new Map(settings.kiosks.map((k) => [k.printer, languagesOf(k.languages)]));
  return {
    clips,
    calls,
    speakers,
    ticketPrinted(printer, ticketId) {
      const speaker = speakers.get(`kiosk-${printer}`);
      const view = queue.core.ticketView(ticketId);
      if (!speaker || !view) return;
      const wait = view.estimatedWait;
      const steps = kioskAnnouncement(
        {
          number: view.number,
          ...(wait ? { waitMinutes: { min: wait.minMinutes, max: wait.maxMinutes } } : {}),
        },
        kioskLanguages.get(printer) ?? languagesOf(undefined),
      );
      speaker.queue.enqueue({
        key: `${view.id}@kiosk`,
        at: clock(),
        label: `${view.number} at kiosk ${printer}`,
        render: () => encodeWav(clips.render(steps)),
      });
    },
    async idle() {
      await Promise.all([...speakers.values()].map((s) => s.queue.idle()));
    },
    async stop() {
      unsubscribe();
      await Promise.all([...speakers.values()].map((s) => s.queue.stop()));
      await Promise.all([...speakers.values()].map((s) => s.sink.stop()));
    },
  };
}
