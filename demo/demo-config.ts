// The demo office for `npm start` without a config file, and for tests: examples/office.yaml, but
// always open, so that the simulated office works at any hour and tests pass at any time of day.
import { loadOfficeConfig } from "../controller/config/load.js";
import { exampleConfigPath } from "../controller/config/package-root.js";
import type { OfficeConfig } from "../controller/config/schema.js";

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
