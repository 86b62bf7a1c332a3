// Shared by the e2e files: Debian's Chromium (never a downloaded browser) with the same flags
// everywhere, the screenshot folder, and the demo office's config made fit for a test (free ports,
// a temp journal, a simulated panel on kiosk-1).
import { existsSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { demoOfficeConfig } from "../../controller/config/demo.js";
import { panelSchema } from "../../controller/config/panels-schema.js";
import type { OfficeConfig } from "../../controller/config/schema.js";

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
