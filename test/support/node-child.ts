// A device node in its own process, for tests that kill it: `node --import tsx node-child.ts
// <node.yaml>`. It says on stdout what its simulated devices do, one line each:
//   READY <epoch>                 connected and subscribed
//   PRINTED <printer> <number>    a ticket came out of a simulated printer
//   BOARD <board> <text as JSON>  a simulated board shows a new text
// and takes commands on stdin: `press <panel> <button>`, `paper <printer> out|in`.
import { createInterface } from "node:readline";
import { memoryLogger } from "../../controller/health/log.js";
import { loadNodeConfig } from "../../controller/nodes/node-config.js";
import { startDemoNode } from "../../demo/demo-node.js";
import { ticketNumberOf } from "../../demo/simulation.js";

const [path] = process.argv.slice(2);
if (!path) throw new Error("usage: node-child <node.yaml>");
const say = (line: string) => process.stdout.write(`${line}\n`);
const node = await startDemoNode({ config: loadNodeConfig(path), log: memoryLogger(), version: "child" });
for (const [id, sim] of node.simulated.printers)
  sim.printer.onTicket((ticket) => say(`PRINTED ${id} ${ticketNumberOf(ticket) ?? "?"}`));
const shown = new Map<string, string>();
setInterval(() => {
  for (const bus of node.config.devices.boardBuses) {
    const sim = node.simulated.boardBuses.get(bus.id);
    if (sim?.protocol !== "modbus-7seg") continue;
    for (const board of bus.boards) {
      const text = sim.bus.display(board.address);
      if (shown.get(board.id) === text) continue;
      shown.set(board.id, text);
      say(`BOARD ${board.id} ${JSON.stringify(text)}`);
    }
  }
}, 25);
createInterface({ input: process.stdin }).on("line", (line) => {
  const [verb, device, arg] = line.trim().split(/\s+/);
  if (verb === "press" && device && arg) void node.simulated.panels.get(device)?.press(arg);
  if (verb === "paper" && device) node.simulated.printers.get(device)?.printer.setPaperOut(arg === "out");
});
await node.ready;
say(`READY ${node.epoch}`);
