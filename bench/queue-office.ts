// The office the queue bench runs: 3 services with ranges up to 9999 and 5 counters, and a busy day
// of it simulated over the pure core (deterministic for a seed). Copied in spirit from test/support/,
// which the build does not include.

import { officeConfigSchema } from "../controller/config/office-config.js";
import type { OfficeConfig } from "../controller/config/schema.js";
import type { QueueCommand } from "../controller/queue/core/commands.js";
import { type ExecuteResult, QueueCore } from "../controller/queue/core/queue.js";
import type { QueueEvent } from "../controller/queue/core/types.js";

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
/** Tuesday 2026-11-24 04:30 in Tallinn (UTC+2): just after the 04:00 daily reset. */
export const T0 = Date.UTC(2026, 10, 24, 2, 30);
/** How much of the business day (04:00 to 04:00) the simulated day may use. */
const DAY_MINUTES = 23 * 60;

export const SERVICES = ["pensions", "benefits", "documents"] as const;
export const COUNTERS = ["1", "2", "3", "4", "5"] as const;
/** Share of arrivals per service. */
const SERVICE_SHARE = [0.5, 0.3, 0.2];

export function benchOfficeConfig(dataDir = "./data"): OfficeConfig {
  const range = { first: 1, last: 9999 };
  return officeConfigSchema.parse({
    office: { id: "bench", name: { en: "Bench office" } },
    services: [
      { id: "pensions", prefix: "A", names: { en: "Pensions" }, range, maxWaitMinutes: 45 },
      { id: "benefits", prefix: "B", names: { en: "Benefits" }, range, maxWaitMinutes: 45 },
      { id: "documents", prefix: "C", names: { en: "Documents" }, range, maxWaitMinutes: 60 },
    ],
    counters: [
      { id: "1", services: [{ service: "pensions", weight: 2 }, "benefits"] },
      { id: "2", services: ["pensions", "benefits"] },
      { id: "3", services: [{ service: "benefits", weight: 2 }, "documents"] },
      { id: "4", services: [{ service: "documents", weight: 2 }, "pensions"] },
      { id: "5", services: ["pensions", "benefits", "documents"] },
    ],
    journal: { dataDir },
  });
}

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function expectOk(result: ExecuteResult, command: QueueCommand): QueueEvent[] {
  if (!result.ok) throw new Error(`${JSON.stringify(command)} refused: ${result.error.message}`);
  return result.events;
}

/** The ticket id a successful issue reserved (its last event). */
export function reservedId(events: readonly QueueEvent[]): string {
  const last = events.at(-1);
  if (last?.type !== "ticket_reserved") throw new Error("issue did not reserve a ticket");
  return last.ticket;
}

export interface DayStream {
  /** Every command in order with the time it ran at: replaying them on a fresh core is deterministic. */
  commands: Array<{ command: QueueCommand; now: number }>;
  /** Every event the commands produced, numbered from seq 1. */
  events: QueueEvent[];
  /** The core that produced them. */
  core: QueueCore;
  maxOpen: number;
}

/**
 * A busy day: customers arrive faster than 5 counters serve them, so the queue grows towards
 * `maxOpen` open tickets (arrivals pause at it) while issue+confirm, call_next, start and finish go
 * on, until at least `events` events exist. Tickets are issued and confirmed together, so the
 * stream never ends with a reserved ticket.
 */
export function simulateBusyDay(events: number, maxOpen: number, seed = 1): DayStream {
  const core = QueueCore.fromConfig(benchOfficeConfig());
  const random = mulberry32(seed);
  const stream: DayStream = { commands: [], events: [], core, maxOpen: 0 };
  const run = (command: QueueCommand, now: number): ExecuteResult => {
    const result = core.execute(command, now);
    stream.commands.push({ command, now });
    stream.events.push(...result.events);
    return result;
  };
  // events ~ 2 per arrival + 3 per served ticket, open ~ arrivals - served: solve for both, and
  // spread them over 80% of the day so the target is reached before the daily reset.
  const served = Math.max(1, Math.ceil((events - 2 * maxOpen) / 5));
  const arrivals = served + maxOpen;
  const minutes = DAY_MINUTES * 0.8;
  const step = 5 * SECOND;
  const arrivalsPerStep = arrivals / ((minutes * MINUTE) / step);
  const serviceMs = (COUNTERS.length * minutes * MINUTE) / served;
  const trials = Math.max(1, Math.ceil(arrivalsPerStep * 2));
  const busyUntil = new Map<string, number>();
  let open = 0;

  for (const counter of COUNTERS) expectOk(run({ type: "open", counter }, T0), { type: "open", counter });
  for (let now = T0; stream.events.length < events; now += step) {
    if (now >= T0 + DAY_MINUTES * MINUTE) throw new Error(`the day ended before ${events} events`);
    for (let i = 0; i < trials; i++) {
      if (open >= maxOpen || random() >= arrivalsPerStep / trials) continue;
      const pick = random();
      const index = pick < (SERVICE_SHARE[0] as number) ? 0 : pick < 0.8 ? 1 : 2;
      const issue: QueueCommand = { type: "issue", service: SERVICES[index] as string };
      const ticket = reservedId(expectOk(run(issue, now), issue));
      const confirm: QueueCommand = { type: "confirm_print", ticket };
      expectOk(run(confirm, now), confirm);
      open++;
    }
    for (const counter of COUNTERS) {
      const until = busyUntil.get(counter);
      if (until !== undefined && now >= until) {
        const finish: QueueCommand = { type: "finish", counter };
        expectOk(run(finish, now), finish);
        busyUntil.delete(counter);
        open--;
      }
      if (busyUntil.has(counter)) continue;
      const called = run({ type: "call_next", counter }, now);
      if (!called.ok) {
        if (called.error.code !== "QUEUE_EMPTY") throw new Error(called.error.message);
        continue;
      }
      const start: QueueCommand = { type: "start", counter };
      expectOk(run(start, now), start);
      busyUntil.set(counter, now + serviceMs * (0.5 + random()));
    }
    stream.maxOpen = Math.max(stream.maxOpen, open);
  }
  return stream;
}

/** A core with the day started, every counter open and `tickets` printed tickets waiting. */
export function waitingCore(tickets: number): QueueCore {
  const core = QueueCore.fromConfig(benchOfficeConfig());
  for (const counter of COUNTERS)
    expectOk(core.execute({ type: "open", counter }, T0), { type: "open", counter });
  addWaiting(core, tickets);
  return core;
}

/** Issues and confirms `tickets` tickets, round robin over the services, one a second from T0. */
export function addWaiting(core: QueueCore, tickets: number): void {
  for (let i = 0; i < tickets; i++) {
    const now = T0 + i * SECOND;
    const issue: QueueCommand = { type: "issue", service: SERVICES[i % SERVICES.length] as string };
    const ticket = reservedId(expectOk(core.execute(issue, now), issue));
    const confirm: QueueCommand = { type: "confirm_print", ticket };
    expectOk(core.execute(confirm, now), confirm);
  }
}
