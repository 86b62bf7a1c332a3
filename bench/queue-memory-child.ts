// Child process of the memory figures: node --expose-gc queue-memory-child.js <tickets>
import { measureOpenTickets } from "./queue-memory.js";

const tickets = Number(process.argv[2]);
if (!Number.isInteger(tickets) || tickets < 1) throw new Error("usage: queue-memory-child <tickets>");
if (!process.send) throw new Error("queue-memory-child runs as a forked process");
process.send(measureOpenTickets(tickets), () => process.disconnect());
