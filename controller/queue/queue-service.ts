// The office's operations as the contract names them: counter, desk and system verbs run against
// the durable queue, with printing for the verbs that put a ticket in a customer's hand.
import type { ErrorCode } from "../../protocols/mqtt/schemas.js";
import type { RequestTarget } from "../../protocols/mqtt/topics.js";
import { newFollowToken } from "../follow/token.js";
import type { HealthBoard } from "../health/health-board.js";
import type { Logger } from "../health/log.js";
import { contractTicketById } from "../mqtt/contract-views.js";
import type { PrintService } from "../printing/print-service.js";
import { type ResolvedReason, resolveCancelReason } from "./cancel-reason.js";
import type { QueueCommand } from "./core/commands.js";
import type { QueueEvent } from "./core/types.js";
import type { DurableQueue } from "./durable-queue.js";

export type ActionResult =
  | { ok: true; result: Record<string, unknown> }
  | {
      ok: false;
      error: { code: ErrorCode; message: string; issues?: Array<{ path: string; message: string }> };
      /** The number reserved for this request and voided because its ticket did not print. */
      voided?: string;
    };

/** Arguments of a request after validation (the envelope fields are ignored here). */
export type RequestArgs = Record<string, unknown>;

export const JOURNAL_DEVICE = "journal";

export class QueueService {
  /**
   * Tickets that came out of the printer but whose confirmation could not be journaled (disk
   * full, failing card): the customer holds the paper, so each joins the queue as soon as the
   * journal takes a write again (see confirmPrinted).
   */
  private readonly printedUnconfirmed = new Set<string>();

  constructor(
    readonly queue: DurableQueue,
    private readonly printing: PrintService,
    private readonly health: HealthBoard,
    private readonly log: Logger,
    /** Draws each new ticket's follow-page token (controller/follow/token.ts); tests inject theirs. */
    private readonly newToken: () => string = newFollowToken,
  ) {
    health.register(JOURNAL_DEVICE, "journal");
  }

  /** `by`: the staff user who asked, as the broker vouches; journaled with what it changes. */
  async run(target: RequestTarget, args: RequestArgs, by?: string): Promise<ActionResult> {
    switch (target.scope) {
      case "counter":
        return this.counterVerb(target.counter, target.verb, args, by);
      case "desk":
        return this.deskVerb(target.verb, args, by);
      case "system":
        // resync is the bridge's business: it republishes the retained state.
        return { ok: true, result: {} };
      case "sim":
        // Simulated devices are the simulation's business (the bridge routes them there).
        return {
          ok: false,
          error: { code: "DEVICE_UNAVAILABLE", message: "this office has no simulated devices" },
        };
      case "appointments":
        // The appointments room's business (controller/appointments/; the bridge routes them there).
        return fail("INTERNAL_ERROR", "this controller does not take appointment requests");
    }
  }

  private counterVerb(counter: string, verb: string, args: RequestArgs, by?: string): ActionResult {
    let command: QueueCommand;
    switch (verb) {
      case "call":
        command = { type: "call", counter, ticket: String(args.ticket) };
        break;
      case "transfer":
        command = { type: "transfer", counter, service: String(args.service) };
        break;
      case "resume":
        command = { type: "resume", counter, ticket: String(args.ticket) };
        break;
      default:
        command = { type: verb, counter } as QueueCommand;
    }
    const result = this.execute(command, by);
    if (!result.ok) return result;
    const state = this.queue.core.view.counters.get(counter);
    const ticketId = lastTicketOf(result.events);
    return {
      ok: true,
      result: {
        counter: { id: counter, status: state?.status ?? "closed" },
        ticket: ticketId ? contractTicketById(this.queue.core, ticketId) : null,
      },
    };
  }

