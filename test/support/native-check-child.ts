// Starts the demo office (simulated printers) and reports which native modules the process
// loaded: a .node file is dlopen()ed, so it shows in /proc/self/maps.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { silentLogger } from "../../controller/health/log.js";
import { demoOfficeConfig } from "../../demo/demo-config.js";
import { startDemoOffice } from "../../demo/demo-office.js";

const config = demoOfficeConfig();
const office = await startDemoOffice({
  config,
  dataDir: mkdtempSync(join(tmpdir(), "vooru-native-")),
  mqttPort: 0,
  httpPort: 0,
  log: silentLogger,
  version: "check",
});
const issued = await office.service.run({ scope: "desk", verb: "issue" }, { service: "pensions" });
const native = [
  ...new Set(
    readFileSync("/proc/self/maps", "utf8")
      .split("\n")
      .filter((l) => l.endsWith(".node"))
      .map((l) => l.split(/\s+/).at(-1)),
  ),
];
process.stdout.write(
  `${JSON.stringify({ issued: issued.ok, printers: config.devices.printers.length, native })}\n`,
);
await office.stop();
