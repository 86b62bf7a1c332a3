import { describe, expect, it } from "vitest";
import type { QueueCommand } from "../../../../controller/queue/core/commands.js";
import type { QueueCore } from "../../../../controller/queue/core/queue.js";
import { expectOk, issuePrinted, MINUTE, officeConfig, openOffice, T0 } from "../../../support/office.js";

function errorOf(core: QueueCore, command: QueueCommand, now = T0) {
  core.applyBodies(core.rollover(now), now);
  const before = JSON.stringify(core.toJson());
  const result = core.execute(command, now);
  if (result.ok) throw new Error(`expected an error for ${JSON.stringify(command)}`);
  // A refused command is never half applied.
  expect(JSON.stringify(core.toJson())).toBe(before);
  return result.error;
}

describe("issue and print", () => {
  it("reserves a number, and only the print confirmation puts it in the queue", () => {
    const core = openOffice();
    const reserved = expectOk(core.execute({ type: "issue", service: "pensions", printer: "kiosk" }, T0));
    expect(reserved.events.map((e) => e.type)).toEqual(["ticket_reserved"]);
    const ticket = core.ticket("A001");
    expect(ticket).toMatchObject({
      id: "2026-11-24-A001",
      state: "reserved",
      printer: "kiosk",
      arrivedAt: T0,
    });
    // While it prints, its view already says the place it will take (for the paper).
    expect(core.ticketView("A001")).toMatchObject({
      ahead: 0,
      estimatedWait: { minMinutes: 0, maxMinutes: 5 },
    });
    expect(core.openTickets()).toEqual([]);
    expectOk(core.execute({ type: "confirm_print", ticket: "2026-11-24-A001" }, T0 + 1000));
    expect(core.openTickets().map((t) => [t.number, t.state, t.ahead])).toEqual([["A001", "waiting", 0]]);
    expect(core.view.services.get("pensions")?.issued).toBe(1);
  });

  it("voids the number of a failed print: never called, never reused", () => {
    const core = openOffice();
    expectOk(core.execute({ type: "issue", service: "pensions" }, T0));
    expectOk(core.execute({ type: "fail_print", ticket: "A001", reason: "paper_out" }, T0));
    expect(core.ticket("A001")).toMatchObject({ state: "void", printFailure: "paper_out" });
    expect(errorOf(core, { type: "call_next", counter: "1" }).code).toBe("QUEUE_EMPTY");
    expectOk(core.execute({ type: "issue", service: "pensions" }, T0));
    expect(core.ticket("A002")?.state).toBe("reserved");
    expect(core.view.services.get("pensions")?.voided).toBe(1);
  });

  it("refuses to confirm a print twice", () => {
    const core = openOffice();
    issuePrinted(core, "pensions", T0);
    expect(errorOf(core, { type: "confirm_print", ticket: "A001" }).code).toBe("INVALID_STATE");
    expect(errorOf(core, { type: "fail_print", ticket: "A001", reason: "x" }).code).toBe("INVALID_STATE");
    expect(errorOf(core, { type: "confirm_print", ticket: "A999" }).code).toBe("TICKET_NOT_FOUND");
  });

  it("refuses unknown services and bad priorities", () => {
    const core = openOffice();
    expect(errorOf(core, { type: "issue", service: "nope" }).code).toBe("SERVICE_NOT_FOUND");
    expect(errorOf(core, { type: "issue", service: "pensions", priority: 10 }).code).toBe(
      "VALIDATION_FAILED",
    );
    expect(errorOf(core, { type: "issue", service: "pensions", priority: 1.5 }).code).toBe(
      "VALIDATION_FAILED",
    );
  });

  it("refuses a closed service", () => {
    const config = officeConfig();
    config.services[0] = { ...config.services[0]!, hours: { tue: ["10:00-12:00"] } };
    const core = openOffice(config);
    expect(errorOf(core, { type: "issue", service: "pensions" }).code).toBe("SERVICE_CLOSED");
    expectOk(core.execute({ type: "issue", service: "pensions" }, T0 + 60 * MINUTE));
  });
});

