// Shared by the e2e files: Debian's Chromium (never a downloaded browser) with the same flags
// everywhere, the screenshot folder, and the demo office's config made fit for a test (free ports,
// a temp journal, a simulated panel on kiosk-1).
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Page,
} from "playwright-core";
import type { OfficeConfig } from "../../controller/config/schema.js";
import { memoryLogger } from "../../controller/health/log.js";
import { panelSchema } from "../../controller/panels/panel-schema.js";
import { demoOfficeConfig } from "../../demo/demo-config.js";
import { type DemoOffice, startDemoOffice } from "../../demo/demo-office.js";
import { buildWeb } from "../../scripts/build-web.js";

export const CHROMIUM = "/usr/bin/chromium";
export const SCREENSHOTS = join(import.meta.dirname, "..", "..", "test-artifacts", "screenshots");
export const haveChromium = existsSync(CHROMIUM);

/** Generous: a slow 2-core machine shared with other work starts Chromium slowly. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      // No --user-data-dir: playwright gives every launch a fresh temporary profile itself.
    ],
    timeout: 60_000,
  });
}

/** The demo office, with a simulated X-keys on kiosk-1 if the example config has no panel yet. */
export function e2eConfig(dataDir: string): OfficeConfig {
  const demo = demoOfficeConfig();
  const panels = demo.devices.panels.length
    ? demo.devices.panels
    : [
        panelSchema.parse({
          id: "kiosk-1-panel",
          kind: "xkeys",
          printer: "kiosk-1",
          io: { type: "simulated" },
          buttons: demo.services.map((s, i) => ({ button: String(i), service: s.id, led: true })),
        }),
      ];
  return {
    ...demo,
    journal: { ...demo.journal, dataDir },
    devices: { ...demo.devices, panels },
    mqtt: {
      ...demo.mqtt,
      embedded: {
        ...demo.mqtt.embedded,
        host: "127.0.0.1",
        port: 0,
        httpPort: 0,
        allowAnonymousLoopback: true,
      },
    },
  };
}

/** An office with its pages built into a temp folder, and Chromium to look at them. */
export interface PagesSession {
  /** The web server, e.g. http://127.0.0.1:41234 (https:// with mqtt.embedded.tls) */
  readonly base: string;
  /** The office behind the pages, to set a scene or look at its queue. */
  readonly office: DemoOffice;
  /** A page in a fresh browser context (its own storage), `width` px wide. */
  open(path: string, width?: number): Promise<Page>;
  /** A full-page screenshot into test-artifacts/screenshots/<name>.png. */
  shot(page: Page, name: string): Promise<unknown>;
  close(): Promise<void>;
}

export async function startPagesSession(
  name: string,
  config: (dataDir: string) => OfficeConfig,
  /** More for every browser context, e.g. ignoreHTTPSErrors for a throwaway certificate. */
  contextOptions: BrowserContextOptions = {},
): Promise<PagesSession> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const temp = mkdtempSync(join(tmpdir(), `vooru-${name}-`));
  const webRoot = await buildWeb(join(temp, "web"));
  const office = await startDemoOffice({
    config: config(join(temp, "data")),
    log: memoryLogger(),
    version: "e2e",
    webRoot,
  });
  const base = office.httpUrl as string;
  const browser = await launchChromium();
  const contexts: BrowserContext[] = [];
  return {
    base,
    office,
    async open(path, width = 1200) {
      const context = await browser.newContext({
        viewport: { width, height: 900 },
        locale: "en-US",
        ...contextOptions,
      });
      contexts.push(context);
      context.setDefaultTimeout(30_000);
      const page = await context.newPage();
      page.on("pageerror", (error) => console.error(`page error on ${path}: ${error.message}`));
      await page.goto(`${base}${path}`);
      return page;
    },
    shot: (page, shotName) => page.screenshot({ path: join(SCREENSHOTS, `${shotName}.png`), fullPage: true }),
    async close() {
      for (const context of contexts) await context.close().catch(() => {});
      await browser.close();
      await office.stop();
      rmSync(temp, { recursive: true, force: true });
    },
  };
}
