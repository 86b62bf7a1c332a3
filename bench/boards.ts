// call_next -> the board frame on the wire: a counter calls (journal fsync included) and the time
// until its board's frame reaches the board, through the real driver over loopback TCP to a
// virtual Modbus module, on an idle bus. In-process, like the office runs it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { officeConfigSchema } from "../controller/config/office-config.js";
import { silentLogger } from "../controller/health/log.js";
import { startDemoOffice } from "../demo/demo-office.js";
import type { VirtualModbusBus } from "../simulators/boards/modbus-bus.js";
import { type BenchResult, latencyFigures } from "./support.js";

export async function run(rounds = 200): Promise<BenchResult[]> {
  const dataDir = mkdtempSync(join(tmpdir(), "vooru-bench-boards-"));
  const config = officeConfigSchema.parse({
    office: { id: "bench", name: { en: "Bench" } },
    services: [{ id: "pensions", prefix: "A", names: { en: "Pensions" }, range: { first: 1, last: 999 } }],
    counters: [{ id: "1", services: ["pensions"] }],
    journal: { dataDir },
    mqtt: { embedded: { host: "127.0.0.1", port: 0, httpPort: 0 } },
    devices: {
      boardBuses: [
        {
          id: "bus",
          protocol: "modbus-7seg",
          transport: { type: "simulated" },
          boards: [{ id: "b1", address: 1, counter: "1" }],
        },
      ],
      // No blink: the first frame of a call is its text.
      boardTexts: { blinkSeconds: 0 },
    },
  });
  const office = await startDemoOffice({ config, log: silentLogger, version: "bench" });
  try {
    const bus = office.simulated.boardBuses.get("bus")?.bus as VirtualModbusBus;
    // Stamp the moment each chunk reaches the board, then let it be parsed.
    let arrived: ((text: string, at: number) => void) | null = null;
    const receive = bus.receive.bind(bus);
    bus.receive = (chunk: Uint8Array) => {
      const at = performance.now();
      receive(chunk);
      arrived?.(bus.display(1).trim(), at);
    };
    await office.service.run({ scope: "counter", counter: "1", verb: "open" }, {});
    for (let i = 0; i < rounds; i++)
      await office.service.run({ scope: "desk", verb: "issue" }, { service: "pensions" });
    const latencies: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const number = `A${String(i + 1).padStart(3, "0")}`;
      const shown = new Promise<number>((resolve) => {
        arrived = (text, at) => {
          if (text === number) resolve(at);
        };
      });
      const start = performance.now();
      await office.service.run({ scope: "counter", counter: "1", verb: "call_next" }, {});
      latencies.push((await shown) - start);
      await office.service.run({ scope: "counter", counter: "1", verb: "start" }, {});
      await office.service.run({ scope: "counter", counter: "1", verb: "finish" }, {});
      // Calls come seconds apart: let the bus go idle (the idle text, its reply, the gap) first.
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    return latencyFigures(
      "boards",
      "call_next -> counter board frame",
      latencies,
      { op: "<", value: 5 },
      "calls",
    );
  } finally {
    await office.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
