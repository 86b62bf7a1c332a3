// The call order with checked-in appointments (controller/queue/core/call-order.ts): unit cases
// and the property of docs/appointments.md, "The call order".
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { QueueCore } from "../../../../controller/queue/core/queue.js";
import { expectOk, MINUTE, openOffice, T0 } from "../../../support/office.js";

const M = 30 * MINUTE; // pensions' maxWaitMinutes in the test office

function issue(core: QueueCore, now: number, appointmentAt?: number, priority = 0): string {
  const command = {
    type: "issue" as const,
    service: "pensions",
    priority,
    ...(appointmentAt !== undefined ? { appointmentAt } : {}),
  };
  const reserved = expectOk(core.execute(command, now));
  const id = (reserved.events.at(-1) as { ticket: string }).ticket;
  expectOk(core.execute({ type: "confirm_print", ticket: id }, now));
  return id;
}

function callNext(core: QueueCore, now: number, counter = "1"): string {
  const result = expectOk(core.execute({ type: "call_next", counter }, now));
  const id = (result.events.at(-1) as { ticket: string }).ticket;
  expectOk(core.execute({ type: "start", counter }, now));
  expectOk(core.execute({ type: "finish", counter }, now));
  return id;
}

describe("call order with appointments", () => {
  it("an appointment whose time has come goes before walk-ins, priority ones too", () => {
    const core = openOffice();
    const walkIn = issue(core, T0);
    const urgent = issue(core, T0 + MINUTE, undefined, 5);
    const booked = issue(core, T0 + 2 * MINUTE, T0 + 10 * MINUTE);
    expect(callNext(core, T0 + 10 * MINUTE)).toBe(booked);
    expect(callNext(core, T0 + 10 * MINUTE)).toBe(urgent);
    expect(callNext(core, T0 + 10 * MINUTE)).toBe(walkIn);
  });

  it("before its time an appointment is held: every walk-in goes first, then it may go early", () => {
    const core = openOffice();
    const booked = issue(core, T0, T0 + 10 * MINUTE);
    const walkIn = issue(core, T0 + MINUTE);
    const at = T0 + 10 * MINUTE - 1;
    expect(callNext(core, at)).toBe(walkIn);
    expect(callNext(core, at)).toBe(booked);
  });

  it("exactly at its time it is due, one millisecond before it is not", () => {
    const core = openOffice();
    const booked = issue(core, T0, T0 + 10 * MINUTE);
    issue(core, T0 + MINUTE);
    issue(core, T0 + MINUTE);
    expect(callNext(core, T0 + 10 * MINUTE - 1)).not.toBe(booked);
    expect(callNext(core, T0 + 10 * MINUTE)).toBe(booked);
  });

  it("a walk-in that waited longer than maxWaitMinutes before the appointment's time still goes first", () => {
    const core = openOffice();
    const walkIn = issue(core, T0); // deadline T0 + 30
    const booked = issue(core, T0 + 20 * MINUTE, T0 + 29 * MINUTE); // deadline T0 + 29
    const late = issue(core, T0 + 21 * MINUTE, T0 + 31 * MINUTE); // deadline T0 + 31
    const now = T0 + 40 * MINUTE;
    expect([callNext(core, now), callNext(core, now), callNext(core, now)]).toEqual([booked, walkIn, late]);
  });

  it("a reissued appointment keeps its time", () => {
    const core = openOffice();
    const booked = issue(core, T0, T0 + 5 * MINUTE);
    expectOk(core.execute({ type: "reissue", ticket: booked, service: "benefits" }, T0 + MINUTE));
    const replacement = core.ticket(booked)?.reissuedAs ?? "";
    expectOk(core.execute({ type: "confirm_print", ticket: replacement }, T0 + MINUTE));
    expect(core.ticket(replacement)?.appointmentAt).toBe(T0 + 5 * MINUTE);
  });
});

type Step =
  | { kind: "walk_in"; after: number }
  | { kind: "appointment"; after: number; offset: number }
  | { kind: "call"; after: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant("walk_in" as const), after: fc.integer({ min: 0, max: 3 * MINUTE }) }),
  fc.record({
    kind: fc.constant("appointment" as const),
    after: fc.integer({ min: 0, max: 3 * MINUTE }),
    // checked in 15 minutes early to 10 late: the default window
    offset: fc.integer({ min: -10 * MINUTE, max: 15 * MINUTE }),
  }),
  fc.record({
    kind: fc.constant("call" as const),
    after: fc.integer({ min: 0, max: 3 * MINUTE }),
  }),
);

/** A ticket's deadline: a walk-in's arrival + maxWait, an appointment's time. */
function deadline(core: QueueCore, id: string): number {
  const t = core.ticket(id);
  if (!t) throw new Error(id);
  return t.appointmentAt ?? t.arrivedAt + M;
}

describe("call order with appointments: the property", () => {
  it("no walk-in starves and no due appointment is passed by a later deadline", () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const core = openOffice(undefined, ["1"]);
        let now = T0;
        const calledAt = new Map<string, number>();
        const check = (picked: string) => {
          const pickedDeadline = deadline(core, picked);
          for (const t of core.view.tickets.values()) {
            if (t.state !== "waiting" || t.id === picked) continue;
            const d = deadline(core, t.id);
            // Nothing is called before a waiting ticket whose deadline has passed and is earlier:
            // an overdue walk-in is passed only by earlier deadlines, and a due appointment too.
            if (d <= now) expect(pickedDeadline <= now && pickedDeadline <= d).toBe(true);
          }
        };
        for (const s of steps) {
          now += s.after;
          if (s.kind === "walk_in") issue(core, now);
          else if (s.kind === "appointment") issue(core, now, now + s.offset);
          else {
            const result = core.execute({ type: "call_next", counter: "1" }, now);
            if (!result.ok) continue;
            const id = (result.events.at(-1) as { ticket: string }).ticket;
            check(id);
            calledAt.set(id, now);
            expectOk(core.execute({ type: "start", counter: "1" }, now));
            expectOk(core.execute({ type: "finish", counter: "1" }, now));
          }
        }
        // Then the counter keeps calling, a minute apart, until nobody waits: everyone is called
        // (no starvation), and an appointment waits past its time only for earlier deadlines.
        for (let guard = 0; guard < 200; guard++) {
          now += MINUTE;
          const result = core.execute({ type: "call_next", counter: "1" }, now);
          if (!result.ok) break;
          const id = (result.events.at(-1) as { ticket: string }).ticket;
          check(id);
          calledAt.set(id, now);
          expectOk(core.execute({ type: "start", counter: "1" }, now));
          expectOk(core.execute({ type: "finish", counter: "1" }, now));
        }
        for (const t of core.view.tickets.values()) expect(t.state).toBe("done");
        // The bound: at a call at or after an appointment's time, it is called unless every
        // ticket called instead had an earlier deadline. So the tickets called between its time
        // and its own call all have earlier deadlines.
        for (const t of core.view.tickets.values()) {
          if (t.appointmentAt === undefined) continue;
          const mine = calledAt.get(t.id) ?? 0;
          // from its time, or its check-in when it came late
          const from = Math.max(t.appointmentAt, t.issuedAt);
          for (const [other, at] of calledAt)
            if (at >= from && at < mine) expect(deadline(core, other)).toBeLessThanOrEqual(t.appointmentAt);
        }
      }),
      { numRuns: 300 },
    );
  });
});
