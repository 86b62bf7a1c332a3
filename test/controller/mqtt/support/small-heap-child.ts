// An office in a process with a small Pi's heap (run with --max-old-space-size=128) for the flood
// test: the embedded broker on free ports, a read-only `monitor` user and a `desk` user.
// stdout: "READY <mqtt url>" once serving. SIGTERM stops it.
import { consoleLogger } from "../../../../controller/health/log.js";
import { startDemoOffice } from "../../../../demo/demo-office.js";
import { officeConfig } from "../../../support/office.js";

const [dataDir] = process.argv.slice(2);
if (!dataDir) throw new Error("usage: small-heap-child <dataDir>");
const config = officeConfig({
  mqtt: {
    embedded: { host: "127.0.0.1", port: 0, httpPort: 0, allowAnonymousLoopback: false },
    users: [
      { username: "monitor", password: "monitor-password", role: "monitor" },
      { username: "desk", password: "desk-password", role: "desk" },
    ],
  },
  journal: { dataDir },
});
const office = await startDemoOffice({ config, log: consoleLogger, version: "child" });
process.stdout.write(`READY ${office.mqttUrl}\n`);
process.once("SIGTERM", () => {
  void office.stop().then(() => process.exit(0));
});
