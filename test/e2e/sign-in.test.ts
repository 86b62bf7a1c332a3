// The pages' sign-in in Chromium, against an office that has users and lets nobody in without
// credentials (as an office with a config file does): the page asks who you are, a wrong password
// is refused with a translated message, the desk user gets the desk working, a counter user lands
// on its own counter and is told clearly at another's, and "sign out" brings the form back.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OfficeConfig } from "../../controller/config/schema.js";
import { CHROMIUM, e2eConfig, haveChromium, type PagesSession, startPagesSession } from "./support.js";

// Browser globals used by the functions that run inside the page (this file is typed for Node).
declare const document: {
  activeElement: { id: string } | null;
  documentElement: { scrollWidth: number };
};
declare const sessionStorage: {
  length: number;
  key(i: number): string | null;
  getItem(k: string): string | null;
};
declare const localStorage: typeof sessionStorage;

if (!haveChromium) console.warn(`e2e: skipped, ${CHROMIUM} is not installed (apt-get install chromium)`);

const DESK = { username: "desk-anna", password: "desk-secret-1" };
const COUNTER2 = { username: "counter2", password: "counter-secret-2" };

/** The demo office as a real one: users, and no anonymous clients even from this machine. */
function officeWithUsers(dataDir: string): OfficeConfig {
  const config = e2eConfig(dataDir);
  return {
    ...config,
    mqtt: {
      ...config.mqtt,
      embedded: { ...config.mqtt.embedded, allowAnonymousLoopback: false },
      users: [
        { ...DESK, role: "desk" },
        { ...COUNTER2, role: "counter", counter: "2" },
      ],
    },
  };
}

