// Press -> first printer byte: a customer presses a topic button on a simulated X-keys (its
// report bytes read by the real HID driver), the press rules admit it, the queue reserves the
// number (journal fsync included) and the ticket's first byte reaches the virtual printer over
// loopback TCP. In-process, like the office runs it; one press at a time, on an idle printer.
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { officeConfigSchema } from "../controller/config/office-config.js";
import { silentLogger } from "../controller/health/log.js";
import { startDemoOffice } from "../demo/demo-office.js";
import { type BenchResult, benchDir, latencyFigures } from "./support.js";

const ESC_AT = [0x1b, 0x40];
/** Past the 30 ms debounce window with room to spare. */
const HOLD_MS = 60;

function startsTicket(chunk: Uint8Array): boolean {
  for (let i = 0; i + 1 < chunk.length; i++)
    if (chunk[i] === ESC_AT[0] && chunk[i + 1] === ESC_AT[1]) return true;
  return false;
}

async function until(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const started = performance.now();
  while (!check()) {
    if (performance.now() - started > timeoutMs)
      throw new Error(`bench panels: timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export async function run(rounds = 200): Promise<BenchResult[]> {
  // The journal where the other fsync benches write (VOORU_BENCH_DIR: the Pi's SD card, say).
  const dataDir = mkdtempSync(join(benchDir(), "vooru-bench-panels-"));
  const config = officeConfigSchema.parse({
    office: { id: "bench", name: { en: "Bench" } },
    services: [{ id: "pensions", prefix: "A", names: { en: "Pensions" }, range: { first: 1, last: 999 } }],
    counters: [{ id: "1", services: ["pensions"] }],
    journal: { dataDir },
    mqtt: { embedded: { host: "127.0.0.1", port: 0, httpPort: 0 } },
    devices: {
      printers: [{ id: "kiosk-1", profile: "epson-tm-t20iii", transport: { type: "simulated" } }],
      panels: [
        {
          id: "panel-1",
          kind: "xkeys",
          printer: "kiosk-1",
          io: { type: "simulated" },
          buttons: [{ button: "0", service: "pensions", led: true }],
          // One button pressed again and again: no rate limit.
          rules: { minPressIntervalMs: 0 },
        },
      ],
    },
  });
  const office = await startDemoOffice({ config, log: silentLogger, version: "bench" });
  try {
    const printer = office.simulated.printers.get("kiosk-1")?.printer;
    const control = office.simulated.panels.get("panel-1");
    if (!printer || !control) throw new Error("bench panels: the simulated printer or panel is missing");
    await until(
      () =>
        office.health
          .devices()
          .filter((d) => d.id === "kiosk-1" || d.id === "panel-1")
          .every((d) => d.status === "ok" && (d.kind !== "printer" || d.lastSeen !== null)),
      "printer and panel online",
    );
    let firstByte: ((at: number) => void) | null = null;
    const receive = printer.receive.bind(printer);
    printer.receive = (chunk: Uint8Array) => {
      const at = performance.now();
      if (firstByte && startsTicket(chunk)) {
        firstByte(at);
        firstByte = null;
      }
      receive(chunk);
    };
    let issued = 0;
    office.panels.service.onPress((press) => {
      if (press.outcome !== "issued") throw new Error(`bench panels: a press ended ${press.outcome}`);
      issued++;
    });
    const latencies: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const arrived = new Promise<number>((resolve) => {
        firstByte = resolve;
      });
      const start = performance.now();
      control.hold("0", true);
      latencies.push((await arrived) - start);
      await until(() => issued === i + 1, `ticket ${i + 1} confirmed`);
      // A customer's press: held longer than the debounce window, and the next one comes after
      // the release has settled (a release inside the window settles at its end, and a press
      // right after it would wait for that).
      await until(() => performance.now() - start >= HOLD_MS, "the hold");
      control.hold("0", false);
      await new Promise((resolve) => setTimeout(resolve, HOLD_MS));
    }
    return latencyFigures(
      "panels",
      "press -> first printer byte",
      latencies,
      { op: "<", value: 10 },
      "presses",
    );
  } finally {
    await office.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
