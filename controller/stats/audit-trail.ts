// The audit trail: who cancelled, reissued, marked a no-show, transferred, parked or called which
// ticket, when and why, read from the journal (each event's `by` is the staff user the broker
// authenticated). For the desk (desk/request/audit) and `vooru report --audit`.
import {
  AUDIT_ACTIONS,
  type AuditAction,
  type AuditPayload,
  type AuditRow,
} from "../../protocols/mqtt/stats-schemas.js";
import type { QueueEvent } from "../queue/core/types.js";
import { walkJournalDays } from "./journal-days.js";

/** Days one desk/request/audit covers at most (the CLI reads up to a report's 400). */
export const MAX_AUDIT_DAYS = 31;
/** Rows one answer carries at most over MQTT; narrow the range or name a user for more. */
export const MAX_AUDIT_ROWS = 5_000;
/** Calls and recalls are every ticket's routine: asked for by name only. */
export const DEFAULT_AUDIT_ACTIONS: readonly AuditAction[] = AUDIT_ACTIONS.filter(
  (action) => action !== "called" && action !== "recalled",
);

export interface AuditOptions {
  from: string;
  to: string;
  user?: string;
  actions?: readonly AuditAction[];
  /** At most this many rows (then truncated); default unlimited. */
  limit?: number;
  /** The journal-only note of a cancel or reissue (never sent over MQTT): for the local CLI. */
  withNotes?: boolean;
}

export type AuditRowWithNote = AuditRow & { note?: string };

interface TicketSeen {
  number: string;
  service: string;
}

/** Folds journal events into audit rows; pure, so it is tested event by event. */
export class AuditFold {
  readonly rows: AuditRowWithNote[] = [];
  truncated = false;
  private readonly tickets = new Map<string, TicketSeen>();
  private readonly actions: ReadonlySet<AuditAction>;
  /** A cancel that a reissue's ticket_reserved may follow in the same command. */
  private pendingCancel: AuditRowWithNote | null = null;
  private pendingCancelTicket: string | null = null;

  constructor(private readonly options: AuditOptions) {
    this.actions = new Set(options.actions ?? DEFAULT_AUDIT_ACTIONS);
  }

  apply(event: QueueEvent, day: string): void {
    if (event.type === "day_started") this.tickets.clear();
    const reissue = event.type === "ticket_reserved" && event.reissuedFrom !== undefined;
    if (this.pendingCancel && !(reissue && event.reissuedFrom === this.pendingCancelTicket))
      this.flushCancel();
    switch (event.type) {
      case "ticket_reserved": {
        this.tickets.set(event.ticket, { number: event.number, service: event.service });
        if (event.reissuedFrom === undefined) return;
        const old = this.tickets.get(event.reissuedFrom);
        const row = this.pendingCancel ?? this.row(event, day, "reissued", event.reissuedFrom);
        this.pendingCancel = null;
        this.pendingCancelTicket = null;
        if (!row || !old) return;
        row.action = "reissued";
        row.to = event.number;
        this.push(row);
        return;
      }
      case "ticket_called":
        this.add(event, day, "called", event.ticket, { counter: event.counter });
        return;
      case "ticket_recalled":
        this.add(event, day, "recalled", event.ticket, { counter: event.counter });
        return;
      case "ticket_no_show":
        // The controller's own no-shows (a ticket called too long ago) are nobody's act.
        if (event.automatic) return;
        this.add(event, day, "no_show", event.ticket, counterOf(event.counter));
        return;
      case "ticket_transferred": {
        this.add(event, day, "transferred", event.ticket, { ...counterOf(event.counter), to: event.to });
        const seen = this.tickets.get(event.ticket);
        if (seen) seen.service = event.to;
        return;
      }
      case "ticket_parked":
        this.add(event, day, "parked", event.ticket, counterOf(event.counter));
        return;
      case "ticket_resumed":
        this.add(event, day, "resumed", event.ticket, counterOf(event.counter));
        return;
      case "ticket_reprinted":
        this.add(event, day, "reprinted", event.ticket, {});
        return;
      case "ticket_cancelled": {
        const row = this.row(event, day, "cancelled", event.ticket);
        if (!row) return;
        row.reason = event.reason;
        const note = (event as { note?: unknown }).note;
        if (this.options.withNotes && typeof note === "string") row.note = note;
        this.pendingCancel = row;
        this.pendingCancelTicket = event.ticket;
        return;
      }
      default:
        return;
    }
  }

  /** The rows so far, a cancel still waiting to see whether a reissue follows included. */
  finish(): AuditRowWithNote[] {
    this.flushCancel();
    return this.rows;
  }

  private flushCancel(): void {
    if (this.pendingCancel) this.push(this.pendingCancel);
    this.pendingCancel = null;
    this.pendingCancelTicket = null;
  }

  private add(
    event: QueueEvent,
    day: string,
    action: AuditAction,
    ticket: string,
    extra: Partial<AuditRow>,
  ): void {
    const row = this.row(event, day, action, ticket);
    if (row) this.push(Object.assign(row, extra));
  }

  private row(event: QueueEvent, day: string, action: AuditAction, ticket: string): AuditRowWithNote | null {
    // A reissue is judged as one: its cancel shows when "reissued" is asked for.
    const wanted = this.actions.has(action) || (action === "cancelled" && this.actions.has("reissued"));
    if (!wanted) return null;
    if (this.options.user !== undefined && event.by !== this.options.user) return null;
    const seen = this.tickets.get(ticket);
    return {
      at: new Date(event.ts).toISOString(),
      day,
      action,
      ticket: seen?.number ?? ticket,
      service: seen?.service ?? "-",
      by: event.by ?? null,
    };
  }

  private push(row: AuditRowWithNote): void {
    if (!this.actions.has(row.action)) return;
    if (this.options.limit !== undefined && this.rows.length >= this.options.limit) {
      this.truncated = true;
      return;
    }
    this.rows.push(row);
  }
}

const counterOf = (counter: string | undefined) => (counter === undefined ? {} : { counter });

/** The audit trail of the journal in dataDir over the business days from..to. */
export function readAuditTrail(
  dataDir: string,
  options: AuditOptions,
): AuditPayload & { rows: AuditRowWithNote[] } {
  const fold = new AuditFold(options);
  walkJournalDays(dataDir, options.from, options.to, (event, day) => fold.apply(event, day));
  const rows = fold.finish();
  return { from: options.from, to: options.to, rows, truncated: fold.truncated };
}
