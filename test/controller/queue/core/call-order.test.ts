import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { estimateWait } from "../../../../controller/queue/core/estimate.js";
import { QueueCore } from "../../../../controller/queue/core/queue.js";
import { expectOk, issuePrinted, MINUTE, officeConfig, openOffice, T0 } from "../../../support/office.js";
import { simulateDay } from "../../../support/simulate.js";

function callNext(core: QueueCore, counter: string, now: number): string {
  const result = expectOk(core.execute({ type: "call_next", counter }, now));
  const ticket = core.ticket((result.events.at(-1) as { ticket: string }).ticket);
  expectOk(core.execute({ type: "start", counter }, now));
  expectOk(core.execute({ type: "finish", counter }, now));
  return ticket?.number ?? "";
}

describe("call order", () => {
  it("first come, first served within one service", () => {
    const core = openOffice();
    issuePrinted(core, "pensions", T0);
    issuePrinted(core, "pensions", T0 + MINUTE);
    issuePrinted(core, "pensions", T0 + 2 * MINUTE);
    const now = T0 + 3 * MINUTE;
    expect([callNext(core, "1", now), callNext(core, "1", now), callNext(core, "1", now)]).toEqual([
      "A001",
      "A002",
      "A003",
    ]);
  });

  it("a priority ticket goes first", () => {
    const core = openOffice();
    issuePrinted(core, "pensions", T0);
    issuePrinted(core, "benefits", T0 + 5 * MINUTE, 1);
    expect(callNext(core, "1", T0 + 6 * MINUTE)).toBe("B001");
  });

  it("weights scale the waited time: weight 2 wins until the other has waited twice as long", () => {
    const core = openOffice(); // counter 2: benefits weight 2, documents weight 1
    issuePrinted(core, "documents", T0);
    issuePrinted(core, "benefits", T0 + 4 * MINUTE);
    // At +10: documents waited 10 (x1 = 10), benefits waited 6 (x2 = 12).
    expect(callNext(core, "2", T0 + 10 * MINUTE)).toBe("B001");
    issuePrinted(core, "benefits", T0 + 10 * MINUTE);
    // At +12: documents 12 x1 = 12, benefits 2 x2 = 4.
    expect(callNext(core, "2", T0 + 12 * MINUTE)).toBe("C001");
  });

  it("an overdue ticket beats priority and weights", () => {
    const core = openOffice(); // maxWaitMinutes 30 for pensions and benefits
    issuePrinted(core, "pensions", T0);
    issuePrinted(core, "benefits", T0 + 29 * MINUTE, 5);
    expect(callNext(core, "1", T0 + 31 * MINUTE)).toBe("A001");
  });

  it("ties go to the earlier arrival, then the earlier issue", () => {
    const core = openOffice();
    issuePrinted(core, "benefits", T0);
    issuePrinted(core, "pensions", T0);
    expect(callNext(core, "1", T0)).toBe("B001");
  });

  it("a counter calls only its own services", () => {
    const core = openOffice();
    issuePrinted(core, "documents", T0);
    expect(core.execute({ type: "call_next", counter: "1" }, T0)).toMatchObject({
      ok: false,
      error: { code: "QUEUE_EMPTY", message: "no ticket waits for counter 1" },
    });
  });
});