describe("counters", () => {
  it("open, pause and close; a paused or closed counter cannot call", () => {
    const core = openOffice(officeConfig(), []);
    issuePrinted(core, "pensions", T0);
    expect(errorOf(core, { type: "call_next", counter: "1" })).toMatchObject({
      code: "INVALID_STATE",
      message: "counter 1 is closed",
    });
    expectOk(core.execute({ type: "open", counter: "1" }, T0));
    expectOk(core.execute({ type: "pause", counter: "1" }, T0));
    expect(errorOf(core, { type: "call_next", counter: "1" }).message).toBe("counter 1 is paused");
    expectOk(core.execute({ type: "open", counter: "1" }, T0));
    expectOk(core.execute({ type: "call_next", counter: "1" }, T0));
    expect(errorOf(core, { type: "close", counter: "1" }).message).toBe(
      "counter 1 still holds A001: finish it first",
    );
    expect(errorOf(core, { type: "open", counter: "9" }).code).toBe("COUNTER_NOT_FOUND");
    expect(errorOf(core, { type: "call_next", counter: "9" }).code).toBe("COUNTER_NOT_FOUND");
  });

  it("a counter holding a ticket must finish it before calling the next", () => {
    const core = openOffice();
    issuePrinted(core, "pensions", T0);
    issuePrinted(core, "pensions", T0);
    expectOk(core.execute({ type: "call_next", counter: "1" }, T0));
    expect(errorOf(core, { type: "call_next", counter: "1" }).message).toBe(
      "counter 1 still holds A001: finish it first",
    );
  });
});

describe("the serving lifecycle", () => {
  it("call -> recall -> start -> finish", () => {
    const core = openOffice();
    issuePrinted(core, "pensions", T0);
    const called = expectOk(core.execute({ type: "call_next", counter: "1" }, T0 + MINUTE));
    expect(called.events).toMatchObject([{ type: "ticket_called", counter: "1", ticket: "2026-11-24-A001" }]);
    expect(core.ticket("A001")).toMatchObject({ state: "called", counter: "1", calledAt: T0 + MINUTE });
    expect(core.view.counters.get("1")?.ticket).toBe("2026-11-24-A001");
    expect(core.view.services.get("pensions")?.lastCalled).toBe("A001");
    expectOk(core.execute({ type: "recall", counter: "1" }, T0 + 2 * MINUTE));
    expectOk(core.execute({ type: "recall", counter: "1" }, T0 + 3 * MINUTE));
    expect(core.ticket("A001")?.recalls).toBe(2);
    expectOk(core.execute({ type: "start", counter: "1" }, T0 + 4 * MINUTE));
    expect(errorOf(core, { type: "recall", counter: "1" }).code).toBe("INVALID_STATE");
    expectOk(core.execute({ type: "finish", counter: "1" }, T0 + 14 * MINUTE));
    expect(core.ticket("A001")).toMatchObject({ state: "done", finishedAt: T0 + 14 * MINUTE });
    expect(core.view.counters.get("1")?.ticket).toBeNull();
    // 10 minutes observed against a 5-minute default, smoothing 0.2: 5 + 0.2 * 5 = 6.
    expect(core.view.services.get("pensions")?.serviceMinutes).toBeCloseTo(6);
  });

  it("steps that need a held ticket say so", () => {
    const core = openOffice();
    for (const type of ["recall", "start", "finish", "no_show", "return", "park"] as const)
      expect(errorOf(core, { type, counter: "1" }).message).toBe("counter 1 holds no ticket");
    expect(errorOf(core, { type: "transfer", counter: "1", service: "benefits" }).code).toBe("INVALID_STATE");
    expect(errorOf(core, { type: "start", counter: "7" }).code).toBe("COUNTER_NOT_FOUND");
  });

  it("finish needs a started ticket; start needs a called one", () => {
    const core = openOffice();
    issuePrinted(core, "pensions", T0);
    expectOk(core.execute({ type: "call_next", counter: "1" }, T0));
    expect(errorOf(core, { type: "finish", counter: "1" }).message).toBe(
      "A001 is called at counter 1: expected serving",
    );
    expectOk(core.execute({ type: "start", counter: "1" }, T0));
    expect(errorOf(core, { type: "start", counter: "1" }).code).toBe("INVALID_STATE");
    expect(errorOf(core, { type: "no_show", counter: "1" }).code).toBe("INVALID_STATE");
  });

  it("no-show by hand, and automatically after N recalls when configured", () => {
    const core = openOffice(officeConfig({ queue: { autoNoShowAfterRecalls: 2 } }));
    issuePrinted(core, "pensions", T0);
    issuePrinted(core, "pensions", T0);
    expectOk(core.execute({ type: "call_next", counter: "1" }, T0));
    expectOk(core.execute({ type: "no_show", counter: "1" }, T0));
    expect(core.ticket("A001")?.state).toBe("no_show");
    expectOk(core.execute({ type: "call_next", counter: "1" }, T0));
    expectOk(core.execute({ type: "recall", counter: "1" }, T0));
    expectOk(core.execute({ type: "recall", counter: "1" }, T0));
    const third = expectOk(core.execute({ type: "recall", counter: "1" }, T0));
    expect(third.events).toMatchObject([{ type: "ticket_no_show", automatic: true }]);
    expect(core.ticket("A002")?.state).toBe("no_show");
    expect(core.view.services.get("pensions")?.noShows).toBe(2);
    expect(core.view.counters.get("1")?.ticket).toBeNull();
  });

  it("return puts a called ticket back in its place", () => {
    const core = openOffice();
    issuePrinted(core, "pensions", T0);
    issuePrinted(core, "pensions", T0 + MINUTE);
    expectOk(core.execute({ type: "call_next", counter: "1" }, T0 + 2 * MINUTE));
    expectOk(core.execute({ type: "return", counter: "1" }, T0 + 3 * MINUTE));
    expect(core.ticket("A001")).toMatchObject({ state: "waiting", recalls: 0 });
    expect(core.ticket("A001")?.counter).toBeUndefined();
    expect(core.ticketView("A001")?.ahead).toBe(0);
  });

  it("transfer keeps the arrival time and moves the ticket to the other service", () => {
    const core = openOffice();
    issuePrinted(core, "benefits", T0 + MINUTE);
    issuePrinted(core, "pensions", T0);
    expectOk(core.execute({ type: "call", counter: "1", ticket: "A001" }, T0 + 2 * MINUTE));
    expectOk(core.execute({ type: "start", counter: "1" }, T0 + 2 * MINUTE));
    expect(errorOf(core, { type: "transfer", counter: "1", service: "pensions" }).code).toBe("INVALID_STATE");
    expect(errorOf(core, { type: "transfer", counter: "1", service: "x" }).code).toBe("SERVICE_NOT_FOUND");
    const moved = expectOk(
      core.execute({ type: "transfer", counter: "1", service: "benefits" }, T0 + 5 * MINUTE),
    );
    expect(moved.events).toMatchObject([{ type: "ticket_transferred", from: "pensions", to: "benefits" }]);
    expect(core.ticket("A001")).toMatchObject({ state: "waiting", service: "benefits", arrivedAt: T0 });
    // It arrived before B001, so it is first in the benefits queue.
    expect(core.ticketView("A001")?.ahead).toBe(0);
    expect(core.ticketView("B001")?.ahead).toBe(1);
  });

  it("park and resume", () => {
    const core = openOffice();
    issuePrinted(core, "pensions", T0);
    expectOk(core.execute({ type: "call_next", counter: "1" }, T0));
    expectOk(core.execute({ type: "park", counter: "1" }, T0));
    expect(core.ticket("A001")?.state).toBe("parked");
    expect(core.view.counters.get("1")?.ticket).toBeNull();
    expect(errorOf(core, { type: "call_next", counter: "1" }).code).toBe("QUEUE_EMPTY");
    expect(errorOf(core, { type: "resume", ticket: "A002" }).code).toBe("TICKET_NOT_FOUND");
    expectOk(core.execute({ type: "resume", ticket: "A001", counter: "1" }, T0));
    expect(errorOf(core, { type: "resume", ticket: "A001" }).code).toBe("INVALID_STATE");
    expectOk(core.execute({ type: "call_next", counter: "1" }, T0));
    expect(core.ticket("A001")?.state).toBe("called");
  });

  it("call a given ticket: it must wait and be served at that counter", () => {
    const core = openOffice();
    issuePrinted(core, "documents", T0);
    issuePrinted(core, "pensions", T0);
    expect(errorOf(core, { type: "call", counter: "1", ticket: "C001" }).message).toBe(
      "counter 1 does not serve documents",
    );
    expect(errorOf(core, { type: "call", counter: "1", ticket: "A404" }).code).toBe("TICKET_NOT_FOUND");
    expectOk(core.execute({ type: "call", counter: "3", ticket: "c001" }, T0));
    expect(errorOf(core, { type: "call", counter: "2", ticket: "C001" }).code).toBe("INVALID_STATE");
  });
});

