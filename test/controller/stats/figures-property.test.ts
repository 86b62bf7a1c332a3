// Whatever the day: the groups of every grouping add up to the totals, outcomes partition the
// issued tickets, and no ticket is counted twice.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { QueueCommand } from "../../../controller/queue/core/commands.js";
import { QueueCore } from "../../../controller/queue/core/queue.js";
import type { QueueEvent } from "../../../controller/queue/core/types.js";
import { DayFold, type DayRecord } from "../../../controller/stats/day-record.js";
import { buildReport, GROUPINGS, reportOptions } from "../../../controller/stats/report.js";
import { MINUTE, officeConfig, T0 } from "../../support/office.js";

const config = officeConfig();
const services = config.services.map((s) => s.id);
const counters = config.counters.map((c) => c.id);
const COUNT_KEYS = [
  "issued",
  "served",
  "noShows",
  "cancelled",
  "reissued",
  "transferred",
  "parked",
  "recalled",
  "expired",
  "open",
  "voided",
  "withinTarget",
  "overTarget",
] as const;

const step = fc.record({
  minutes: fc.integer({ min: 0, max: 20 }),
  kind: fc.constantFrom(
    "issue",
    "issue_fail",
    "open",
    "pause",
    "close",
    "call_next",
    "recall",
    "start",
    "finish",
    "no_show",
    "return",
    "transfer",
    "park",
    "resume",
    "cancel",
    "reissue",
  ),
  counter: fc.constantFrom(...counters),
  service: fc.constantFrom(...services),
  pick: fc.nat(),
});

type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

function run(steps: Step[], endDay: boolean): DayRecord {
  const core = QueueCore.fromConfig(config);
  let fold: DayFold | null = null;
  let closed: DayRecord | null = null;
  let now = T0;
  const feed = (events: readonly QueueEvent[]) => {
    for (const e of events) {
      if (e.type === "day_started") fold = new DayFold(e.day, e.ts);
      else if (fold) {
        fold.apply(e);
        if (e.type === "day_ended") closed = fold.record(e.ts);
      }
    }
  };
  const exec = (command: QueueCommand) => {
    const result = core.execute(command, now);
    feed(result.events);
    return result;
  };
  exec({ type: "open", counter: "1" });
  for (const s of steps) {
    now += s.minutes * MINUTE;
    const tickets = [...core.view.tickets.values()];
    const some = tickets.length ? tickets[s.pick % tickets.length] : undefined;
    switch (s.kind) {
      case "issue":
      case "issue_fail": {
        const r = exec({ type: "issue", service: s.service });
        if (!r.ok) break;
        const ticket = (r.events.at(-1) as { ticket: string }).ticket;
        exec(
          s.kind === "issue"
            ? { type: "confirm_print", ticket }
            : { type: "fail_print", ticket, reason: "x" },
        );
        break;
      }
      case "transfer":
        exec({ type: "transfer", counter: s.counter, service: s.service });
        break;
      case "resume":
      case "cancel":
      case "reissue":
        if (!some) break;
        if (s.kind === "resume") exec({ type: "resume", ticket: some.id });
        else if (s.kind === "cancel") exec({ type: "cancel", ticket: some.id, reason: "x" });
        else {
          const r = exec({ type: "reissue", ticket: some.id, service: s.service });
          if (r.ok) exec({ type: "confirm_print", ticket: (r.events.at(-1) as { ticket: string }).ticket });
        }
        break;
      default:
        exec({ type: s.kind, counter: s.counter } as QueueCommand);
    }
  }
  if (endDay) {
    now += 24 * 60 * MINUTE;
    feed(core.applyBodies(core.rollover(now), now));
  }
  if (closed) return closed;
  return (fold as DayFold | null)?.record(now) as DayRecord;
}

describe("figures over any day", () => {
  it("groups add up to the totals and outcomes partition the issued tickets", () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 120 }), (steps) => {
        const record = run(steps, steps.length % 2 === 0);
        const report = buildReport(
          [record],
          reportOptions(config, record.day, record.day, GROUPINGS, record.to),
        );
        const t = report.totals;
        expect(t.served + t.noShows + t.cancelled + t.reissued + t.expired + t.open).toBe(t.issued);
        expect(new Set(record.tickets.map((x) => x.id)).size).toBe(record.tickets.length);
        for (const grouping of GROUPINGS) {
          const rows = report.groups[grouping] ?? [];
          expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length);
          for (const key of COUNT_KEYS)
            expect(
              rows.reduce((sum, r) => sum + r[key], 0),
              `${grouping}.${key}`,
            ).toBe(t[key]);
          expect(rows.reduce((sum, r) => sum + r.waitMinutes.count, 0)).toBe(t.waitMinutes.count);
          expect(rows.reduce((sum, r) => sum + r.waitBuckets.reduce((a, b) => a + b, 0), 0)).toBe(
            t.waitMinutes.count,
          );
        }
        for (const c of report.counters) {
          expect(c.idleMinutes).toBeGreaterThanOrEqual(0);
          expect(c.idleMinutes).toBeLessThanOrEqual(c.openMinutes);
        }
      }),
      { numRuns: 150 },
    );
  });
});
