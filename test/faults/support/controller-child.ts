// A whole controller in its own process, on an external broker, with a simulated kiosk printer:
// the fault suite kills it with SIGKILL (a power cut) and starts it again on the same data folder.
// Usage: node --import tsx controller-child.ts <mqttUrl> <dataDir>
// stdout: "READY <epoch>" once serving. stdin: "vanish" makes the printer go silent (it swallows
// bytes and answers nothing), so the tickets sent to it stay reserved, unconfirmed. SIGTERM stops
// the office cleanly.
import { createInterface } from "node:readline";
import { memoryLogger } from "../../../controller/health/log.js";
import { startDemoOffice } from "../../../demo/demo-office.js";
import { faultConfig, KIOSK } from "./office-under-test.js";

const [url, dataDir] = process.argv.slice(2);
if (!url || !dataDir) throw new Error("usage: controller-child <mqttUrl> <dataDir>");
const config = faultConfig(
  { mqtt: { broker: { url, protocolVersion: 5 } }, journal: { dataDir } },
  "printer",
);
const office = await startDemoOffice({ config, log: memoryLogger(), version: "child" });
createInterface({ input: process.stdin }).on("line", (line) => {
  if (line.trim() === "vanish") office.simulated.printers.get(KIOSK)?.printer.setVanished(true);
});
process.once("SIGTERM", () => {
  void office.stop().then(() => process.exit(0));
});
process.stdout.write(`READY ${office.bridge.epochSeq.epoch}\n`);
