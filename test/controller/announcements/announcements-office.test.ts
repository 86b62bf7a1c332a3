// The waiting room hears and sees every call, with the whole office: calls/{zone} retained for the
// TV display, the zone's (simulated) speaker playing the exact announcement, calls queued and
// never cut off, recalls merged, the speaker unplugged (AUDIO_OFFLINE, boards unaffected) and
// back, and a kiosk that says the number it printed.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { memoryLogger } from "../../../controller/health/log.js";
import { demoOfficeConfig } from "../../../demo/demo-config.js";
import { startDemoOffice } from "../../../demo/demo-office.js";
import { callAnnouncement, kioskAnnouncement } from "../../../protocols/announce/spoken-call.js";
import { durationMs, encodeWav } from "../../../protocols/audio/pcm.js";
import { zoneCallsSchema } from "../../../protocols/mqtt/schemas.js";
import { type Harness, startHarness } from "../../support/office-harness.js";

let h: Harness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

const announcements = {
  zones: [
    {
      zone: "main",
      mode: "voice" as const,
      languages: ["et" as const, "en" as const],
      speaker: { type: "simulated" as const },
    },
  ],
  kiosks: [],
};

async function office(timeScale = 0.02, extra: object = {}) {
  h = await startHarness({ config: { announcements, ...extra }, speakerTimeScale: timeScale });
  const client = await h.client();
  for (const counter of ["1", "2"]) await client.request({ scope: "counter", counter, verb: "open" });
  return { h, client, speaker: () => h?.office.simulated.speakers.get("zone-main") };
}

