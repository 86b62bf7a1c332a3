// The demo office for `npm start` without a config file, and for tests: examples/office.yaml, but
// always open, so that the simulated office works at any hour and tests pass at any time of day.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadOfficeConfig } from "./load.js";
import type { OfficeConfig } from "./schema.js";

/**
 * The nearest folder at or above `from` holding a package.json: the repository root both when run
 * from the sources (controller/config/) and from the build (dist/controller/config/).
 */
export function packageRoot(from = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json found at or above ${from}`);
  }
}

/** Path of the example office configuration that ships with the package. */
export function exampleConfigPath(): string {
  return join(packageRoot(), "examples", "office.yaml");
}

/** The demo office: the example configuration with no opening hours and the journal in ./data. */
export function demoOfficeConfig(): OfficeConfig {
  const config = loadOfficeConfig(exampleConfigPath());
  return {
    ...config,
    services: config.services.map(({ hours: _hours, ...service }) => service),
    // Relative to the working directory, like the rest of `npm start`.
    journal: { ...config.journal, dataDir: "./data" },
    // The demo runs on the developer's machine: clients from there need no credentials.
    mqtt: { ...config.mqtt, embedded: { ...config.mqtt.embedded, allowAnonymousLoopback: true } },
  };
}
