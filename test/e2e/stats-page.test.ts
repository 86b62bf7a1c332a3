// The manager's statistics page in Debian's Chromium against the demo office: today's figures
// live, the three charts drawn, a table's CSV downloaded and read back, and a range with no
// tickets said plainly.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryLogger } from "../../controller/health/log.js";
import { ContractClient } from "../../controller/mqtt/contract-client.js";
import { type DemoOffice, startDemoOffice } from "../../demo/demo-office.js";
import { parseCsv } from "../../protocols/stats/csv.js";
import { buildWeb } from "../../scripts/build-web.js";
import { CHROMIUM, e2eConfig, haveChromium, launchChromium, SCREENSHOTS } from "./support.js";

if (!haveChromium) console.warn(`e2e: skipped, ${CHROMIUM} is not installed (apt-get install chromium)`);

describe.skipIf(!haveChromium)("the statistics page in Chromium", { timeout: 300_000 }, () => {
  let temp: string;
  let office: DemoOffice;
  let browser: Browser;
  let client: ContractClient;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    temp = mkdtempSync(join(tmpdir(), "vooru-e2e-stats-"));
    const webRoot = await buildWeb(join(temp, "web"));
    const config = e2eConfig(join(temp, "data"));
    office = await startDemoOffice({
      config: { ...config, stats: { ...config.stats, publishSeconds: 1 } },
      log: memoryLogger(),
      version: "e2e",
      webRoot,
    });
    client = ContractClient.connect({ url: office.mqttUrl, office: office.config.office.id });
    const service = office.config.services[0]?.id as string;
    const counter = office.config.counters.find((c) =>
      c.services.some((s) => (typeof s === "string" ? s : s.service) === service),
    )?.id as string;
    const ok = async (reply: Promise<{ ok: boolean }>) => expect((await reply).ok).toBe(true);
    await ok(client.request({ scope: "counter", counter, verb: "open" }));
    for (let i = 0; i < 3; i++) await ok(client.request({ scope: "desk", verb: "issue" }, { service }));
    await ok(client.request({ scope: "counter", counter, verb: "call_next" }));
    await ok(client.request({ scope: "counter", counter, verb: "start" }));
    await ok(client.request({ scope: "counter", counter, verb: "finish" }));
    browser = await launchChromium();
    const context = await browser.newContext({
      viewport: { width: 1280, height: 1000 },
      locale: "en-US",
      acceptDownloads: true,
    });
    context.setDefaultTimeout(30_000);
    page = await context.newPage();
    page.on("pageerror", (error) => errors.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    await page.addInitScript({ content: "localStorage.setItem('vooru.lang', 'en');" });
    await page.goto(`${office.httpUrl}/stats.html`);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await client?.close().catch(() => {});
    await office?.stop();
    if (temp) rmSync(temp, { recursive: true, force: true });
  });

  it("shows today's figures live and draws the three charts", async () => {
    await page.locator("#fig-issued strong", { hasText: "3" }).waitFor();
    await expect(page.locator("#fig-served strong").textContent()).resolves.toBe("1");
    for (const id of ["chart-wait", "chart-arrivals", "chart-service-level"]) {
      // Runs in the page: counts the canvas's painted pixels (a string: the tests compile without DOM types).
      const painted = await page.evaluate<number>(`(() => {
        const canvas = document.getElementById(${JSON.stringify(id)});
        if (!canvas || canvas.width === 0) return 0;
        const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
        let count = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) count++;
        return count;
      })()`);
      expect(painted, `${id} has drawn pixels`).toBeGreaterThan(500);
    }
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, "stats-today.png"), fullPage: true });
    expect(errors).toEqual([]);
  });

  it("downloads a table as CSV that parses back to the figures shown", async () => {
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#by-service-csv")]);
    expect(download.suggestedFilename()).toMatch(
      /^vooru-.+-by-service-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/,
    );
    const rows = parseCsv(readFileSync(await download.path(), "utf8"));
    expect(rows[0]?.slice(0, 3)).toEqual(["service", "issued", "served"]);
    expect(rows.slice(1).reduce((sum, row) => sum + Number(row[1]), 0)).toBe(3);
  });

  it("says so when a range has no tickets", async () => {
    await page.fill("#stats-from", "2020-01-01");
    await page.fill("#stats-to", "2020-01-31");
    await page.click("#stats-show");
    await expect(page.locator("#stats-state.no-data").textContent()).resolves.toBe(
      "No tickets in this range.",
    );
    await page.click("#stats-today");
    await page.locator("#fig-issued strong", { hasText: "3" }).waitFor();
  });
});
