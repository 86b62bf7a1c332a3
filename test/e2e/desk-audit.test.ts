// The desk's audit trail in Debian's Chromium: a ticket cancelled on the desk page appears under
// "Who did what" with the user the broker vouched for (the
// demo's anonymous client), the time and the reason in the page's language; the note does not.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryLogger } from "../../controller/health/log.js";
import { type DemoOffice, startDemoOffice } from "../../demo/demo-office.js";
import { buildWeb } from "../../scripts/build-web.js";
import { CHROMIUM, e2eConfig, haveChromium, launchChromium, SCREENSHOTS } from "./support.js";

if (!haveChromium) console.warn(`e2e: skipped, ${CHROMIUM} is not installed (apt-get install chromium)`);

describe.skipIf(!haveChromium)("the desk's audit trail in Chromium", { timeout: 180_000 }, () => {
  let temp: string;
  let office: DemoOffice;
  let browser: Browser;

  beforeAll(async () => {
    temp = mkdtempSync(join(tmpdir(), "vooru-e2e-audit-"));
    const webRoot = await buildWeb(join(temp, "web"));
    office = await startDemoOffice({
      config: e2eConfig(join(temp, "data")),
      log: memoryLogger(),
      version: "e2e",
      webRoot,
    });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await office?.stop();
    if (temp) rmSync(temp, { recursive: true, force: true });
  });

  it("lists the cancel made on the page, by whom and why", async () => {
    const run = office.service.run.bind(office.service);
    const issued = await run({ scope: "desk", verb: "issue" }, { service: "documents" });
    if (!issued.ok) throw new Error(JSON.stringify(issued.error));
    const number = (issued.result.ticket as { number: string }).number;

    const context = await browser.newContext({ viewport: { width: 1200, height: 1400 }, locale: "en-US" });
    context.setDefaultTimeout(30_000);
    await context.addInitScript({ content: `localStorage.setItem("vooru.lang", "en");` });
    const desk = await context.newPage();
    const errors: string[] = [];
    desk.on("pageerror", (error) => errors.push(error.message));
    await desk.goto(`${office.httpUrl}/desk.html`);
    await desk.locator("#fix-reason option").first().waitFor({ state: "attached" });
    await desk.locator(`#select-${number}`).click();
    await desk.locator("#fix-reason").selectOption("duplicate");
    await desk.locator("#fix-note").fill("a note for the journal only");
    await desk.locator("#cancel").click();
    await expect.poll(() => desk.locator(`tr[data-ticket="${number}"]`).count()).toBe(0);

    await desk.locator("#audit-show").click();
    const row = desk.locator("#audit tbody tr").filter({ hasText: number });
    await row.waitFor();
    // The business day (the office's daily reset, not the browser's date) is filled in.
    expect(await desk.locator("#audit-day").inputValue()).toBe(
      [...office.queue.core.view.tickets.keys()][0]?.slice(0, 10),
    );
    const cells = await row.locator("td").allTextContents();
    expect(cells.slice(1)).toEqual(["cancelled", number, "anonymous", "", expect.any(String)]);
    expect(cells[5]).not.toBe("");
    expect(await desk.locator("#audit").textContent()).not.toContain("a note for the journal only");
    await desk.screenshot({ path: join(SCREENSHOTS, "desk-audit.png"), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });
});
