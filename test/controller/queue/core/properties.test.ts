// Random operation sequences against the core: whatever staff and customers do, the invariants hold.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { QueueCommand } from "../../../../controller/queue/core/commands.js";
import { QueueCore } from "../../../../controller/queue/core/queue.js";
import { OPEN_STATES, type QueueEvent } from "../../../../controller/queue/core/types.js";
import { MINUTE, officeConfig, T0 } from "../../../support/office.js";

const config = officeConfig();
// Mostly counter 1, so its ticket moves through the whole lifecycle; "9" does not exist.
const counters = ["1", "1", "1", "1", "1", "1", "2", "2", "3", "9"];
const services = ["pensions", "benefits", "documents", "nope"];
const KINDS = [
  ...["issue", "issue", "issue", "issue_unconfirmed", "fail_print", "confirm_print"],
  ...[
    "open",
    "open",
    "open",
    "pause",
    "close",
    "call_next",
    "call_next",
    "call_next",
    "call",
    "recall",
    "start",
  ],
  ...[
    "start",
    "finish",
    "finish",
    "no_show",
    "return",
    "transfer",
    "park",
    "resume",
    "cancel",
    "reissue",
    "reprint",
  ],
] as const;

interface Op {
  kind: (typeof KINDS)[number];
  counter: number;
  ticket: number;
  service: number;
  priority: number;
}

// noBias: fast-check favours small values by default, which would starve the later kinds.
const opArb: fc.Arbitrary<Op> = fc.noBias(
  fc.record({
    kind: fc.constantFrom(...KINDS),
    counter: fc.nat(),
    ticket: fc.nat(),
    service: fc.nat(),
    priority: fc.constantFrom(0, 0, 0, 1),
  }),
);

/** Turns an abstract op into a command naming things that exist (mostly): tickets by index into today's. */
function toCommands(core: QueueCore, op: Op): QueueCommand[] {
  const counter = counters[op.counter % counters.length] as string;
  const service = services[op.service % services.length] as string;
  const tickets = [...core.view.tickets.values()];
  const ticket = tickets.length ? (tickets[op.ticket % tickets.length]?.number ?? "A001") : "A001";
  switch (op.kind) {
    case "issue": {
      const reserved = core.decide({ type: "issue", service, priority: op.priority }, 0);
      const next = reserved.ok ? (reserved.events[0] as { number: string }).number : "X";
      return [
        { type: "issue", service, priority: op.priority },
        { type: "confirm_print", ticket: next },
      ];
    }
    case "issue_unconfirmed":
      return [{ type: "issue", service, priority: op.priority }];
    case "fail_print":
      return [{ type: "fail_print", ticket, reason: "paper_out" }];
    case "confirm_print":
    case "resume":
    case "reprint":
      return [{ type: op.kind, ticket }];
    case "cancel":
      return [{ type: "cancel", ticket, reason: "wrong" }];
    case "reissue":
      return [{ type: "reissue", ticket, service }];
    case "call":
      return [{ type: "call", counter, ticket }];
    case "transfer":
      return [{ type: "transfer", counter, service }];
    default:
      return [{ type: op.kind, counter }];
  }
}

/** Minutes to advance before each command; now and then a whole day. */
const stepArb = fc.oneof(
  { weight: 30, arbitrary: fc.integer({ min: 0, max: 10 }) },
  { weight: 1, arbitrary: fc.constant(24 * 60) },
);