describe("starvation", () => {
  // Counter 1 strongly prefers pensions (weight 20) and is the only one serving benefits; pensions
  // alone would keep it busy all day. Benefits must still be called within its maximum wait.
  const config = officeConfig({
    services: [
      { id: "pensions", prefix: "A", names: { en: "P" }, maxWaitMinutes: 600 },
      { id: "benefits", prefix: "B", names: { en: "B" }, maxWaitMinutes: 30 },
    ],
    counters: [
      {
        id: "1",
        services: [
          { service: "pensions", weight: 20 },
          { service: "benefits", weight: 1 },
        ],
      },
      { id: "2", services: ["pensions"] },
    ],
  });
  const run = (seed: number, cfg = config) => {
    const core = QueueCore.fromConfig(cfg);
    core.applyBodies(core.rollover(T0), T0);
    for (const counter of ["1", "2"]) expectOk(core.execute({ type: "open", counter }, T0));
    return simulateDay({
      core,
      start: T0,
      minutes: 8 * 60,
      arrivals: { pensions: 0.36, benefits: 0.03 },
      serviceMinutes: 5,
      counters: ["1", "2"],
      seed,
    });
  };

  it("the maximum-wait boost keeps a low-weight service from starving", () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const { calls } = run(seed);
      const benefits = calls.filter((c) => c.service === "benefits");
      expect(benefits.length).toBeGreaterThan(5);
      // Overdue at 30 min, then called when counter 1 is next free (at most one service time, 7.5 min).
      expect(Math.max(...benefits.map((c) => c.waitedMinutes))).toBeLessThanOrEqual(30 + 7.5);
    }
  });

  it("without the boost, the same day starves it (the test above would catch a broken boost)", () => {
    const noBoost = structuredClone(config);
    noBoost.services[1]!.maxWaitMinutes = 24 * 60;
    const worst = Math.max(
      ...[1, 2, 3].flatMap((seed) =>
        run(seed, noBoost)
          .calls.filter((c) => c.service === "benefits")
          .map((c) => c.waitedMinutes),
      ),
    );
    expect(worst).toBeGreaterThan(60);
  });

  it("random offices under capacity: every ticket is called within its maximum wait plus one service", () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer(),
          weights: fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 3, maxLength: 3 }),
          load: fc.double({ min: 0.3, max: 0.85, noNaN: true }),
          share: fc.array(fc.double({ min: 0.05, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 }),
        }),
        ({ seed, weights, load, share }) => {
          const cfg = officeConfig({
            services: ["A", "B", "C"].map((prefix, i) => ({
              id: `s${i}`,
              prefix,
              names: { en: prefix },
              maxWaitMinutes: 40,
            })),
            counters: [
              { id: "1", services: [0, 1, 2].map((i) => ({ service: `s${i}`, weight: weights[i]! })) },
              {
                id: "2",
                services: [0, 1, 2].map((i) => ({ service: `s${i}`, weight: weights[(i + 1) % 3]! })),
              },
              { id: "3", services: [{ service: "s0", weight: 1 }] },
            ],
          });
          const core = QueueCore.fromConfig(cfg);
          core.applyBodies(core.rollover(T0), T0);
          for (const counter of ["1", "2", "3"]) expectOk(core.execute({ type: "open", counter }, T0));
          // Three counters at 4 minutes a customer serve 0.75 a minute; arrivals are `load` of that.
          const total = share.reduce((a, b) => a + b, 0);
          const arrivals = Object.fromEntries(
            share.map((s, i) => [`s${i}`, ((load * 0.75 * s) / total) * 0.95]),
          );
          const { calls, leftWaiting } = simulateDay({
            core,
            start: T0,
            minutes: 6 * 60,
            arrivals,
            serviceMinutes: 4,
            counters: ["1", "2", "3"],
            seed,
            drainMinutes: 60,
          });
          expect(leftWaiting).toBe(0);
          for (const call of calls) expect(call.waitedMinutes).toBeLessThanOrEqual(40 + 3 * 6);
        },
      ),
      { numRuns: 25, seed: 20261125 },
    );
  });
});

describe("estimated wait", () => {
  it("people ahead x service time / open counters, as a five-minute range", () => {
    const core = openOffice(officeConfig(), ["1"]);
    const model = core.model;
    expect(estimateWait(model, core.view, "pensions", 0)).toEqual({ minMinutes: 0, maxMinutes: 5 });
    // 4 ahead x 5 min / 1 counter = 20 -> 16..25 -> 15..25
    expect(estimateWait(model, core.view, "pensions", 4)).toEqual({ minMinutes: 15, maxMinutes: 25 });
    expectOk(core.execute({ type: "open", counter: "2" }, T0));
    // benefits: counters 1 and 2 open -> 10 min -> 8..12.5 -> 5..15
    expect(estimateWait(model, core.view, "benefits", 4)).toEqual({ minMinutes: 5, maxMinutes: 15 });
    // documents: no counter open counts as one.
    expect(estimateWait(model, core.view, "documents", 2)).toEqual({ minMinutes: 5, maxMinutes: 15 });
  });

  it("learns from observed service times and shows on waiting tickets and services", () => {
    const core = openOffice(officeConfig(), ["1"]);
    for (let i = 0; i < 3; i++) issuePrinted(core, "pensions", T0);
    for (let i = 0; i < 2; i++) {
      const t = T0 + i * 20 * MINUTE;
      for (const type of ["call_next", "start"] as const) expectOk(core.execute({ type, counter: "1" }, t));
      expectOk(core.execute({ type: "finish", counter: "1" }, t + 20 * MINUTE));
    }
    // 5 -> 8 -> 10.4 minutes.
    expect(core.view.services.get("pensions")?.serviceMinutes).toBeCloseTo(10.4);
    issuePrinted(core, "pensions", T0 + 41 * MINUTE);
    const view = core.ticketView("A004");
    expect(view?.ahead).toBe(1);
    expect(view?.estimatedWait).toEqual({ minMinutes: 5, maxMinutes: 15 });
    expect(core.serviceView("pensions", T0)).toMatchObject({
      waiting: 2,
      nextNumber: "A005",
      lastCalled: "A002",
      open: true,
      openCounters: 1,
    });
  });
});
