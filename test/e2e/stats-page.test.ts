// The manager's statistics page in Debian's Chromium, against an office started in-process on a
// clock of the test's own (a Tuesday morning in 2036: the controller's business day, not the
// browser's calendar, is "today"), with users and no anonymous access. Signed in as the desk:
// today's figures shown and followed live, the charts drawn, a table's CSV downloaded and read
// back, a range asked for, a range with no tickets and a backwards range said plainly. Signed in
// as a counter: told plainly that the figures are not for it.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryLogger } from "../../controller/health/log.js";
import { type RunningOffice, startOffice } from "../../controller/office.js";
import type { RequestTarget } from "../../protocols/mqtt/topics.js";
import { parseCsv } from "../../protocols/stats/csv.js";
import { buildWeb } from "../../scripts/build-web.js";
import { MINUTE, officeConfig } from "../support/office.js";
import { CHROMIUM, haveChromium, launchChromium, SCREENSHOTS } from "./support.js";

if (!haveChromium) console.warn(`e2e: skipped, ${CHROMIUM} is not installed (apt-get install chromium)`);

const DESK = { username: "desk-mari", password: "desk-secret-1" };
const COUNTER = { username: "counter1", password: "counter-secret-1" };
/** Tuesday 2036-03-11 09:00 in Tallinn (UTC+2). */
const T0 = Date.UTC(2036, 2, 11, 7, 0);
const DAY = "2036-03-11";
const CHARTS = ["chart-wait", "chart-arrivals", "chart-service-level", "chart-wait-buckets"];

