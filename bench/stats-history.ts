// A long history for the statistics bench: N business days of an office with 8 services and 20
// counters, M tickets a day (each issued, called, served; a few no-shows and wrong tickets),
// folded through the pure core and written as the journal's JSONL segments of 1000 events, as the
// controller writes them (without its fsync per command, which would take hours here).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { officeConfigSchema } from "../controller/config/office-config.js";
import type { OfficeConfig } from "../controller/config/schema.js";
import type { QueueCommand } from "../controller/queue/core/commands.js";
import { QueueCore } from "../controller/queue/core/queue.js";
import type { QueueEvent } from "../controller/queue/core/types.js";
import { segmentName } from "../controller/queue/journal/segments.js";
import { mulberry32 } from "./queue-office.js";

const MINUTE = 60_000;
const SERVICES = 8;
const COUNTERS = 20;

export function historyOfficeConfig(): OfficeConfig {
  const services = Array.from({ length: SERVICES }, (_, i) => ({
    id: `s${i + 1}`,
    prefix: String.fromCharCode(65 + i),
    names: { en: `Service ${i + 1}` },
    range: { first: 1, last: 9999 },
  }));
  return officeConfigSchema.parse({
    office: { id: "history", name: { en: "History office" } },
    services,
    counters: Array.from({ length: COUNTERS }, (_, i) => ({
      id: String(i + 1),
      services: [services[i % SERVICES]?.id, services[(i + 3) % SERVICES]?.id],
    })),
  });
}

export interface HistorySpec {
  dataDir: string;
  days: number;
  ticketsPerDay: number;
  /** The first business day, "YYYY-MM-DD" (08:00 Tallinn time opens it). */
  firstDay: string;
  seed?: number;
}

/** Writes the journal; returns the number of events. */
export function writeHistory(spec: HistorySpec): number {
  const config = historyOfficeConfig();
  const core = QueueCore.fromConfig(config);
  const random = mulberry32(spec.seed ?? 7);
  const journalDir = join(spec.dataDir, "journal");
  mkdirSync(join(journalDir, "set-aside"), { recursive: true });
  let segment: string[] = [];
  let segmentFirst = 1;
  const flush = () => {
    if (segment.length === 0) return;
    writeFileSync(join(journalDir, segmentName(segmentFirst)), `${segment.join("\n")}\n`);
    segmentFirst += segment.length;
    segment = [];
  };
  const record = (events: readonly QueueEvent[]) => {
    for (const event of events) {
      segment.push(JSON.stringify(event));
      if (segment.length === 1000) flush();
    }
  };
  const run = (command: QueueCommand, now: number) => {
    const result = core.execute(command, now);
    record(result.events);
    return result;
  };
  const serviceIds = config.services.map((s) => s.id);
  const counterIds = config.counters.map((c) => c.id);
  const dayStartUtc = Date.parse(`${spec.firstDay}T06:00:00Z`);
  for (let d = 0; d < spec.days; d++) {
    const start = dayStartUtc + d * 24 * 60 * MINUTE;
    for (const counter of counterIds) run({ type: "open", counter }, start);
    // Ten hours of arrivals, evenly spread; counters serve 3-5 minutes each.
    const spacing = (10 * 60 * MINUTE) / spec.ticketsPerDay;
    const busyUntil = new Map<string, number>();
    for (let i = 0; i < spec.ticketsPerDay; i++) {
      const now = start + Math.round(i * spacing);
      for (const counter of counterIds) {
        const until = busyUntil.get(counter);
        if (until !== undefined && until <= now) {
          run({ type: "finish", counter }, until);
          busyUntil.delete(counter);
        }
      }
      const issued = run(
        { type: "issue", service: serviceIds[Math.floor(random() * SERVICES)] as string },
        now,
      );
      const ticket = (issued.events.at(-1) as { ticket?: string } | undefined)?.ticket;
      if (ticket) run({ type: "confirm_print", ticket }, now);
      for (const counter of counterIds) {
        if (busyUntil.has(counter)) continue;
        if (!run({ type: "call_next", counter }, now).ok) continue;
        const roll = random();
        if (roll < 0.04) {
          run({ type: "no_show", counter }, now + MINUTE);
          continue;
        }
        run({ type: "start", counter }, now + 30_000);
        busyUntil.set(counter, now + 30_000 + Math.round((3 + 2 * random()) * MINUTE));
      }
    }
    const end = start + 11 * 60 * MINUTE;
    for (const counter of counterIds) {
      if (busyUntil.has(counter)) run({ type: "finish", counter }, end);
      run({ type: "close", counter }, end);
    }
  }
  // The last day ends with the next morning's rollover, as the controller's first command would.
  const next = dayStartUtc + spec.days * 24 * 60 * MINUTE;
  record(core.applyBodies(core.rollover(next), next));
  flush();
  return core.seq;
}
