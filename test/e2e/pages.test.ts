// The web pages end to end in a real Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core; never a downloaded browser), against the demo office started in-process with
// the pages freshly built. The pages speak only the MQTT contract over WebSocket, so everything
// here goes page -> broker -> controller -> simulated devices and back.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, e2eConfig, haveChromium, type PagesSession, startPagesSession } from "./support.js";

// Browser globals used by the functions that run inside the page (this file is typed for Node).
declare const document: {
  activeElement: { id: string } | null;
  documentElement: { scrollWidth: number };
};
declare function getComputedStyle(element: unknown): { outlineStyle: string };
type InPage = { dataset: Record<string, string | undefined>; naturalWidth: number };

if (!haveChromium) console.warn(`e2e: skipped, ${CHROMIUM} is not installed (apt-get install chromium)`);

// Generous limits: a slow 2-core machine shared with other work starts Chromium slowly.
describe.skipIf(!haveChromium)("web pages in Chromium", { timeout: 180_000 }, () => {
  let session: PagesSession;

  beforeAll(async () => {
    session = await startPagesSession("e2e", e2eConfig);
  }, 120_000);

  afterAll(async () => {
    await session?.close();
  });

  const open = (path: string, width?: number) => session.open(path, width);
  const shot = (page: Page, name: string) => session.shot(page, name);

  /** The ticket numbers listed for a service on the desk page, in their order. */
  const deskRows = (desk: Page, service: string) =>
    desk
      .locator(`[data-service="${service}"] tbody tr`)
      .evaluateAll((rows) => rows.map((r) => (r as unknown as InPage).dataset.ticket ?? ""));

  it("a customer presses a topic button, the ticket is drawn, a counter calls it, the board shows it", async () => {
    const kiosk = await open("/kiosk.html");
    await kiosk.locator('button.topic[data-service="pensions"]').click();
    const drawn = kiosk.locator(".tickets li.ticket").first();
    await expect.poll(() => drawn.getAttribute("data-number"), { timeout: 30_000 }).toMatch(/^A\d{3}$/);
    const number = (await drawn.getAttribute("data-number")) as string;
    await expect
      .poll(() => drawn.locator("img").evaluate((img) => (img as unknown as InPage).naturalWidth))
      .toBeGreaterThan(0);
    await shot(kiosk, "kiosk");

    const counter = await open("/counter.html?counter=1");
    await counter.locator("#open").click();
    await counter.locator("#counter-status.st-open").waitFor();
    await counter.locator(`tr[data-ticket="${number}"]`).waitFor();
    await counter.locator("#call-next").click();
    await expect.poll(() => counter.locator("#current-ticket").textContent()).toContain(number);
    await shot(counter, "counter");

    const board = await open("/board.html");
    await expect
      .poll(() => board.locator('[data-board="hall-main"] .newest').textContent())
      .toBe(`${number} → 1`);
    await expect.poll(() => board.locator('[data-counter="1"] .counter-text').textContent()).toBe(number);
    await shot(board, "board");
    // The call is finished, so the next tests start from an idle counter 1.
    await counter.locator("#start").click();
    await counter.locator("#finish").click();
    await expect.poll(() => counter.locator("#current-ticket").textContent()).not.toContain(number);
  });

  it("the desk cancels a wrong ticket and reissues it, and it keeps its place", async () => {
    const desk = await open("/desk.html");
    await desk.locator("#issue-service option").first().waitFor({ state: "attached" });
    const issue = async (service: string): Promise<string> => {
      const before = await deskRows(desk, service);
      await desk.locator("#issue-service").selectOption(service);
      await desk.locator("#issue-printer").selectOption("desk-printer");
      await desk.locator("#issue").click();
      await expect
        .poll(async () => (await deskRows(desk, service)).length, { timeout: 30_000 })
        .toBe(before.length + 1);
      return (await deskRows(desk, service)).find((n) => !before.includes(n)) as string;
    };
    const wrong = await issue("documents"); // the customer wanted benefits
    const later = await issue("benefits");
    await desk.locator(`#select-${wrong}`).click();
    await expect(await desk.locator("#fix-reason").evaluate((e) => e === document.activeElement)).toBe(true);
    await desk.locator("#fix-reason").selectOption("wrong_service");
    await desk.locator("#fix-service").selectOption("benefits");
    await desk.locator("#fix-printer").selectOption("desk-printer");
    await desk.locator("#reissue").click();
    await expect.poll(() => deskRows(desk, "documents"), { timeout: 30_000 }).not.toContain(wrong);
    await expect.poll(async () => (await deskRows(desk, "benefits")).length).toBe(2);
    const [first, second] = await deskRows(desk, "benefits");
    expect(second).toBe(later);
    expect(first).toMatch(/^B\d{3}$/);
    await expect(desk.locator(`tr[data-ticket="${first}"] th`).textContent()).resolves.toContain(wrong);
    await expect(desk.locator("#message").getAttribute("class")).resolves.toContain("message-ok");
    await shot(desk, "desk");
  });

  it("paper out on the kiosk shows the fault there and an alert at the desk", async () => {
    const kiosk = await open("/kiosk.html");
    const desk = await open("/desk.html");
    await kiosk.locator("#sim-paper-out").click();
    await kiosk.locator("#printer-fault.fault-banner").waitFor();
    await expect.poll(() => kiosk.locator("#printer-fault").textContent()).toContain("paper out");
    await desk.locator('.alert[data-code="PAPER_OUT"]').waitFor();
    await expect.poll(() => desk.locator('tr[data-device="kiosk-1"] .ds').textContent()).not.toBe("ok");
    await shot(kiosk, "kiosk-paper-out");
    await shot(desk, "desk-alert");
    await kiosk.locator('#sim-paper-out[aria-pressed="true"]').click();
    await kiosk.locator("#printer-fault.ok-banner").waitFor();
    await desk.locator('.alert[data-code="PAPER_OUT"]').waitFor({ state: "detached" });
  });

  it("switches the language to Estonian and Russian and remembers it", async () => {
    const counter = await open("/counter.html?counter=2");
    await expect.poll(() => counter.locator("#call-next").textContent()).toContain("Call next");
    await counter.locator("#lang").selectOption("et");
    await expect.poll(() => counter.locator("#call-next").textContent()).toContain("Kutsu järgmine");
    await counter.locator("#lang").selectOption("ru");
    await expect.poll(() => counter.locator("#call-next").textContent()).toContain("Вызвать следующего");
    await counter.reload();
    await expect.poll(() => counter.locator("#call-next").textContent()).toContain("Вызвать следующего");
    expect(await counter.locator("html").getAttribute("lang")).toBe("ru");
    await shot(counter, "counter-ru");
  });

  it("the counter page works with the keyboard alone", async () => {
    const desk = await open("/desk.html");
    await desk.locator("#issue-service option").first().waitFor({ state: "attached" });
    await desk.locator("#issue-service").selectOption("information");
    await desk.locator("#issue-printer").selectOption("");
    await desk.locator("#issue").click();
    await desk.locator('[data-service="information"] tbody tr').first().waitFor();
    const number = (await deskRows(desk, "information"))[0] as string;

    const counter = await open("/counter.html?counter=4");
    await counter.locator("#open").waitFor();
    // Tab to the Open button: real buttons in a sensible order, each with a visible focus ring.
    let focused = "";
    for (let i = 0; i < 30 && focused !== "open"; i++) {
      await counter.keyboard.press("Tab");
      focused = await counter.evaluate(() => document.activeElement?.id ?? "");
    }
    expect(focused).toBe("open");
    const outline = await counter.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    expect(outline).not.toBe("none");
    await counter.keyboard.press("Enter");
    await counter.locator("#counter-status.st-open").waitFor();
    await counter.locator(`tr[data-ticket="${number}"]`).waitFor();
    await counter.keyboard.press("n");
    await expect.poll(() => counter.locator("#current-ticket").textContent()).toContain(number);
    await counter.keyboard.press("r");
    await expect.poll(() => counter.locator("#current-ticket").textContent()).toMatch(/recalls: 1/);
    await counter.keyboard.press("s");
    await expect.poll(() => counter.locator("#current-ticket").textContent()).toContain("serving");
    await counter.keyboard.press("f");
    await expect.poll(() => counter.locator("#current-ticket").textContent()).toContain("No ticket");
  });

  it("every page fits a 375 px wide phone", async () => {
    for (const [name, path] of [
      ["index", "/"],
      ["counter-chooser", "/counter.html"],
      ["counter", "/counter.html?counter=1"],
      ["desk", "/desk.html"],
      ["kiosk", "/kiosk.html"],
      ["board", "/board.html"],
    ] as const) {
      const page = await open(path, 375);
      await page.locator("main > *").first().waitFor();
      // Let the retained state render before measuring.
      if (name !== "index") await page.locator(".conn-ok").waitFor();
      // The demo lets this machine in without credentials: no sign-in form, no "sign out".
      expect(await page.locator("#sign-in").isVisible()).toBe(false);
      expect(await page.locator("#sign-out").count()).toBe(0);
      await expect
        .poll(() => page.evaluate(() => document.documentElement.scrollWidth), { timeout: 10_000 })
        .toBeLessThanOrEqual(375);
      await shot(page, `phone-${name}`);
    }
  });
});