describe.skipIf(!haveChromium)("the statistics page in Chromium", { timeout: 300_000 }, () => {
  let temp: string;
  let now = T0;
  let office: RunningOffice;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];

  /** A request straight to the office's queue service, which must succeed. */
  async function run(target: RequestTarget, args: Record<string, unknown> = {}): Promise<void> {
    const result = await office.service.run(target, args);
    if (!result.ok) throw new Error(`${target.verb}: ${JSON.stringify(result.error)}`);
  }
  const counter = (verb: "open" | "call_next" | "start" | "finish" | "no_show") =>
    run({ scope: "counter", counter: "1", verb });
  const issue = (service: string) => run({ scope: "desk", verb: "issue" }, { service });

  async function openSignedIn(who: { username: string; password: string }): Promise<Page> {
    const opened = await context.newPage();
    opened.on("pageerror", (error) => errors.push(error.message));
    opened.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    await opened.goto(`${office.httpUrl}/stats.html`);
    await opened.locator("#sign-in").waitFor({ state: "visible" });
    await opened.locator("#sign-in-username").fill(who.username);
    await opened.locator("#sign-in-password").fill(who.password);
    await opened.locator("#sign-in-password").press("Enter");
    await opened.locator(".conn-ok").waitFor();
    return opened;
  }

  const text = (p: Page, selector: string) => p.locator(selector).first().textContent();
  const figure = (id: string) => text(page, `#${id} strong`);

  /** The canvas's painted pixels, counted in the page (a string: the tests compile without DOM types). */
  const painted = (id: string) =>
    page.evaluate<number>(`(() => {
      const canvas = document.getElementById(${JSON.stringify(id)});
      if (!canvas || canvas.width === 0 || canvas.height === 0) return 0;
      const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
      let count = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) count++;
      return count;
    })()`);

  beforeAll(async () => {
    temp = mkdtempSync(join(tmpdir(), "vooru-e2e-stats-"));
    const webRoot = await buildWeb(join(temp, "web"));
    const config = officeConfig({
      journal: { dataDir: join(temp, "data") },
      mqtt: {
        embedded: { host: "127.0.0.1", port: 0, httpPort: 0, allowAnonymousLoopback: false },
        users: [
          { ...DESK, role: "desk" },
          { ...COUNTER, role: "counter", counter: "1" },
        ],
      },
      stats: { publishSeconds: 1 },
    });
    office = await startOffice({ config, log: memoryLogger(), version: "e2e", webRoot, clock: () => now });

    // The morning so far: three tickets at 09:00, one served after a 4-minute wait, one called
    // after 12 minutes who did not come, one still waiting.
    await counter("open");
    await issue("pensions");
    await issue("pensions");
    await issue("benefits");
    now += 4 * MINUTE;
    await counter("call_next");
    await counter("start");
    now += 6 * MINUTE;
    await counter("finish");
    now += 2 * MINUTE;
    await counter("call_next");
    await counter("no_show");

    browser = await launchChromium();
    context = await browser.newContext({
      viewport: { width: 1280, height: 1000 },
      locale: "en-US",
      acceptDownloads: true,
    });
    context.setDefaultTimeout(30_000);
    await context.addInitScript({ content: "localStorage.setItem('vooru.lang', 'en');" });
    page = await openSignedIn(DESK);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await office?.stop();
    if (temp) rmSync(temp, { recursive: true, force: true });
  });

  it("shows today's figures, draws the charts and follows stats/today live", async () => {
    await expect.poll(() => figure("fig-issued"), { timeout: 30_000 }).toBe("3");
    await expect(figure("fig-served")).resolves.toBe("1");
    await expect(figure("fig-no-shows")).resolves.toBe("1 (33.3 %)");
    await expect(figure("fig-wait-max")).resolves.toBe("12.0 min");
    await expect(figure("fig-wait-mean")).resolves.toBe("8.0 min");
    await expect(text(page, "#stats-range")).resolves.toContain(`${DAY} – ${DAY}`);
    await expect(page.locator("#stats-today").getAttribute("aria-pressed")).resolves.toBe("true");
    // The range offered is the office's last seven days, not the browser's.
    await expect(page.locator("#stats-to").inputValue()).resolves.toBe(DAY);
    await expect(page.locator("#stats-from").inputValue()).resolves.toBe("2036-03-05");
    for (const id of CHARTS) await expect.poll(() => painted(id), { message: id }).toBeGreaterThan(500);
    for (const table of ["by-service", "by-counter", "counter-time", "by-hour"])
      await page.locator(`#${table} tbody tr`).first().waitFor();
    await expect(page.locator('#by-service tbody th:text-is("Pensions (A)")').count()).resolves.toBe(1);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, "stats-today.png"), fullPage: true });

    // A fourth customer: stats/today is republished and the page follows it without a reload.
    now += 3 * MINUTE;
    await issue("benefits");
    await expect.poll(() => figure("fig-issued"), { timeout: 30_000 }).toBe("4");
    for (const id of CHARTS) expect(await painted(id), id).toBeGreaterThan(500);
    expect(errors).toEqual([]);
  });

  it("downloads a table as CSV that parses back to the figures shown", async () => {
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#by-service-csv")]);
    expect(download.suggestedFilename()).toBe(`vooru-test-by-service-${DAY}-${DAY}.csv`);
    const [header, ...rows] = parseCsv(readFileSync(await download.path(), "utf8"));
    expect(header?.[0]).toBe("service");
    const issued = header?.indexOf("issued") ?? -1;
    const served = header?.indexOf("served") ?? -1;
    expect(issued).toBeGreaterThan(0);
    const byService = Object.fromEntries(rows.map((row) => [row[0], Number(row[issued])]));
    expect(byService).toEqual({ benefits: 2, pensions: 2 });
    expect(rows.reduce((sum, row) => sum + Number(row[issued]), 0)).toBe(Number(await figure("fig-issued")));
    expect(rows.reduce((sum, row) => sum + Number(row[served]), 0)).toBe(1);

    const [counters] = await Promise.all([page.waitForEvent("download"), page.click("#counter-time-csv")]);
    expect(counters.suggestedFilename()).toBe(`vooru-test-counter-time-${DAY}-${DAY}.csv`);
    const table = parseCsv(readFileSync(await counters.path(), "utf8"));
    expect(table[0]).toEqual(["counter", "open_min", "paused_min", "serving_min", "idle_min", "served"]);
    expect(table.find((row) => row[0] === "1")?.[5]).toBe("1");
  });

  it("shows a chosen range, says so when it has no tickets, and refuses a backwards one", async () => {
    await page.fill("#stats-from", DAY);
    await page.fill("#stats-to", DAY);
    await page.click("#stats-show");
    await page.locator("#by-day tbody tr").first().waitFor();
    await expect(page.locator("#stats-today").getAttribute("aria-pressed")).resolves.toBe("false");
    await expect(figure("fig-issued")).resolves.toBe("4");
    await expect(text(page, "#by-day tbody th")).resolves.toBe(DAY);

    await page.fill("#stats-from", "2020-01-01");
    await page.fill("#stats-to", "2020-01-31");
    await page.click("#stats-show");
    await expect
      .poll(() => text(page, "#stats-state.no-data"), { timeout: 30_000 })
      .toBe("No tickets in this range.");
    await expect(page.locator("canvas").count()).resolves.toBe(0);

    await page.fill("#stats-from", "2020-02-01");
    await page.click("#stats-show");
    await expect
      .poll(() => text(page, "#stats-state.message-error"), { timeout: 30_000 })
      .toContain("VALIDATION_FAILED");

    // Back to today, in Estonian.
    await page.click("#stats-today");
    await expect.poll(() => figure("fig-issued"), { timeout: 30_000 }).toBe("4");
    await page.locator("#lang").selectOption("et");
    await expect(text(page, "#stats-today")).resolves.toBe("Täna (jooksvalt)");
    await expect(text(page, "#fig-issued .note")).resolves.toBe("Väljastatud");
    await expect(figure("fig-wait-max")).resolves.toBe("12,0 min");
    await page.locator("#lang").selectOption("en");
    expect(errors).toEqual([]);
  });

  it("tells a counter user plainly that the figures are not for it", async () => {
    const other = await openSignedIn(COUNTER);
    await expect
      .poll(() => text(other, "#stats-state.message-error"), { timeout: 30_000 })
      .toBe(
        `Statistics are for the desk and admin users only: ${COUNTER.username} may not see them (UNAUTHORIZED).`,
      );
    await expect(other.locator("#headline").count()).resolves.toBe(0);
    await other.fill("#stats-from", DAY);
    await other.fill("#stats-to", DAY);
    await other.click("#stats-show");
    await expect
      .poll(() => text(other, "#stats-state.message-error"), { timeout: 30_000 })
      .toContain("UNAUTHORIZED");
    await other.close();
    expect(errors).toEqual([]);
  });
});
