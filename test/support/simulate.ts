// A day of an office in simulated time over the pure core: arrivals, counters calling, serving and
// finishing. Deterministic for a seed, so a failing run can be replayed.
import type { QueueCore } from "../../controller/queue/core/queue.js";
import { expectOk, issuePrinted, MINUTE } from "./office.js";

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

export interface SimulationSpec {
  core: QueueCore;
  start: number;
  minutes: number;
  /** Expected arrivals per minute, per service. */
  arrivals: Record<string, number>;
  /** Mean service minutes (times are uniform in [0.5, 1.5] x mean). */
  serviceMinutes: number;
  counters: string[];
  seed: number;
  /** Arrivals stop this many minutes before the end, so queues can drain. */
  drainMinutes?: number;
}

export interface CallRecord {
  number: string;
  service: string;
  counter: string;
  waitedMinutes: number;
}

export function simulateDay(spec: SimulationSpec): { calls: CallRecord[]; leftWaiting: number } {
  const random = mulberry32(spec.seed);
  const busyUntil = new Map<string, number>();
  const calls: CallRecord[] = [];
  const step = MINUTE / 2;
  const end = spec.start + spec.minutes * MINUTE;
  const arrivalsEnd = end - (spec.drainMinutes ?? 0) * MINUTE;
  for (let now = spec.start; now < end; now += step) {
    if (now < arrivalsEnd)
      for (const [service, perMinute] of Object.entries(spec.arrivals))
        if (random() < perMinute / 2) issuePrinted(spec.core, service, now);
    for (const counter of spec.counters) {
      const until = busyUntil.get(counter);
      if (until !== undefined && now >= until) {
        expectOk(spec.core.execute({ type: "finish", counter }, now));
        busyUntil.delete(counter);
      }
      if (busyUntil.has(counter)) continue;
      const called = spec.core.execute({ type: "call_next", counter }, now);
      if (!called.ok) {
        if (called.error.code !== "QUEUE_EMPTY") throw new Error(called.error.message);
        continue;
      }
      const event = called.events.at(-1) as { ticket: string };
      const ticket = spec.core.ticket(event.ticket);
      if (!ticket) throw new Error("called ticket vanished");
      calls.push({
        number: ticket.number,
        service: ticket.service,
        counter,
        waitedMinutes: (now - ticket.arrivedAt) / MINUTE,
      });
      expectOk(spec.core.execute({ type: "start", counter }, now));
      busyUntil.set(counter, now + spec.serviceMinutes * (0.5 + random()) * MINUTE);
    }
  }
  const leftWaiting = spec.core.openTickets().filter((t) => t.state === "waiting").length;
  return { calls, leftWaiting };
}
