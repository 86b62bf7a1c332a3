// call_next -> the first audio sample handed to the speaker: a counter calls (journal fsync
// included), the zone's announcement is built from the clips (chime and the call in et, ru, en)
// and handed to the speaker's sink. In-process, like the office runs it; the simulated speaker
// plays at once so every call finds it idle, as calls seconds apart do.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { officeConfigSchema } from "../controller/config/office-config.js";
import { silentLogger } from "../controller/health/log.js";
import { startDemoOffice } from "../demo/demo-office.js";
import { type BenchResult, latencyFigures } from "./support.js";

export async function run(rounds = 200): Promise<BenchResult[]> {
  const dataDir = mkdtempSync(join(tmpdir(), "vooru-bench-announce-"));
  const config = officeConfigSchema.parse({
    office: { id: "bench", name: { en: "Bench" }, languages: ["et", "ru", "en"] },
    services: [{ id: "pensions", prefix: "A", names: { en: "Pensions" }, range: { first: 1, last: 999 } }],
    counters: [{ id: "4", services: ["pensions"] }],
    journal: { dataDir },
    mqtt: { embedded: { host: "127.0.0.1", port: 0, httpPort: 0 } },
    announcements: { zones: [{ zone: "main", speaker: { type: "simulated" } }] },
  });
  const office = await startDemoOffice({ config, log: silentLogger, version: "bench", speakerTimeScale: 0 });
  try {
    const speaker = office.simulated.speakers.get("zone-main");
    if (!speaker) throw new Error("no simulated speaker");
    let heard: ((at: number) => void) | null = null;
    speaker.onPlay(() => heard?.(performance.now()));
    await office.service.run({ scope: "counter", counter: "4", verb: "open" }, {});
    for (let i = 0; i < rounds; i++)
      await office.service.run({ scope: "desk", verb: "issue" }, { service: "pensions" });
    const latencies: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const played = new Promise<number>((resolve) => {
        heard = resolve;
      });
      const start = performance.now();
      await office.service.run({ scope: "counter", counter: "4", verb: "call_next" }, {});
      latencies.push((await played) - start);
      await office.service.run({ scope: "counter", counter: "4", verb: "start" }, {});
      await office.service.run({ scope: "counter", counter: "4", verb: "finish" }, {});
      await office.announcements.idle();
    }
    return latencyFigures(
      "announcements",
      "call_next -> first audio sample to the speaker",
      latencies,
      { op: "<", value: 300 },
      "calls",
    );
  } finally {
    await office.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
