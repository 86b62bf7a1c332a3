// The desk page cancels a ticket with a reason in Debian's Chromium: the office's reasons offered
// as a choice in the page's language, an optional note typed, and the cancel sent. The published
// event carries the code only; the note is in the journal and on no topic the controller
// publishes (a watcher on `#` sees everything the broker carries).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryLogger } from "../../controller/health/log.js";
import { connectMqtt, type MqttConnection, type MqttMessage } from "../../controller/mqtt/transport.js";
import { type DemoOffice, startDemoOffice } from "../../demo/demo-office.js";
import { buildWeb } from "../../scripts/build-web.js";
import { CHROMIUM, e2eConfig, haveChromium, launchChromium, SCREENSHOTS } from "./support.js";

if (!haveChromium) console.warn(`e2e: skipped, ${CHROMIUM} is not installed (apt-get install chromium)`);

type InPage = { value: string; textContent: string | null };

describe.skipIf(!haveChromium)("the desk cancels with a reason in Chromium", { timeout: 180_000 }, () => {
  let temp: string;
  let office: DemoOffice;
  let browser: Browser;
  let watcher: MqttConnection;
  const messages: MqttMessage[] = [];

  beforeAll(async () => {
    temp = mkdtempSync(join(tmpdir(), "vooru-e2e-reasons-"));
    const webRoot = await buildWeb(join(temp, "web"));
    office = await startDemoOffice({
      config: e2eConfig(join(temp, "data")),
      log: memoryLogger(),
      version: "e2e",
      webRoot,
    });
    watcher = connectMqtt({ url: office.mqttUrl, reconnectPeriodMs: 0 });
    watcher.onMessage((m) => messages.push(m));
    await new Promise<void>((resolve) => watcher.onConnect(resolve));
    // Everything of the office a reader may subscribe to (the anonymous demo client is no admin).
    await watcher.subscribe([`${office.bridge.topics.base}#`], 1);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await watcher?.end();
    await office?.stop();
    if (temp) rmSync(temp, { recursive: true, force: true });
  });

  async function openDesk(language: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, locale: "en-US" });
    context.setDefaultTimeout(30_000);
    await context.addInitScript({
      content: `localStorage.setItem("vooru.lang", ${JSON.stringify(language)});`,
    });
    const page = await context.newPage();
    page.on("pageerror", (error) => console.error(`page error on the desk: ${error.message}`));
    await page.goto(`${office.httpUrl}/desk.html`);
    await page.locator("#fix-reason option").first().waitFor({ state: "attached" });
    return page;
  }

  const options = (page: Page) =>
    page
      .locator("#fix-reason option")
      .evaluateAll((list) =>
        list.map((o) => [(o as unknown as InPage).value, (o as unknown as InPage).textContent]),
      );

  it("offers the configured reasons in the page's language", async () => {
    const ru = await openDesk("ru");
    expect(await options(ru)).toEqual([
      ["wrong_service", "не та услуга"],
      ["duplicate", "повторный талон"],
      ["left", "клиент ушёл"],
      ["other", "другое"],
    ]);
    await ru.locator("#lang").selectOption("et");
    await expect
      .poll(async () => (await options(ru)).map(([, text]) => text))
      .toEqual(["vale teenus", "topeltpilet", "klient lahkus", "muu"]);
  });

  it("cancels with the chosen code; the note reaches the journal and no published topic", async () => {
    const issued = await office.service.run({ scope: "desk", verb: "issue" }, { service: "documents" });
    if (!issued.ok) throw new Error(JSON.stringify(issued.error));
    const number = (issued.result.ticket as { number: string }).number;
    const desk = await openDesk("en");
    await desk.locator(`#select-${number}`).click();
    await desk.locator("#fix-reason").selectOption("duplicate");
    const note = "Mari Maasikas 49001010000";
    await desk.locator("#fix-note").fill(note);
    await desk.locator("#cancel").click();
    await expect.poll(() => desk.locator(`tr[data-ticket="${number}"]`).count(), { timeout: 30_000 }).toBe(0);
    await expect(desk.locator("#message").getAttribute("class")).resolves.toContain("message-ok");
    // The note went with that ticket: the field is empty for the next one.
    expect(await desk.locator("#fix-note").inputValue()).toBe("");
    await desk.screenshot({ path: join(SCREENSHOTS, "desk-cancel-reason.png"), fullPage: true });

    const base = office.bridge.topics.base;
    const event = () =>
      messages
        .filter((m) => m.topic === `${base}events/ticket_cancelled`)
        .map((m) => JSON.parse(m.payload.toString()) as { reason: string; ticket: { number: string } })
        .find((e) => e.ticket.number === number);
    await expect.poll(event).toBeDefined();
    expect(event()).toMatchObject({ reason: "duplicate" });
    expect(event()).not.toHaveProperty("note");
    // The request carries the note to the controller; nothing published carries it on.
    const published = messages
      .filter((m) => !/\/desk\/request\//.test(m.topic.slice(base.length - 1)))
      .map((m) => m.payload.toString())
      .join("\n");
    expect(published).not.toContain("Maasikas");
    expect(published).not.toContain("49001010000");
    const journal = readdirSync(office.dataDir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => readFileSync(join(entry.parentPath, entry.name), "utf8"))
      .join("\n");
    expect(journal).toContain(note);
  });
});