describe("announcements in an office", () => {
  it("a call: calls/main retained with it, and the speaker plays exactly its announcement", async () => {
    const { h, client, speaker } = await office();
    const watcher = await h.watch({ filter: `${h.base}calls/#` });
    await client.request({ scope: "desk", verb: "issue" }, { service: "pensions" });
    const reply = await client.request({ scope: "counter", counter: "1", verb: "call_next" });
    expect(reply.ok).toBe(true);
    const message = await watcher.waitFor(
      (m) =>
        m.topic === `${h.base}calls/main` &&
        m.payload.length > 0 &&
        zoneCallsSchema.parse(JSON.parse(m.payload.toString())).calls.length > 0,
    );
    const calls = zoneCallsSchema.parse(JSON.parse(message.payload.toString()));
    expect(calls).toMatchObject({
      zone: "main",
      calls: [{ number: "A001", service: "pensions", counter: "1", place: "counter", recall: false }],
      announce: { mode: "voice", languages: ["et", "en"] },
    });
    await h.office.announcements.idle();
    const played = speaker()?.played ?? [];
    expect(played).toHaveLength(1);
    const steps = callAnnouncement({ number: "A001", counter: "1" }, ["et", "en"], "voice");
    const expected = encodeWav(h.office.announcements.clips.render(steps));
    expect(Buffer.compare(Buffer.from(played[0]?.wav ?? []), Buffer.from(expected))).toBe(0);
    expect(durationMs(h.office.announcements.clips.render(steps))).toBeGreaterThan(2000);
  });

  it("calls that come while one plays all play in order; a waiting recall is merged", async () => {
    const { h, client, speaker } = await office(0.2);
    await client.request({ scope: "counter", counter: "3", verb: "open" });
    for (const service of ["pensions", "benefits", "documents"])
      await client.request({ scope: "desk", verb: "issue" }, { service });
    await client.request({ scope: "counter", counter: "1", verb: "call_next" }); // A001, starts playing
    await client.request({ scope: "counter", counter: "2", verb: "call_next" }); // B001, waits
    await client.request({ scope: "counter", counter: "2", verb: "recall" }); // B001 again: merged
    await client.request({ scope: "counter", counter: "3", verb: "call_next" }); // C001, waits
    await h.office.announcements.idle();
    const played = speaker()?.played ?? [];
    expect(played).toHaveLength(3);
    // Each play began after the one before had had its full length: none was cut off.
    for (let i = 1; i < played.length; i++)
      expect((played[i]?.at ?? 0) - (played[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(
        Math.floor((played[i - 1]?.durationMs ?? 0) * 0.2) - 5,
      );
    const render = (number: string, counter: string) =>
      Buffer.from(
        encodeWav(
          h.office.announcements.clips.render(callAnnouncement({ number, counter }, ["et", "en"], "voice")),
        ),
      );
    expect(played.map((p) => Buffer.from(p.wav))).toEqual([
      render("A001", "1"),
      render("B001", "2"),
      render("C001", "3"),
    ]);
    const queue = h.office.announcements.speakers.get("zone-main")?.queue;
    expect(queue?.stats).toMatchObject({ played: 3, merged: 1 });
    const calls = h.office.announcements.calls.all().get("main") ?? [];
    expect(calls.map((c) => `${c.number}${c.recall ? "r" : ""}`)).toEqual(["C001", "B001r", "B001", "A001"]);
  });

  it("speaker unplugged: AUDIO_OFFLINE, the boards still show the call; plugged back, cleared", async () => {
    const boards = {
      devices: {
        boardBuses: [
          {
            id: "bus",
            protocol: "modbus-7seg" as const,
            transport: { type: "simulated" as const },
            boards: [{ id: "b1", address: 1, counter: "1" }],
          },
        ],
      },
    };
    const { h, client, speaker } = await office(0.02, boards);
    const sim = speaker();
    sim?.setPlugged(false);
    expect(h.office.health.topAlert("zone-main")?.code).toBe("AUDIO_OFFLINE");
    await client.request({ scope: "desk", verb: "issue" }, { service: "pensions" });
    await client.request({ scope: "counter", counter: "1", verb: "call_next" });
    await h.office.announcements.idle();
    expect(h.office.announcements.speakers.get("zone-main")?.queue.stats.failed).toBe(1);
    // The display's calls and the boards are not touched by a dead speaker.
    expect(h.office.announcements.calls.all().get("main")?.[0]?.number).toBe("A001");
    expect(h.office.boards.shown().get("b1")?.text).toBe("A001");
    const modules = h.office.simulated.boardBuses.get("bus");
    if (modules?.protocol !== "modbus-7seg") throw new Error("no simulated Modbus bus");
    await expect.poll(() => modules.bus.display(1).trim()).toBe("A001");
    sim?.setPlugged(true);
    expect(h.office.health.topAlert("zone-main")).toBeNull();
  });

  it("a speaking kiosk says the number it printed and the estimated wait (the demo office)", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "vooru-kiosk-speaks-"));
    const demo = demoOfficeConfig();
    const office = await startDemoOffice({
      config: {
        ...demo,
        journal: { ...demo.journal, dataDir },
        mqtt: { ...demo.mqtt, embedded: { ...demo.mqtt.embedded, host: "127.0.0.1", port: 0, httpPort: 0 } },
      },
      log: memoryLogger(),
      version: "test",
      speakerTimeScale: 0,
    });
    try {
      const panel = office.simulated.panels.get("kiosk-panel-1");
      const kiosk = office.simulated.speakers.get("kiosk-kiosk-1");
      expect(panel && kiosk).toBeTruthy();
      const button = panel?.buttons.find((b) => b.service === "pensions")?.button ?? "0";
      await panel?.press(button);
      await expect.poll(() => kiosk?.played.length).toBe(1);
      const view = office.queue.core.ticketView("A001");
      expect(view?.state).toBe("waiting");
      const wait = view?.estimatedWait;
      const steps = kioskAnnouncement(
        { number: "A001", ...(wait ? { waitMinutes: { min: wait.minMinutes, max: wait.maxMinutes } } : {}) },
        ["et", "ru", "en"],
      );
      const expected = encodeWav(office.announcements.clips.render(steps));
      expect(Buffer.compare(Buffer.from(kiosk?.played[0]?.wav ?? []), Buffer.from(expected))).toBe(0);
    } finally {
      await office.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
