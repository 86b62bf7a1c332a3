// An office in its own process, on an external broker: for tests that kill the controller.
// Usage: tsx office-child.ts <mqttUrl> <dataDir>
import { memoryLogger } from "../../controller/health/log.js";
import { startDemoOffice } from "../../demo/demo-office.js";
import { officeConfig } from "./office.js";

const [url, dataDir] = process.argv.slice(2);
if (!url || !dataDir) throw new Error("usage: office-child <mqttUrl> <dataDir>");
const config = officeConfig({ mqtt: { broker: { url, protocolVersion: 5 } }, journal: { dataDir } });
const office = await startDemoOffice({ config, log: memoryLogger(), version: "child" });
process.stdout.write(`READY ${office.bridge.epochSeq.epoch}\n`);
