// The waiting room's TV (/display) end to end in Debian's Chromium (driven by playwright-core; never
// a downloaded browser) against the demo office started in-process with the pages freshly built.
// Calls are made over the MQTT contract (a ContractClient, as counter software would); the page
// hears them on calls/{zone}. Measured page-side: a MutationObserver notes performance.now() (as
// wall time) when a call appears, and that is compared with the moment the call's reply came back.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OfficeConfig } from "../../controller/config/schema.js";
import { memoryLogger } from "../../controller/health/log.js";
import { ContractClient } from "../../controller/mqtt/contract-client.js";
import { type DemoOffice, startDemoOffice } from "../../demo/demo-office.js";
import {
  callAnnouncement,
  clipsOf,
  type Place,
  type SpokenLanguage,
} from "../../protocols/announce/spoken-call.js";
import type { Reply } from "../../protocols/mqtt/schemas.js";
import type { CounterVerb } from "../../protocols/mqtt/topics.js";
import { buildWeb } from "../../scripts/build-web.js";
import { CHROMIUM, e2eConfig, haveChromium, launchChromium, SCREENSHOTS } from "./support.js";

if (!haveChromium) console.warn(`e2e: skipped, ${CHROMIUM} is not installed (apt-get install chromium)`);

/** Chromium in kiosk mode on the TV is started with this, so that `?sound=on` may play at once. */
const AUTOPLAY = "--autoplay-policy=no-user-gesture-required";

/** What the page recorder (RECORDER) keeps, read back with page.evaluate. */
interface Seen {
  /** Each call element as it appeared: wall time (ms) and whether it blinked. */
  calls: Array<{ ticket: string; number: string; recall: string; blink: boolean; t: number }>;
  /** The page's language, each time it changed. */
  langs: string[];
  /** "<ticket being spoken>|<tickets waiting, in turn>" (body[data-speaking], [data-waiting]), each time that changed. */
  queues: string[];
}

// Runs in the page before its own script: notes every change that matters, with page-side times.
const RECORDER = `(() => {
  const seen = { calls: [], langs: [], queues: [] };
  window.__seen = seen;
  let last = null;
  const note = () => {
    const call = document.querySelector(".now-call");
    if (call && call !== last) {
      last = call;
      seen.calls.push({
        ticket: call.dataset.ticket, number: call.dataset.number, recall: call.dataset.recall,
        blink: call.classList.contains("blink"), t: performance.timeOrigin + performance.now(),
      });
    }
    const lang = document.documentElement ? document.documentElement.lang : "";
    if (seen.langs[seen.langs.length - 1] !== lang) seen.langs.push(lang);
    const body = document.body;
    const queue = body && body.dataset.waiting !== undefined ? body.dataset.speaking + "|" + body.dataset.waiting : undefined;
    if (queue !== undefined && seen.queues[seen.queues.length - 1] !== queue) seen.queues.push(queue);
  };
  // The document itself: its <html> element does not exist yet when this runs.
  new MutationObserver(note).observe(document, {
    subtree: true, childList: true, attributes: true, characterData: true,
  });
})();`;

/** The demo office, its hall zone announced by voice (the display with sound on speaks it). */
function displayConfig(dataDir: string): OfficeConfig {
  const config = e2eConfig(dataDir);
  const zones = config.announcements.zones.filter((z) => z.zone !== "hall");
  const hall = config.announcements.zones.find((z) => z.zone === "hall");
  return {
    ...config,
    announcements: { ...config.announcements, zones: [...zones, { ...hall, zone: "hall", mode: "voice" }] },
  };
}