function checkInvariants(
  core: QueueCore,
  numbersByDay: Map<string, Set<string>>,
  events: QueueEvent[],
): void {
  const state = core.view;
  const openNumbers = new Set<string>();
  for (const t of state.tickets.values()) {
    if (OPEN_STATES.has(t.state)) {
      expect(openNumbers.has(t.number), `two open tickets hold ${t.number}`).toBe(false);
      openNumbers.add(t.number);
    }
    const held = [...state.counters.values()].filter((c) => c.ticket === t.id);
    if (t.state === "called" || t.state === "serving") {
      expect(held.map((c) => c.id)).toEqual([t.counter]);
      expect(state.counters.get(t.counter ?? "")?.ticket).toBe(t.id);
    } else expect(held).toEqual([]);
  }
  // No number twice in a day: the core's fixture has ranges of 999 (and 5 for documents, which may wrap).
  for (const e of events)
    if (e.type === "ticket_reserved" && e.service !== "documents") {
      const day = e.ticket.slice(0, 10);
      const seen = numbersByDay.get(day) ?? new Set();
      expect(seen.has(e.number), `${e.number} issued twice on ${day}`).toBe(false);
      seen.add(e.number);
      numbersByDay.set(day, seen);
    }
  // Counts add up: the per-service totals match the tickets' states.
  const tickets = [...state.tickets.values()];
  const sum = (key: "issued" | "finished" | "noShows" | "cancelled" | "voided") =>
    [...state.services.values()].reduce((n, s) => n + s[key], 0);
  expect(sum("issued")).toBe(tickets.filter((t) => t.state !== "reserved" && t.state !== "void").length);
  expect(sum("finished")).toBe(tickets.filter((t) => t.state === "done").length);
  expect(sum("noShows")).toBe(tickets.filter((t) => t.state === "no_show").length);
  expect(sum("cancelled")).toBe(tickets.filter((t) => t.state === "cancelled").length);
  expect(sum("voided")).toBe(tickets.filter((t) => t.state === "void").length);
}

describe("queue core properties", () => {
  it("random sequences keep the invariants, and replaying the events rebuilds the state exactly", () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(
        fc.array(fc.tuple(stepArb, opArb), { minLength: 20, maxLength: 200, size: "max" }),
        (script) => {
          const core = QueueCore.fromConfig(config);
          const journal: QueueEvent[] = [];
          const numbersByDay = new Map<string, Set<string>>();
          let now = T0;
          for (const [minutes, op] of script) {
            now += minutes * MINUTE;
            const rolled = core.applyBodies(core.rollover(now), now);
            journal.push(...rolled);
            checkInvariants(core, numbersByDay, rolled);
            for (const command of toCommands(core, op)) {
              const before = JSON.stringify(core.toJson());
              const result = core.execute(command, now);
              if (!result.ok) {
                expect(JSON.stringify(core.toJson()), "a refused command changed the state").toBe(before);
                continue;
              }
              journal.push(...result.events);
              checkInvariants(core, numbersByDay, result.events);
            }
          }
          for (const e of journal) seen.add(e.type);
          // Every event has the next seq.
          expect(journal.map((e) => e.seq)).toEqual(journal.map((_, i) => i + 1));
          const replayed = QueueCore.fromConfig(config);
          for (const e of journal) replayed.apply(e);
          expect(replayed.toJson()).toEqual(core.toJson());
          // A snapshot taken now restores the same state, and both go on identically.
          const restored = new QueueCore(core.model, JSON.parse(JSON.stringify(core.toJson())));
          expect(restored.toJson()).toEqual(core.toJson());
          const next = core.execute({ type: "issue", service: "pensions" }, now);
          expect(restored.execute({ type: "issue", service: "pensions" }, now)).toEqual(next);
        },
      ),
      { numRuns: 120, seed: 42 },
    );
    // The scripts reached every kind of event, so the invariants were checked along every path.
    expect([...seen].sort()).toEqual(
      [
        "counter_closed",
        "counter_opened",
        "counter_paused",
        "day_ended",
        "day_started",
        "print_failed",
        "ticket_called",
        "ticket_cancelled",
        "ticket_finished",
        "ticket_issued",
        "ticket_no_show",
        "ticket_parked",
        "ticket_recalled",
        "ticket_reprinted",
        "ticket_reserved",
        "ticket_resumed",
        "ticket_returned",
        "ticket_started",
        "ticket_transferred",
      ].sort(),
    );
  });
});