describe.skipIf(!haveChromium)("signing in to the pages", { timeout: 180_000 }, () => {
  let session: PagesSession;
  let base: string;

  beforeAll(async () => {
    session = await startPagesSession("e2e-sign-in", officeWithUsers);
    base = session.base;
  }, 120_000);

  afterAll(async () => {
    await session?.close();
  });

  const open = (path: string, width?: number) => session.open(path, width);
  const shot = (page: Page, name: string) => session.shot(page, name);

  /** The form is up in place of the page. */
  async function expectSignInForm(page: Page): Promise<void> {
    await page.locator("#sign-in").waitFor({ state: "visible" });
    await page.locator("#main").waitFor({ state: "hidden" });
  }

  async function signIn(page: Page, who: { username: string; password: string }): Promise<void> {
    await expectSignInForm(page);
    await page.locator("#sign-in-username").fill(who.username);
    await page.locator("#sign-in-password").fill(who.password);
    await page.locator("#sign-in-password").press("Enter");
  }

  /** Everything the tab keeps, to check where the password is and is not. */
  const storage = (page: Page) =>
    page.evaluate(() => {
      const dump = (s: typeof sessionStorage) =>
        Array.from({ length: s.length }, (_, i) => s.key(i) ?? "")
          .map((k) => `${k}=${s.getItem(k)}`)
          .join("\n");
      return { session: dump(sessionStorage), local: dump(localStorage) };
    });

  it("asks for a sign-in, refuses a wrong password, and lets the desk issue a ticket", async () => {
    const desk = await open("/desk.html");
    await expectSignInForm(desk);
    await expect.poll(() => desk.locator(".conn").textContent()).toBe("Sign-in needed");
    // Labelled fields, the password hidden, and the autocomplete hints password managers use.
    await expect(desk.locator("label[for=sign-in-username]").textContent()).resolves.toBe("Username");
    await expect(desk.locator("label[for=sign-in-password]").textContent()).resolves.toBe("Password");
    await expect(desk.locator("#sign-in-password").getAttribute("type")).resolves.toBe("password");
    await expect(desk.locator("#sign-in-password").getAttribute("autocomplete")).resolves.toBe(
      "current-password",
    );
    await expect(desk.locator("#sign-in-username").getAttribute("autocomplete")).resolves.toBe("username");
    // The form has the focus, so the keyboard alone signs in.
    await expect.poll(() => desk.evaluate(() => document.activeElement?.id)).toBe("sign-in-username");
    await shot(desk, "sign-in");

    await signIn(desk, { username: DESK.username, password: "not-the-password" });
    await expect
      .poll(() => desk.locator("#sign-in-error").textContent(), { timeout: 30_000 })
      .toBe("Wrong username or password. Try again.");
    await expect(desk.locator("#sign-in-username").inputValue()).resolves.toBe(DESK.username);
    await expect(desk.locator("#sign-in-password").inputValue()).resolves.toBe("");
    await expect(desk.locator("#sign-in-password").getAttribute("aria-invalid")).resolves.toBe("true");
    await expect.poll(() => desk.evaluate(() => document.activeElement?.id)).toBe("sign-in-password");
    expect((await storage(desk)).session).not.toContain("not-the-password");
    await shot(desk, "sign-in-refused");

    await desk.locator("#sign-in-password").fill(DESK.password);
    await desk.locator("#sign-in-submit").click();
    await desk.locator(".conn-ok").waitFor({ timeout: 30_000 });
    await desk.locator("#sign-in").waitFor({ state: "hidden" });
    await expect(desk.locator("#signed-in-as").textContent()).resolves.toBe(`Signed in as ${DESK.username}`);
    // Kept for the tab only: sessionStorage, never localStorage, never the URL.
    const kept = await storage(desk);
    expect(kept.session).toContain(DESK.password);
    expect(kept.local).not.toContain(DESK.password);
    expect(desk.url()).not.toContain(DESK.password);
    expect(desk.url()).not.toContain("password");

    await desk.locator("#issue-service option").first().waitFor({ state: "attached" });
    await desk.locator("#issue-service").selectOption("documents");
    await desk.locator("#issue-printer").selectOption("desk-printer");
    await desk.locator("#issue").click();
    await desk.locator('[data-service="documents"] tbody tr').first().waitFor({ timeout: 30_000 });
    await expect(desk.locator("#message").getAttribute("class")).resolves.toContain("message-ok");

    // The tab's other pages use the same sign-in.
    await desk.goto(`${base}/kiosk.html`);
    await desk.locator(".conn-ok").waitFor({ timeout: 30_000 });
    expect(await desk.locator("#sign-in").isVisible()).toBe(false);
    await expect(desk.locator("#signed-in-as").textContent()).resolves.toContain(DESK.username);

    // Sign out: forgotten, and the form is back.
    await desk.locator("#sign-out").click();
    await expectSignInForm(desk);
    await expect.poll(() => desk.locator(".conn").textContent()).toBe("Sign-in needed");
    expect(await desk.locator("#sign-in-error").textContent()).toBe("");
    expect((await storage(desk)).session).not.toContain(DESK.password);
    await expect(desk.locator("#sign-out").count()).resolves.toBe(0);
    await desk.reload();
    await expectSignInForm(desk);
  });

  it("a counter user lands on its own counter and calls; at another counter it is told it may not", async () => {
    // A ticket for counter 2 (pensions, benefits), issued by the desk.
    const desk = await open("/desk.html");
    await signIn(desk, DESK);
    await desk.locator(".conn-ok").waitFor({ timeout: 30_000 });
    await desk.locator("#issue-service option").first().waitFor({ state: "attached" });
    await desk.locator("#issue-service").selectOption("benefits");
    await desk.locator("#issue-printer").selectOption("");
    await desk.locator("#issue").click();
    await desk.locator('[data-service="benefits"] tbody tr').first().waitFor({ timeout: 30_000 });

    const counter = await open("/counter.html");
    await signIn(counter, COUNTER2);
    await counter.waitForURL(/\/counter\.html\?counter=2$/, { timeout: 30_000 });
    await counter.locator(".conn-ok").waitFor({ timeout: 30_000 });
    await expect.poll(() => counter.locator("#page-title").textContent()).toBe("Counter 2");
    await counter.locator("#open").click();
    await counter.locator("#counter-status.st-open").waitFor({ timeout: 30_000 });
    await counter.locator("#waiting-h + table tbody tr").first().waitFor({ timeout: 30_000 });
    await counter.locator("#call-next").click();
    await expect
      .poll(() => counter.locator("#current-ticket").textContent(), { timeout: 30_000 })
      .toMatch(/^[A-Z]\d{3}/);
    expect(await counter.locator("#not-allowed").count()).toBe(0);
    await expect(counter.locator("#message").getAttribute("class")).resolves.toContain("message-ok");

    // Another counter's page: refused by the broker, and the page says so and where to go.
    await counter.goto(`${base}/counter.html?counter=1`);
    await counter.locator("#not-allowed").waitFor({ timeout: 30_000 });
    await expect(counter.locator("#not-allowed").textContent()).resolves.toContain(
      "counter2 may not act for counter 1",
    );
    await expect(counter.locator("#own-counter").getAttribute("href")).resolves.toBe(
      "/counter.html?counter=2",
    );
    await counter.locator("#call-next").click();
    await expect
      .poll(() => counter.locator("#message").textContent(), { timeout: 30_000 })
      .toContain("UNAUTHORIZED");
    await expect(counter.locator("#message").getAttribute("class")).resolves.toContain("message-error");
    await shot(counter, "counter-not-allowed");

    // Back to its own counter, finish the call, and sign out.
    await counter.locator("#own-counter").click();
    await counter.waitForURL(/counter=2$/);
    await counter.locator("#start").click();
    await counter.locator("#finish").click();
    await expect
      .poll(() => counter.locator("#current-ticket").textContent(), { timeout: 30_000 })
      .toContain("No ticket");
    await counter.locator("#sign-out").click();
    await expectSignInForm(counter);
    await expect(counter.locator("#sign-in-username").inputValue()).resolves.toBe("");
  });

  it("the sign-in form fits a 375 px phone and speaks Estonian and Russian", async () => {
    const phone = await open("/counter.html", 375);
    await expectSignInForm(phone);
    await expect
      .poll(() => phone.evaluate(() => document.documentElement.scrollWidth), { timeout: 10_000 })
      .toBeLessThanOrEqual(375);
    await shot(phone, "phone-sign-in");
    await phone.locator("#lang").selectOption("et");
    await expect.poll(() => phone.locator("#sign-in-h").textContent()).toBe("Logi sisse");
    await expect(phone.locator("label[for=sign-in-password]").textContent()).resolves.toBe("Parool");
    await signIn(phone, { username: "nobody", password: "wrong-password" });
    await expect
      .poll(() => phone.locator("#sign-in-error").textContent(), { timeout: 30_000 })
      .toBe("Vale kasutajanimi või parool. Proovi uuesti.");
    await phone.locator("#lang").selectOption("ru");
    await expect
      .poll(() => phone.locator("#sign-in-error").textContent())
      .toBe("Неверное имя пользователя или пароль. Попробуйте ещё раз.");
    await expect
      .poll(() => phone.evaluate(() => document.documentElement.scrollWidth), { timeout: 10_000 })
      .toBeLessThanOrEqual(375);
    await shot(phone, "phone-sign-in-refused-ru");
  });
});