  private async deskVerb(verb: string, args: RequestArgs, by?: string): Promise<ActionResult> {
    const printer = args.printer === undefined ? undefined : String(args.printer);
    switch (verb) {
      case "issue": {
        if (printer !== undefined && !this.printing.has(printer))
          return fail("DEVICE_UNAVAILABLE", `no printer ${printer}`);
        const priority = args.priority === undefined ? undefined : Number(args.priority);
        const command: QueueCommand = {
          type: "issue",
          service: String(args.service),
          printer,
          token: this.newToken(),
        };
        if (priority !== undefined) command.priority = priority;
        return this.issueAndPrint(command, printer, by);
      }
      case "reissue": {
        if (printer !== undefined && !this.printing.has(printer))
          return fail("DEVICE_UNAVAILABLE", `no printer ${printer}`);
        const command: QueueCommand = {
          type: "reissue",
          ticket: String(args.ticket),
          service: String(args.service),
          printer,
          token: this.newToken(),
        };
        const why = this.cancelReason("reissue", args);
        if (!why.ok) return why;
        command.reason = why.reason;
        if (why.note !== undefined) command.note = why.note;
        return this.issueAndPrint(command, printer, by);
      }
      case "cancel": {
        const why = this.cancelReason("cancel", args);
        if (!why.ok) return why;
        const { reason, note } = why;
        const result = this.execute(
          { type: "cancel", ticket: String(args.ticket), reason, ...(note !== undefined ? { note } : {}) },
          by,
        );
        if (!result.ok) return result;
        return { ok: true, result: { ticket: this.ticketOf(result.events) } };
      }
      case "reprint": {
        if (printer !== undefined && !this.printing.has(printer))
          return fail("DEVICE_UNAVAILABLE", `no printer ${printer}`);
        const result = this.execute({ type: "reprint", ticket: String(args.ticket), printer }, by);
        if (!result.ok) return result;
        const id = lastTicketOf(result.events);
        const view = id ? this.queue.core.ticketView(id) : undefined;
        if (!view) return fail("TICKET_NOT_FOUND", `no ticket ${String(args.ticket)}`);
        const printed = await this.printing.print(view, printer);
        if (!printed.ok) return fail(printed.code, `reprint of ${view.number} failed: ${printed.reason}`);
        return { ok: true, result: { ticket: this.ticketOf(result.events) } };
      }
      default:
        return fail("VALIDATION_FAILED", `unknown desk verb ${verb}`);
    }
  }

  /**
   * A booked customer's check-in (controller/appointments/): the desk's issue path. With
   * appointmentAt the ticket is called at that time (call-order.ts); without, it is a walk-in.
   * No printer: handed out by hand, as the desk's issue.
   */
  issueAppointment(
    service: string,
    appointmentAt: number | undefined,
    printer: string | undefined,
    by?: string,
  ): Promise<ActionResult> {
    if (printer !== undefined && !this.printing.has(printer))
      return Promise.resolve(fail("DEVICE_UNAVAILABLE", `no printer ${printer}`));
    const command: QueueCommand = { type: "issue", service, printer, token: this.newToken() };
    if (appointmentAt !== undefined) command.appointmentAt = appointmentAt;
    return this.issueAndPrint(command, printer, by);
  }

  /** A kiosk button press (controller/panels/): the desk's issue path, at the panel's printer. */
  issueAtKiosk(service: string, printer: string): Promise<ActionResult> {
    return this.issueAndPrint({ type: "issue", service, printer, token: this.newToken() }, printer);
  }

  /** The request's reason as a configured code, and its note (journal only); refused naming `reason`. */
  private cancelReason(
    verb: string,
    args: RequestArgs,
  ): Extract<ResolvedReason, { ok: true }> | Extract<ActionResult, { ok: false }> {
    const given = args.reason === undefined ? undefined : String(args.reason);
    const note = args.note === undefined ? undefined : String(args.note);
    const why = resolveCancelReason(this.queue.core.model.config.cancelReasons, given, note);
    if (!why.ok) {
      const refused = fail("VALIDATION_FAILED", `invalid ${verb} request: reason: ${why.message}`);
      refused.error.issues = [{ path: "reason", message: why.message }];
      return refused;
    }
    if (why.freeText)
      this.log.warn(
        `desk ${verb} of ${String(args.ticket)}: a free-text reason was taken as "${why.reason}", the text kept as the journal note only; send a code of cancelReasons`,
      );
    return why;
  }

