// The customer's follow page in Debian's Chromium at phone size (375x667), on the follow listener
// of a demo office started in-process: waiting (place and wait range) -> called ("Counter 1" big,
// a beep each call and recall) -> finished, in Estonian, Russian and English after the phone's
// language, the language switch, a reissued ticket's old QR leading to the new ticket, and an
// unknown token said plainly. The page is reached only through the follow port.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newFollowToken } from "../../controller/follow/token.js";
import { memoryLogger } from "../../controller/health/log.js";
import { type DemoOffice, startDemoOffice } from "../../demo/demo-office.js";
import type { RequestTarget } from "../../protocols/mqtt/topics.js";
import { buildWeb } from "../../scripts/build-web.js";
import { CHROMIUM, e2eConfig, haveChromium, launchChromium, SCREENSHOTS } from "./support.js";

if (!haveChromium) console.warn(`e2e: skipped, ${CHROMIUM} is not installed (apt-get install chromium)`);

const PHONE = { width: 375, height: 667 };

const WORDS = {
  et: { ahead: "Teie ees: 1", next: "Te olete järgmine", goto: "Laud 1", finished: "Teenindus on lõppenud" },
  ru: { ahead: "Перед вами: 1", next: "Вы следующий", goto: "Окно 1", finished: "Обслуживание завершено" },
  en: {
    ahead: "Ahead of you: 1",
    next: "You are next",
    goto: "Counter 1",
    finished: "Your visit is finished",
  },
} as const;