describe("cancel, reissue, reprint", () => {
  it("cancels with a reason from any queued state, and frees the counter", () => {
    const core = openOffice();
    issuePrinted(core, "pensions", T0);
    expectOk(core.execute({ type: "call_next", counter: "1" }, T0));
    expectOk(core.execute({ type: "cancel", ticket: "A001", reason: "wrong topic" }, T0));
    expect(core.ticket("A001")).toMatchObject({ state: "cancelled", cancelReason: "wrong topic" });
    expect(core.view.counters.get("1")?.ticket).toBeNull();
    expect(errorOf(core, { type: "cancel", ticket: "A001", reason: "again" }).code).toBe("INVALID_STATE");
    expect(errorOf(core, { type: "cancel", ticket: "Z9", reason: "x" }).code).toBe("TICKET_NOT_FOUND");
  });

  it("a reserved ticket cannot be cancelled while its print is pending", () => {
    const core = openOffice();
    expectOk(core.execute({ type: "issue", service: "pensions" }, T0));
    expect(errorOf(core, { type: "cancel", ticket: "A001", reason: "x" }).code).toBe("INVALID_STATE");
  });

  it("reissue: the wrong ticket is cancelled, the right one keeps the arrival time and links back", () => {
    const core = openOffice();
    issuePrinted(core, "pensions", T0);
    issuePrinted(core, "benefits", T0 + 5 * MINUTE);
    const result = expectOk(
      core.execute(
        { type: "reissue", ticket: "A001", service: "benefits", printer: "desk" },
        T0 + 10 * MINUTE,
      ),
    );
    expect(result.events.map((e) => e.type)).toEqual(["ticket_cancelled", "ticket_reserved"]);
    expect(core.ticket("A001")).toMatchObject({
      state: "cancelled",
      cancelReason: "reissued for benefits",
      reissuedAs: "2026-11-24-B002",
    });
    expectOk(core.execute({ type: "confirm_print", ticket: "B002" }, T0 + 10 * MINUTE));
    expect(core.ticket("B002")).toMatchObject({
      state: "waiting",
      arrivedAt: T0,
      reissuedFrom: "2026-11-24-A001",
      printer: "desk",
    });
    // The customer keeps their place: B002 arrived before B001.
    expect(core.ticketView("B002")?.ahead).toBe(0);
    expect(errorOf(core, { type: "reissue", ticket: "A001", service: "documents" }).message).toBe(
      "A001 was already reissued as B002",
    );
  });

  it("a reissue whose print failed can be tried again; a failed reissue changes nothing", () => {
    const core = openOffice();
    issuePrinted(core, "pensions", T0);
    expect(errorOf(core, { type: "reissue", ticket: "A001", service: "nope" }).code).toBe(
      "SERVICE_NOT_FOUND",
    );
    expect(core.ticket("A001")?.state).toBe("waiting");
    expectOk(core.execute({ type: "reissue", ticket: "A001", service: "benefits" }, T0));
    expectOk(core.execute({ type: "fail_print", ticket: "B001", reason: "paper_out" }, T0));
    expectOk(core.execute({ type: "reissue", ticket: "A001", service: "benefits" }, T0 + MINUTE));
    expect(core.ticket("A001")?.reissuedAs).toBe("2026-11-24-B002");
    expect(core.ticket("B002")?.arrivedAt).toBe(T0);
  });

  it("a voided ticket can be reissued (the customer holds a ticket whose print was not confirmed)", () => {
    const core = openOffice();
    expectOk(core.execute({ type: "issue", service: "pensions" }, T0));
    expectOk(core.execute({ type: "fail_print", ticket: "A001", reason: "timeout" }, T0));
    expectOk(core.execute({ type: "reissue", ticket: "A001", service: "pensions" }, T0 + MINUTE));
    expect(core.ticket("A002")).toMatchObject({ arrivedAt: T0, reissuedFrom: "2026-11-24-A001" });
  });

  it("done tickets cannot be reissued", () => {
    const core = openOffice();
    issuePrinted(core, "pensions", T0);
    for (const type of ["call_next", "start", "finish"] as const)
      expectOk(core.execute({ type, counter: "1" }, T0));
    expect(errorOf(core, { type: "reissue", ticket: "A001", service: "benefits" }).code).toBe(
      "INVALID_STATE",
    );
  });

  it("reprint records the printer and leaves the state", () => {
    const core = openOffice();
    issuePrinted(core, "pensions", T0);
    const result = expectOk(core.execute({ type: "reprint", ticket: "A001", printer: "desk" }, T0));
    expect(result.events).toMatchObject([{ type: "ticket_reprinted", printer: "desk" }]);
    expect(core.ticket("A001")).toMatchObject({ state: "waiting", printer: "desk" });
    expect(errorOf(core, { type: "reprint", ticket: "A009" }).code).toBe("TICKET_NOT_FOUND");
    expectOk(core.execute({ type: "cancel", ticket: "A001", reason: "x" }, T0));
    expect(errorOf(core, { type: "reprint", ticket: "A001" }).code).toBe("INVALID_STATE");
  });
});

describe("the place a ticket being printed will take", () => {
  it("counts the waiting tickets of its service called before it, priority first", () => {
    const core = openOffice();
    issuePrinted(core, "pensions", T0);
    issuePrinted(core, "pensions", T0 + MINUTE, 1);
    issuePrinted(core, "benefits", T0);
    expectOk(core.execute({ type: "issue", service: "pensions" }, T0 + 2 * MINUTE));
    expect(core.ticketView("A003")).toMatchObject({ state: "reserved", ahead: 2 });
    expectOk(core.execute({ type: "issue", service: "pensions", priority: 1 }, T0 + 3 * MINUTE));
    expect(core.ticketView("A004")).toMatchObject({ state: "reserved", ahead: 1 });
  });
});
