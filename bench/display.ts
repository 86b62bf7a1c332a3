// call_next -> the TV display shows the number: a counter calls (journal fsync included), the
// controller publishes calls/{zone}, the embedded broker carries it over WebSocket to /display in
// Debian's Chromium, and the page draws it. The page reports the moment through a binding, so
// both ends are read off this process's clock.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { chromium } from "playwright-core";
import { officeConfigSchema } from "../controller/config/office-config.js";
import { silentLogger } from "../controller/health/log.js";
import { startDemoOffice } from "../demo/demo-office.js";
import { type BenchResult, latencyFigures } from "./support.js";

const CHROMIUM = "/usr/bin/chromium";

export async function run(rounds = 60): Promise<BenchResult[]> {
  if (!existsSync(CHROMIUM)) {
    console.error(`bench display: skipped, no ${CHROMIUM} (apt-get install chromium)`);
    return [];
  }
  const dataDir = mkdtempSync(join(tmpdir(), "vooru-bench-display-"));
  const config = officeConfigSchema.parse({
    office: { id: "bench", name: { en: "Bench" } },
    services: [{ id: "pensions", prefix: "A", names: { en: "Pensions" }, range: { first: 1, last: 999 } }],
    counters: [{ id: "4", services: ["pensions"] }],
    journal: { dataDir },
    mqtt: { embedded: { host: "127.0.0.1", port: 0, httpPort: 0, allowAnonymousLoopback: true } },
  });
  const office = await startDemoOffice({ config, log: silentLogger, version: "bench" });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    let shown: ((number: string, at: number) => void) | null = null;
    await page.exposeFunction("vooruBenchShown", (number: string) => shown?.(number, performance.now()));
    await page.goto(`${office.httpUrl}/display`);
    await page.waitForSelector('#display[data-ready="true"]', { timeout: 60_000 });
    // A string, so this Node module needs no DOM types: it runs in the page.
    await page.evaluate(`(() => {
      const slot = document.getElementById("now");
      new MutationObserver(() => {
        const number = slot.querySelector(".now-call")?.getAttribute("data-number");
        if (number) window.vooruBenchShown(number);
      }).observe(slot, { childList: true, subtree: true });
    })()`);
    await office.service.run({ scope: "counter", counter: "4", verb: "open" }, {});
    for (let i = 0; i < rounds; i++)
      await office.service.run({ scope: "desk", verb: "issue" }, { service: "pensions" });
    const latencies: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const number = `A${String(i + 1).padStart(3, "0")}`;
      const drawn = new Promise<number>((resolve) => {
        shown = (n, at) => {
          if (n === number) resolve(at);
        };
      });
      const start = performance.now();
      await office.service.run({ scope: "counter", counter: "4", verb: "call_next" }, {});
      latencies.push((await drawn) - start);
      await office.service.run({ scope: "counter", counter: "4", verb: "start" }, {});
      await office.service.run({ scope: "counter", counter: "4", verb: "finish" }, {});
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return latencyFigures(
      "display",
      "call_next -> the TV display shows the number (Chromium)",
      latencies,
      { op: "<", value: 500 },
      "calls",
    );
  } finally {
    await browser.close();
    await office.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