describe.skipIf(!haveChromium)("the follow page in Chromium", { timeout: 300_000 }, () => {
  let temp: string;
  let office: DemoOffice;
  let browser: Browser;
  let service: string;
  const errors: string[] = [];
  /** The QR of every ticket kiosk-1's virtual printer printed, in order. */
  const printedQr: string[] = [];

  async function run(target: RequestTarget, args: Record<string, unknown> = {}) {
    const result = await office.service.run(target, args);
    if (!result.ok) throw new Error(`${target.verb}: ${JSON.stringify(result.error)}`);
    return result.result;
  }
  type CounterVerb = Extract<RequestTarget, { scope: "counter" }>["verb"];
  const counter = (verb: CounterVerb, args: Record<string, unknown> = {}) =>
    run({ scope: "counter", counter: "1", verb }, args);
  async function issue(serviceId = service): Promise<{ id: string; number: string; token: string }> {
    const { ticket } = (await run(
      { scope: "desk", verb: "issue" },
      { service: serviceId, printer: "kiosk-1" },
    )) as {
      ticket: { id: string; number: string };
    };
    return { ...ticket, token: office.queue.core.ticket(ticket.id)?.token as string };
  }
  /** The follow page of a token, or of the QR's URL as printed. */
  async function openPhone(
    token: string,
    locale: string,
    url = `${office.follow?.url}/t/${token}`,
  ): Promise<Page> {
    const context = await browser.newContext({ viewport: PHONE, locale, isMobile: true, hasTouch: true });
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`${url}?poll=300`);
    return page;
  }
  const statusText = (page: Page) => page.locator("#status");

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    temp = mkdtempSync(join(tmpdir(), "vooru-follow-e2e-"));
    const webRoot = await buildWeb(join(temp, "web"));
    const config = e2eConfig(join(temp, "data"));
    config.follow = { port: 0, host: "127.0.0.1", rateLimit: { perMinute: 6000, burst: 200 } };
    office = await startDemoOffice({ config, log: memoryLogger(), version: "e2e", webRoot });
    const first = config.counters.find((c) => c.id === "1")?.services[0];
    service = typeof first === "string" ? first : (first?.service as string);
    office.simulated.printers.get("kiosk-1")?.printer.onTicket((ticket) => printedQr.push(...ticket.qr));
    await counter("open");
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await office?.stop();
    if (temp) rmSync(temp, { recursive: true, force: true });
  });

  for (const language of ["et", "ru", "en"] as const) {
    it(`${language}: waiting -> called -> finished, at 375x667`, async () => {
      const words = WORDS[language];
      await issue();
      const mine = await issue();
      // The paper's QR is the follow page of this ticket's token: the phone opens what it reads.
      const qr = printedQr.at(-1) as string;
      expect(qr).toBe(`${office.follow?.url}/t/${mine.token}`);
      const page = await openPhone(mine.token, language === "en" ? "en-GB" : `${language}-EE`, qr);
      await expect.poll(() => page.locator("#number").textContent()).toBe(mine.number);
      await expect.poll(() => statusText(page).textContent()).toContain(words.ahead);
      expect(await statusText(page).textContent()).toMatch(/\d+–\d+/);
      expect(await page.locator("html").getAttribute("lang")).toBe(language);
      await page.screenshot({ path: join(SCREENSHOTS, `follow-waiting-${language}.png`), fullPage: true });
      // The one before is called and served: this ticket is next.
      await counter("call_next");
      await expect.poll(() => statusText(page).textContent()).toContain(words.next);
      await counter("finish").catch(() => counter("no_show"));
      await counter("call_next");
      await expect.poll(() => statusText(page).getAttribute("data-state")).toBe("called");
      expect(await page.locator(".goto").textContent()).toBe(words.goto);
      await expect.poll(() => page.locator("body").getAttribute("data-beeps")).toBe("1");
      // The big text fits the phone's width.
      const box = await page.locator(".goto").boundingBox();
      expect(box && box.x + box.width).toBeLessThanOrEqual(PHONE.width);
      await page.screenshot({ path: join(SCREENSHOTS, `follow-called-${language}.png`), fullPage: true });
      await counter("recall");
      await expect.poll(() => page.locator("body").getAttribute("data-beeps")).toBe("2");
      await counter("start");
      await expect.poll(() => statusText(page).getAttribute("data-state")).toBe("serving");
      await counter("finish");
      await expect.poll(() => statusText(page).textContent()).toContain(words.finished);
      await page.screenshot({ path: join(SCREENSHOTS, `follow-finished-${language}.png`), fullPage: true });
      await page.context().close();
    });
  }

  it("follows parking and a transfer", async () => {
    const other = office.config.services.find((s) => s.id !== service);
    const mine = await issue();
    const page = await openPhone(mine.token, "en-US");
    await counter("call", { ticket: mine.id });
    await expect.poll(() => statusText(page).getAttribute("data-state")).toBe("called");
    await counter("park");
    await expect.poll(() => statusText(page).textContent()).toContain("on hold");
    await counter("resume", { ticket: mine.id });
    await expect.poll(() => statusText(page).getAttribute("data-state")).not.toBe("parked");
    if (office.queue.core.ticket(mine.id)?.state !== "called") await counter("call", { ticket: mine.id });
    await counter("transfer", { service: other?.id });
    await expect.poll(() => page.locator(".service").textContent()).toBe(other?.names.en);
    await expect.poll(() => statusText(page).getAttribute("data-state")).toBe("waiting");
    await page.context().close();
  });

  it("switches language, follows a reissue through the old QR, and says an unknown token plainly", async () => {
    const old = await issue();
    const page = await openPhone(old.token, "en-US");
    await expect.poll(() => page.locator("#number").textContent()).toBe(old.number);
    await page.locator('button[data-lang="ru"]').click();
    expect(await page.locator("html").getAttribute("lang")).toBe("ru");
    await expect.poll(() => statusText(page).textContent()).toMatch(/Перед вами|Вы следующий/);
    const other = office.config.services.find((s) => s.id !== service)?.id as string;
    await run(
      { scope: "desk", verb: "reissue" },
      { ticket: old.id, service: other, reason: "wrong_service" },
    );
    const fresh = office.queue.core.ticket(office.queue.core.ticket(old.id)?.reissuedAs as string);
    await expect.poll(() => page.locator("#number").textContent()).toBe(fresh?.number);
    expect(await page.locator("main").textContent()).toContain(old.number);
    await page.screenshot({ path: join(SCREENSHOTS, "follow-reissued-ru.png"), fullPage: true });
    await page.context().close();
    const unknown = await openPhone(newFollowToken(), "et-EE");
    await expect.poll(() => statusText(unknown).getAttribute("data-state")).toBe("invalid");
    expect(await statusText(unknown).textContent()).toContain("ei kehti enam");
    // The staff pages are not behind the follow port.
    const staff = await unknown.goto(`${office.follow?.url}/desk.html`);
    expect(staff?.status()).toBe(404);
    await unknown.context().close();
    expect(errors).toEqual([]);
  });
});
