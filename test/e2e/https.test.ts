// The pages over HTTPS in Chromium (mqtt.embedded.tls, with a throwaway certificate from the
// openssl CLI that the browser context is told to accept): a page loaded over https:// connects
// to MQTT over wss:// on the same server, under the CSP, shows the live state, and a desk request
// goes through.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OfficeConfig } from "../../controller/config/schema.js";
import { makeCa, makeServerCert, opensslAvailable } from "../support/test-ca.js";
import { CHROMIUM, e2eConfig, haveChromium, type PagesSession, startPagesSession } from "./support.js";

declare const location: { protocol: string };

if (!haveChromium) console.warn(`e2e: skipped, ${CHROMIUM} is not installed (apt-get install chromium)`);
const skip = !haveChromium || !opensslAvailable();

describe.skipIf(skip)("the pages over HTTPS in Chromium", { timeout: 180_000 }, () => {
  let session: PagesSession;
  let certs = "";

  beforeAll(async () => {
    certs = mkdtempSync(join(tmpdir(), "vooru-e2e-tls-"));
    makeCa(certs, "ca");
    makeServerCert(certs, "ca");
    const withTls = (dataDir: string): OfficeConfig => {
      const config = e2eConfig(dataDir);
      const tls = { cert: join(certs, "server.pem"), key: join(certs, "server.key") };
      return { ...config, mqtt: { ...config.mqtt, embedded: { ...config.mqtt.embedded, tls } } };
    };
    session = await startPagesSession("e2e-https", withTls, { ignoreHTTPSErrors: true });
  }, 120_000);

  afterAll(async () => {
    await session?.close();
    if (certs) rmSync(certs, { recursive: true, force: true });
  });

  it("the desk page over https:// connects over wss://, shows the live state and issues a ticket", async () => {
    expect(session.base).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const desk = await session.open("/desk.html");
    const problems: string[] = [];
    desk.on("console", (m) => {
      if (m.type() === "error") problems.push(m.text());
    });
    // Which WebSocket the page opens: watched from a reload on.
    const sockets: string[] = [];
    desk.on("websocket", (ws) => sockets.push(ws.url()));
    await desk.reload();
    await desk.locator(".conn-ok").waitFor({ timeout: 30_000 });
    expect(await desk.evaluate(() => location.protocol)).toBe("https:");
    // (The first load's socket may be seen too, if it opened late: every one is wss://.)
    expect(sockets.length).toBeGreaterThan(0);
    expect(new Set(sockets)).toEqual(new Set([`${session.base.replace(/^https/, "wss")}/mqtt`]));

    // The retained state arrived (services and printers to choose), and a request goes through.
    await desk.locator("#issue-service option").first().waitFor({ state: "attached" });
    await desk.locator("#issue-service").selectOption("documents");
    await desk.locator("#issue-printer").selectOption("desk-printer");
    await desk.locator("#issue").click();
    await desk.locator('[data-service="documents"] tbody tr').first().waitFor({ timeout: 30_000 });
    await expect(desk.locator("#message").getAttribute("class")).resolves.toContain("message-ok");
    await session.shot(desk, "desk-https");
    expect(problems).toEqual([]);
  });
});
