// A small office for core tests: fixed ids, explicit weights, and a clock in Tallinn time.

import { officeConfigSchema } from "../../controller/config/office-config.js";
import type { OfficeConfig, OfficeConfigInput } from "../../controller/config/schema.js";
import { QueueCore } from "../../controller/queue/core/queue.js";

export const MINUTE = 60_000;
/** Tuesday 2026-11-24 09:00 in Tallinn (UTC+2 in winter). */
export const T0 = Date.UTC(2026, 10, 24, 7, 0);

export function officeConfig(overrides: Partial<OfficeConfigInput> = {}): OfficeConfig {
  return officeConfigSchema.parse({
    office: { id: "test", name: { en: "Test office" } },
    services: [
      { id: "pensions", prefix: "A", names: { en: "Pensions" }, maxWaitMinutes: 30 },
      { id: "benefits", prefix: "B", names: { en: "Benefits" }, maxWaitMinutes: 30 },
      { id: "documents", prefix: "C", names: { en: "Documents" }, range: { first: 1, last: 5 }, digits: 3 },
    ],
    counters: [
      { id: "1", services: ["pensions", "benefits"] },
      { id: "2", services: [{ service: "benefits", weight: 2 }, "documents"] },
      { id: "3", services: ["documents"] },
    ],
    ...overrides,
  });
}

/** A core with the day started at T0 and the given counters open. */
export function openOffice(config = officeConfig(), counters: string[] = ["1", "2", "3"]): QueueCore {
  const core = QueueCore.fromConfig(config);
  core.applyBodies(core.rollover(T0), T0);
  for (const counter of counters) expectOk(core.execute({ type: "open", counter }, T0));
  return core;
}

export function expectOk<T extends { ok: boolean }>(result: T): Extract<T, { ok: true }> {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result)}`);
  return result as Extract<T, { ok: true }>;
}

/** Issues a ticket and confirms its print; returns its id. */
export function issuePrinted(core: QueueCore, service: string, now: number, priority = 0): string {
  const reserved = expectOk(core.execute({ type: "issue", service, priority }, now));
  const ticket = reserved.events.at(-1) as { ticket: string };
  expectOk(core.execute({ type: "confirm_print", ticket: ticket.ticket }, now));
  return ticket.ticket;
}
