// The desk's audit trail in Debian's Chromium: a ticket cancelled on the desk page appears under
// "Who did what" with the user the broker vouched for (the demo's anonymous client), the time and
// the reason in the page's language; the note does not.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, e2eConfig, haveChromium, type PagesSession, startPagesSession } from "./support.js";

if (!haveChromium) console.warn(`e2e: skipped, ${CHROMIUM} is not installed (apt-get install chromium)`);

describe.skipIf(!haveChromium)("the desk's audit trail in Chromium", { timeout: 180_000 }, () => {
  let session: PagesSession;

  beforeAll(async () => {
    session = await startPagesSession("e2e-audit", e2eConfig);
  }, 120_000);

  afterAll(async () => {
    await session?.close();
  });

  it("lists the cancel made on the page, by whom and why", async () => {
    const { office } = session;
    const issued = await office.service.run({ scope: "desk", verb: "issue" }, { service: "documents" });
    if (!issued.ok) throw new Error(JSON.stringify(issued.error));
    const number = (issued.result.ticket as { number: string }).number;

    const desk = await session.open("/desk.html", 1200);
    const errors: string[] = [];
    desk.on("pageerror", (error) => errors.push(error.message));
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
    await session.shot(desk, "desk-audit");
    expect(errors).toEqual([]);
  });
});
