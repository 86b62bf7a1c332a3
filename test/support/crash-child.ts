// A controller process for crash tests: issues and confirms tickets as fast as it can, and says
// on stdout which tickets it acknowledged. The test kills it with SIGKILL mid-burst.
// Usage: tsx crash-child.ts <dataDir> <maxTickets>

import { silentLogger } from "../../controller/health/log.js";
import { DurableQueue } from "../../controller/queue/durable-queue.js";
import { officeConfig, T0 } from "./office.js";

const [dataDir, maxTickets] = process.argv.slice(2);
if (!dataDir) throw new Error("usage: crash-child <dataDir> <maxTickets>");
const started = Date.now();
const config = officeConfig({ journal: { dataDir, snapshotEvery: 25 } });
const queue = DurableQueue.open({
  config,
  dataDir,
  clock: () => T0 + (Date.now() - started),
  log: silentLogger,
});
process.stdout.write("READY\n");
const services = ["pensions", "benefits"];
for (let i = 0; i < Number(maxTickets ?? 1000); i++) {
  const reserved = queue.execute({ type: "issue", service: services[i % 2] as string });
  if (!reserved.ok) throw new Error(reserved.error.message);
  const id = (reserved.events.at(-1) as { ticket: string }).ticket;
  const printed = queue.execute({ type: "confirm_print", ticket: id });
  if (!printed.ok) throw new Error(printed.error.message);
  // Only now is the ticket the customer's: durable and in the queue.
  process.stdout.write(`ACK ${id}\n`);
}
queue.close();
process.stdout.write("DONE\n");