describe.skipIf(!haveChromium)("the waiting-room display in Chromium", { timeout: 300_000 }, () => {
  let temp: string;
  let office: DemoOffice;
  let officeStopped = false;
  let browser: Browser;
  let client: ContractClient;
  let base: string;
  const contexts: BrowserContext[] = [];
  /** Console errors and page errors while the office runs; after it stops, apart. */
  const errors: string[] = [];
  const errorsAfterStop: string[] = [];
  /** Requests to /clips/, per page. */
  const clipRequests = new Map<Page, string[]>();

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    temp = mkdtempSync(join(tmpdir(), "vooru-e2e-display-"));
    const webRoot = await buildWeb(join(temp, "web"));
    office = await startDemoOffice({
      config: displayConfig(join(temp, "data")),
      log: memoryLogger(),
      version: "e2e",
      webRoot,
    });
    base = office.httpUrl as string;
    // launchChromium() with one flag more, as the TV's Chromium is started: support.ts keeps the
    // flags every e2e file shares, and its launch takes no extra ones.
    const launch = chromium.launch.bind(chromium);
    chromium.launch = (options) => launch({ ...options, args: [...(options?.args ?? []), AUTOPLAY] });
    try {
      browser = await launchChromium();
    } finally {
      chromium.launch = launch;
    }
    client = ContractClient.connect({ url: office.mqttUrl, office: office.config.office.id });
  }, 180_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await client?.close().catch(() => {});
    if (office && !officeStopped) await office.stop();
    if (temp) rmSync(temp, { recursive: true, force: true });
  });

  /** A display in a fresh browser context of the given size, with the recorder in it. */
  async function open(path: string, width: number, height: number): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height }, locale: "en-US" });
    contexts.push(context);
    context.setDefaultTimeout(30_000);
    await context.addInitScript({ content: RECORDER });
    const page = await context.newPage();
    const name = `${path} at ${width}x${height}`;
    page.on("console", (message) => {
      if (message.type() === "error")
        (officeStopped ? errorsAfterStop : errors).push(`${name}: ${message.text()}`);
    });
    page.on("pageerror", (error) => errors.push(`${name}: page error ${error.message}`));
    const clips: string[] = [];
    clipRequests.set(page, clips);
    page.on("request", (request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith("/clips/")) clips.push(url.pathname);
    });
    await page.goto(`${base}${path}`);
    return page;
  }

  const seenOn = (page: Page) => page.evaluate("window.__seen") as Promise<Seen>;
  const shot = (page: Page, name: string) =>
    page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

  async function counter(verb: CounterVerb): Promise<Extract<Reply, { ok: true }>> {
    const reply = await client.request({ scope: "counter", counter: "1", verb });
    if (!reply.ok) throw new Error(`counter 1 ${verb}: ${reply.error.code} ${reply.error.message}`);
    return reply;
  }

  /** The wall time at which `ticket` (a call, or a recall) appeared as the newest call on a page. */
  async function appeared(page: Page, ticket: string, recall: boolean): Promise<Seen["calls"][number]> {
    let found: Seen["calls"][number] | undefined;
    await expect
      .poll(async () => {
        found = (await seenOn(page)).calls.find((c) => c.ticket === ticket && c.recall === String(recall));
        return found !== undefined;
      })
      .toBe(true);
    return found as Seen["calls"][number];
  }

  let pages: { hall1080: Page; hall720: Page; everyZone: Page };
  const called: Array<{ id: string; number: string }> = [];

  it("shows each call large and blinking within 1 s of its reply, the previous calls below, and speaks it", async () => {
    const hall1080 = await open("/display?zone=hall&sound=on", 1920, 1080);
    const hall720 = await open("/display?zone=hall", 1280, 720);
    const everyZone = await open("/display", 1920, 1080);
    pages = { hall1080, hall720, everyZone };
    const all = [hall1080, hall720, everyZone];
    // Connected, and the stored copy of calls/hall is in: a live message now is a new call.
    for (const page of all) await page.locator('#display[data-ready="true"]').waitFor();
    await expect.poll(() => hall1080.locator("#display").getAttribute("data-zones")).toContain("hall");
    expect(await hall1080.locator("#sound").getAttribute("data-sound")).toBe("on");
    // Without ?sound=on the page waits for a click on its "Sound on" button.
    const soundButton = hall720.locator("#sound");
    expect(await soundButton.isVisible()).toBe(true);
    expect(await soundButton.getAttribute("data-sound")).toBe("off");
    expect(["Heli sisse", "Sound on", "Включить звук"]).toContain(await soundButton.textContent());

    for (let i = 0; i < 3; i++) {
      const issued = await client.request({ scope: "desk", verb: "issue" }, { service: "pensions" });
      expect(issued.ok).toBe(true);
    }
    await counter("open");
    const timings: number[] = [];
    for (let i = 0; i < 3; i++) {
      if (i > 0) {
        await counter("start");
        await counter("finish");
      }
      const reply = await counter("call_next");
      const repliedAt = Date.now();
      const ticket = (reply.result as { ticket: { id: string; number: string } }).ticket;
      called.push(ticket);
      for (const page of all) {
        const seen = await appeared(page, ticket.id, false);
        expect(seen.number).toBe(ticket.number);
        expect(seen.blink).toBe(true);
        timings.push(Math.round(seen.t - repliedAt));
      }
    }
    console.info(
      `display: call reply -> number on the display, ms (3 calls x 3 pages): ${timings.join(", ")}`,
    );
    for (const ms of timings) expect(ms).toBeLessThanOrEqual(1000);

    const [first, second, third] = called as [(typeof called)[0], (typeof called)[0], (typeof called)[0]];
    for (const page of all) {
      await expect.poll(() => page.locator(".now-call").getAttribute("data-ticket")).toBe(third.id);
      expect(await page.locator(".now-number").textContent()).toBe(third.number);
      await expect
        .poll(() =>
          page
            .locator("#history .history-call")
            .evaluateAll((rows) =>
              rows.map((r) => (r as unknown as { dataset: { ticket: string } }).dataset.ticket),
            ),
        )
        .toEqual([second.id, first.id]);
      // The counter, in words too.
      expect(await page.locator(".now-counter").textContent()).toBe("→ 1");
      expect(["Laud 1", "Counter 1", "Окно 1"]).toContain(await page.locator(".now-place").textContent());
      // Waiting per service: the pensions queue is empty again.
      expect(await page.locator('[data-service="pensions"] .waiting-count').textContent()).toBe("0");
    }
    // The number is large: at least 15 % of the screen's height, at 1080 and at 720 lines.
    for (const [page, height] of [
      [hall1080, 1080],
      [hall720, 720],
      [everyZone, 1080],
    ] as const) {
      const box = await page.locator(".now-number").boundingBox();
      expect(box?.height ?? 0).toBeGreaterThanOrEqual(0.15 * height);
    }

    // Sound: the page fetched the clips of each announcement, in the sequence's order (each clip once).
    const [mode, spoken = ""] = (
      (await hall1080.locator("#display").getAttribute("data-announce")) ?? ""
    ).split(" ");
    expect(mode).toBe("voice");
    const languages = spoken.split(",") as SpokenLanguage[];
    const place = (await hall1080.locator(".now-call").getAttribute("data-place")) as Place;
    const expected = [
      ...new Set(
        called.flatMap((c) =>
          clipsOf(callAnnouncement({ number: c.number, counter: "1", place }, languages, "voice")),
        ),
      ),
    ].map((clip) => `/clips/${clip}.wav`);
    await expect.poll(() => clipRequests.get(hall1080)?.length).toBeGreaterThanOrEqual(expected.length);
    expect(clipRequests.get(hall1080)).toEqual(expected);
    // Sound off elsewhere: nothing fetched.
    expect(clipRequests.get(hall720)).toEqual([]);
    expect(clipRequests.get(everyZone)).toEqual([]);

    // A recall: the number blinks again, once on the screen, and is not queued twice to be spoken.
    await counter("recall");
    const recalledAt = Date.now();
    for (const page of all) {
      const seen = await appeared(page, third.id, true);
      expect(seen.blink).toBe(true);
      console.info(`display: recall reply -> display ${Math.round(seen.t - recalledAt)} ms`);
      expect(await page.locator(`[data-ticket="${third.id}"]`).count()).toBe(1);
      expect(await page.locator("#history .history-call").count()).toBe(2);
    }
    // The recall was queued as the page drew it (same message): every queue state so far.
    const queues = (await seenOn(hall1080)).queues;
    console.info(`display: speaking|waiting: ${JSON.stringify(queues)}`);
    // Queued by ticket and counter, as the controller's speakers key them.
    expect(
      queues.some((q) =>
        q
          .replace("|", " ")
          .split(" ")
          .some((k) => k.startsWith(`${third.id}@`)),
      ),
    ).toBe(true);
    for (const q of queues) {
      const waiting = (q.split("|")[1] ?? "").split(" ").filter(Boolean);
      expect(new Set(waiting).size, q).toBe(waiting.length);
    }

    // The labels cycle through the office's languages; the numbers stay.
    await expect
      .poll(async () => new Set((await seenOn(hall1080)).langs).size, { timeout: 30_000 })
      .toBeGreaterThanOrEqual(2);
    expect(await hall1080.locator(".now-number").textContent()).toBe(third.number);
    // "Sound on" is a click away on a display started without sound, and off again.
    await hall720.locator("#sound").click();
    await expect.poll(() => hall720.locator("#sound").getAttribute("data-sound")).toBe("on");
    await hall720.locator("#sound").click();
    await expect.poll(() => hall720.locator("#sound").getAttribute("data-sound")).toBe("off");
    // The blinking has stopped: the screenshots show the numbers.
    for (const page of all) await page.locator(".now-call:not(.blink)").waitFor();
    await shot(hall1080, "display-1920x1080");
    await shot(hall720, "display-1280x720");
    await shot(everyZone, "display-all-zones");
    expect(errors).toEqual([]);
  });

  it("takes the history length and the zone from the URL", async () => {
    const short = await open("/display?zone=hall&history=1", 1280, 720);
    await short.locator('#display[data-ready="true"]').waitFor();
    await expect.poll(() => short.locator(".now-call").getAttribute("data-ticket")).toBe(called[2]?.id);
    expect(await short.locator("#history .history-call").count()).toBe(1);
    expect(await short.locator("#history .history-call").getAttribute("data-ticket")).toBe(called[1]?.id);
    const nowhere = await open("/display?zone=nowhere", 1280, 720);
    await expect
      .poll(() => nowhere.locator(".now-empty").textContent())
      .toMatch(/^(Ooteala nowhere pole olemas|There is no waiting area nowhere|Зоны ожидания nowhere нет)$/);
    expect(errors).toEqual([]);
  });

  it("says plainly that it is not connected when the office stops, and keeps the last calls dimmed", async () => {
    expect(pages, "the first test opened the displays").toBeDefined();
    const third = called[2] as { id: string; number: string };
    await client.close();
    officeStopped = true;
    await office.stop();
    for (const page of [pages.hall1080, pages.hall720]) {
      const banner = page.locator("#display-offline");
      await banner.waitFor({ state: "visible" });
      const text = (await banner.textContent()) ?? "";
      expect(text).toContain("The call display is not connected");
      expect(text).toContain("Kutsete ekraan ei ole ühendatud");
      expect(text).toContain("Экран вызовов не подключён");
      expect(await page.locator(".now-number").textContent()).toBe(third.number);
      expect(await page.locator("body").getAttribute("class")).toContain("offline");
      // Dimmed (after a short fade).
      await expect
        .poll(() => page.locator("#display").evaluate((e) => Number(getComputedStyle(e as never).opacity)))
        .toBeLessThan(0.5);
    }
    await shot(pages.hall1080, "display-offline-1920x1080");
    await shot(pages.hall720, "display-offline-1280x720");
    // Page errors never; console errors now only the browser's own about the lost WebSocket.
    expect(errors).toEqual([]);
    for (const message of errorsAfterStop) expect(message).toMatch(/WebSocket|ERR_CONNECTION_REFUSED/);
  });
});

declare function getComputedStyle(element: never): { opacity: string };