  /** Reserve (durable) -> print -> confirm, or void the number if the print did not come out. */
  private async issueAndPrint(
    command: QueueCommand,
    printer: string | undefined,
    by?: string,
  ): Promise<ActionResult> {
    const reserved = this.execute(command, by);
    if (!reserved.ok) return reserved;
    const reservedEvent = reserved.events.findLast((e) => e.type === "ticket_reserved");
    const view = reservedEvent ? this.queue.core.ticketView(reservedEvent.ticket) : undefined;
    if (!reservedEvent || !view) return fail("INTERNAL_ERROR", "the reserved ticket vanished");
    const printed = await this.printing.print(view, printer);
    const finish = printed.ok
      ? this.execute({ type: "confirm_print", ticket: view.id }, by)
      : this.execute({ type: "fail_print", ticket: view.id, reason: printed.reason }, by);
    if (!finish.ok) {
      if (!printed.ok || finish.error.code !== "JOURNAL_UNAVAILABLE") return finish;
      this.printedUnconfirmed.add(view.id);
      return fail(
        "JOURNAL_UNAVAILABLE",
        `${view.number} was printed but the journal cannot be written; it joins the queue as soon as it can (${finish.error.message})`,
      );
    }
    if (!printed.ok)
      return {
        ...fail(
          printed.code === "DEVICE_UNAVAILABLE" ? "DEVICE_UNAVAILABLE" : "PRINT_FAILED",
          `${view.number} was not printed (${printed.reason}); the number is void`,
        ),
        voided: view.number,
      };
    return { ok: true, result: { ticket: contractTicketById(this.queue.core, view.id) } };
  }

  private execute(
    command: QueueCommand,
    by?: string,
  ): { ok: true; events: QueueEvent[] } | Extract<ActionResult, { ok: false }> {
    this.confirmPrinted();
    const result = this.queue.execute(command, by);
    if (result.ok) {
      this.health.report(JOURNAL_DEVICE, { status: "ok" });
      this.health.clear(JOURNAL_DEVICE, "JOURNAL_UNAVAILABLE");
      return result;
    }
    if (result.error.code === "JOURNAL_UNAVAILABLE") {
      this.health.report(JOURNAL_DEVICE, { status: "degraded", faults: ["write_failed"] });
      this.health.raise({
        device: JOURNAL_DEVICE,
        code: "JOURNAL_UNAVAILABLE",
        severity: "critical",
        message: `${result.error.message}: new tickets and calls are refused until it can be written`,
      });
      this.log.error(result.error.message);
    }
    return fail(result.error.code, result.error.message);
  }

  /** Confirms printed tickets the journal could not take before; keeps those it still cannot. */
  private confirmPrinted(): void {
    for (const id of [...this.printedUnconfirmed]) {
      const result = this.queue.execute({ type: "confirm_print", ticket: id });
      if (!result.ok && result.error.code === "JOURNAL_UNAVAILABLE") return;
      this.printedUnconfirmed.delete(id);
      if (!result.ok) this.log.warn(`printed ticket ${id} could not join the queue: ${result.error.message}`);
      else {
        this.health.report(JOURNAL_DEVICE, { status: "ok" });
        this.health.clear(JOURNAL_DEVICE, "JOURNAL_UNAVAILABLE");
        this.log.info(`printed ticket ${id} joined the queue now that the journal can be written`);
      }
    }
  }

  private ticketOf(events: QueueEvent[]) {
    const id = lastTicketOf(events);
    return id ? contractTicketById(this.queue.core, id) : null;
  }
}

function fail(code: ErrorCode, message: string): Extract<ActionResult, { ok: false }> {
  return { ok: false, error: { code, message } };
}

function lastTicketOf(events: readonly QueueEvent[]): string | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i];
    if (e && "ticket" in e) return e.ticket;
  }
  return undefined;
}
