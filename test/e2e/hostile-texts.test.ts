// The office's own texts are data, never markup: in Debian's Chromium, an office whose every name
// a page shows is hostile HTML (office name, service names in all three languages, counter names,
// cancel reason texts, the ticket footer) shows them as literal text on every page, nothing is
// injected into the DOM and window.__pwned stays undefined. Board, zone and printer names are ids
// (A-Z, a-z, 0-9, "_", "-"), which the config refuses to hold markup in.
//
// The pages' Content-Security-Policy would also stop an inline script; so the test checks the DOM
// itself as well: no element came out of a name (no img[src=x], no script or on* attribute in
// the body).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OfficeConfig } from "../../controller/config/schema.js";
import { memoryLogger } from "../../controller/health/log.js";
import { type DemoOffice, startDemoOffice } from "../../demo/demo-office.js";
import { buildWeb } from "../../scripts/build-web.js";
import { CHROMIUM, e2eConfig, haveChromium, launchChromium, SCREENSHOTS } from "./support.js";

if (!haveChromium) console.warn(`e2e: skipped, ${CHROMIUM} is not installed (apt-get install chromium)`);

const HOSTILE = `<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">`;
/** Tuesday 2036-03-11 09:00 in Tallinn (UTC+2). */
const MORNING = Date.UTC(2036, 2, 11, 7, 0);
const hostile = (label: string) => `${label} ${HOSTILE}`;
const inAll = (label: string) => ({
  et: hostile(`${label}-et`),
  en: hostile(`${label}-en`),
  ru: hostile(`${label}-ru`),
});

function hostileConfig(dataDir: string): OfficeConfig {
  const config = e2eConfig(dataDir);
  return {
    ...config,
    office: { ...config.office, name: inAll("office") },
    services: config.services.map((s) => ({ ...s, names: inAll(s.id) })),
    counters: config.counters.map((c) => ({ ...c, name: hostile(`counter-${c.id}`) })),
    cancelReasons: config.cancelReasons.map((r) => ({ ...r, names: inAll(r.code) })),
    ticket: { ...config.ticket, footer: inAll("footer") },
    stats: { ...config.stats, publishSeconds: 1 },
  };
}

/** In the page: what a name could have injected (run as a string: the tests compile without DOM types). */
const INJECTED = `(() => ({
  pwned: typeof window.__pwned,
  images: document.querySelectorAll('img[src="x"]').length,
  scripts: document.body.querySelectorAll("script").length,
  handlers: [...document.body.querySelectorAll("*")].filter((e) =>
    [...e.attributes].some((a) => a.name.startsWith("on"))).length,
}))()`;

describe.skipIf(!haveChromium)("hostile office texts in Chromium", { timeout: 300_000 }, () => {
  let temp: string;
  let office: DemoOffice;
  let browser: Browser;

  beforeAll(async () => {
    temp = mkdtempSync(join(tmpdir(), "vooru-e2e-hostile-"));
    const webRoot = await buildWeb(join(temp, "web"));
    // The office's clock runs from a Tuesday morning in 2036: the statistics page takes the
    // controller's business day then, not the browser's calendar (which, between midnight and
    // the daily reset, is a day past the business day and would show no tickets).
    const start = Date.now();
    office = await startDemoOffice({
      config: hostileConfig(join(temp, "data")),
      log: memoryLogger(),
      version: "e2e",
      webRoot,
      clock: () => MORNING + (Date.now() - start),
    });
    // Something in every list: a waiting ticket per service, one called at counter 1.
    for (const s of office.config.services) {
      const issued = await office.service.run({ scope: "desk", verb: "issue" }, { service: s.id });
      if (!issued.ok) throw new Error(`issue ${s.id}: ${JSON.stringify(issued.error)}`);
    }
    await office.service.run({ scope: "counter", counter: "1", verb: "open" }, {});
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await office?.stop();
    if (temp) rmSync(temp, { recursive: true, force: true });
  });

  async function open(path: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-US" });
    context.setDefaultTimeout(30_000);
    await context.addInitScript({ content: `localStorage.setItem("vooru.lang", "en");` });
    const page = await context.newPage();
    page.on("pageerror", (error) => console.error(`page error on ${path}: ${error.message}`));
    await page.goto(`${office.httpUrl}${path}`);
    return page;
  }

  const bodyText = (page: Page) => page.evaluate<string>("document.body.textContent");

  /** Opens the page, waits until every text shows literally, and checks nothing was injected. */
  async function expectLiteral(path: string, texts: string[], shot: string): Promise<Page> {
    const page = await open(path);
    for (const text of texts)
      await expect
        .poll(() => bodyText(page), { timeout: 30_000, message: `${path}: ${text}` })
        .toContain(text);
    expect(await page.evaluate(INJECTED), path).toEqual({
      pwned: "undefined",
      images: 0,
      scripts: 0,
      handlers: 0,
    });
    await page.screenshot({ path: join(SCREENSHOTS, `hostile-${shot}.png`), fullPage: true });
    return page;
  }

  const services = () => office.config.services.map((s) => hostile(`${s.id}-en`));

  it("the desk: service names and cancel reasons", async () => {
    const desk = await expectLiteral("/desk.html", services(), "desk");
    const reasons = await desk
      .locator("#fix-reason option")
      .evaluateAll((list) => list.map((o) => (o as unknown as { textContent: string }).textContent));
    expect(reasons).toEqual(office.config.cancelReasons.map((r) => hostile(`${r.code}-en`)));
  });

  it("the counter chooser and a counter: counter and service names", async () => {
    await expectLiteral(
      "/counter.html",
      office.config.counters.map((c) => hostile(`counter-${c.id}`)),
      "counter-chooser",
    );
    await expectLiteral(
      "/counter.html?counter=1",
      [hostile("counter-1"), ...services().slice(0, 1)],
      "counter",
    );
  });

  it("the kiosk: service buttons, and a ticket printed with the hostile office name and footer", async () => {
    const kiosk = await expectLiteral("/kiosk.html", services(), "kiosk");
    await kiosk.locator("button.topic").first().click();
    const img = kiosk.locator(".tickets li.ticket img").first();
    // The SVG of the ticket loads: its texts were escaped in it, and as an <img> it runs nothing.
    await expect
      .poll(() => img.evaluate((e) => (e as unknown as { naturalWidth: number }).naturalWidth), {
        timeout: 30_000,
      })
      .toBeGreaterThan(0);
    expect(await kiosk.evaluate(INJECTED)).toEqual({
      pwned: "undefined",
      images: 0,
      scripts: 0,
      handlers: 0,
    });
  });

  it("the waiting room display: service names in the office's languages", async () => {
    const display = await open("/display");
    await display.locator('#display[data-ready="true"]').waitFor();
    // The labels cycle through the languages, 8 s each.
    for (const language of ["et", "en", "ru"])
      await expect
        .poll(() => bodyText(display), { timeout: 30_000 })
        .toContain(hostile(`pensions-${language}`));
    expect(await display.evaluate(INJECTED)).toEqual({
      pwned: "undefined",
      images: 0,
      scripts: 0,
      handlers: 0,
    });
  });

  it("the statistics page and the boards: service names in the tables", async () => {
    await expectLiteral("/stats.html", services(), "stats");
    await expectLiteral("/board.html", [], "board");
    await expectLiteral("/", [], "index");
  });
});
