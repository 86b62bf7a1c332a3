// The controller in its own process for the webhook restart test: the demo composition with a
// simulated kiosk printer, the embedded broker on free ports, and alerts.webhook at the URL given.
// Usage: node --import tsx webhook-child.ts <webhookUrl> <dataDir>
// stdout: "READY" once serving, then "ALERT <event> <device> <code>" for each alert raised or
// cleared (each is one webhook POST). stdin: "paper-low" or "paper-out" empties the printer's roll.
// The log goes to stderr. SIGTERM stops the office cleanly; the test uses SIGKILL for a crash.
import { createInterface } from "node:readline";
import { consoleLogger } from "../../../../controller/health/log.js";
import { startDemoOffice } from "../../../../demo/demo-office.js";
import { officeConfig } from "../../../support/office.js";

const [url, dataDir] = process.argv.slice(2);
if (!url || !dataDir) throw new Error("usage: webhook-child <webhookUrl> <dataDir>");
const config = officeConfig({
  mqtt: { embedded: { host: "127.0.0.1", port: 0, httpPort: 0, allowAnonymousLoopback: true } },
  journal: { dataDir },
  alerts: { webhook: { url, timeoutMs: 1000, maxBackoffMs: 1000 } },
  devices: {
    printers: [
      {
        id: "kiosk-1",
        profile: "epson-tm-t20iii",
        transport: { type: "simulated" },
        confirmTimeoutSeconds: 8,
      },
    ],
  },
});
const office = await startDemoOffice({ config, log: consoleLogger, version: "child" });
office.health.onChange((change) => {
  if (change.type === "device") return;
  const event = change.type === "alert_raised" ? "raised" : "cleared";
  process.stdout.write(`ALERT ${event} ${change.alert.device} ${change.alert.code}\n`);
});
const printer = office.simulated.printers.get("kiosk-1")?.printer;
createInterface({ input: process.stdin }).on("line", (line) => {
  if (line.trim() === "paper-low") printer?.setPaperNearEnd(true);
  if (line.trim() === "paper-out") printer?.setPaperOut(true);
});
process.once("SIGTERM", () => {
  void office.stop().then(() => process.exit(0));
});
process.stdout.write("READY\n");
