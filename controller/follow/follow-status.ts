// What the follow page shows for a token: the ticket it names (or, after a reissue, the ticket
// that replaced it), as a small JSON body with nothing personal and nothing of other customers.
// Read from the queue core in-process, never over MQTT. The lookup does the same work for a known
// and an unknown token: the index is keyed by a digest, and rebuilt only when the queue changed.
import { createHash } from "node:crypto";
import type { Language } from "../config/schema.js";
import type { QueueCore } from "../queue/core/queue.js";
import type { Ticket, TicketState } from "../queue/core/types.js";

/** The ticket's state as the customer reads it. */
export type FollowState =
  | "waiting"
  | "called"
  | "serving"
  | "parked"
  | "finished"
  | "no_show"
  | "cancelled"
  | "expired"
  | "invalid";

export interface FollowStatus {
  state: FollowState;
  /** What the customer holds ("A023"); absent for an invalid token. */
  number?: string;
  /** The service's name per language (it changes with a transfer or reissue). */
  service?: { id: string; names: Partial<Record<Language, string>> };
  /** Waiting: tickets called before this one, and the estimated wait in minutes. */
  ahead?: number;
  estimatedWait?: { minMinutes: number; maxMinutes: number };
  /** Called or serving: where to go; place is "counter", "desk" or "room" (the staff's name for it is not shown). */
  counter?: { id: string; place: string };
  /** Times the counter called this ticket again (the page sounds on each). */
  recalls?: number;
  /** When it was called (ISO). */
  calledAt?: string;
  /** The printed number the token was printed with, when the ticket was reissued since. */
  reissuedFrom?: string;
  /** The business day of the ticket. */
  day?: string;
}

const CUSTOMER_STATE: Record<TicketState, FollowState> = {
  reserved: "waiting",
  waiting: "waiting",
  called: "called",
  serving: "serving",
  parked: "parked",
  done: "finished",
  no_show: "no_show",
  cancelled: "cancelled",
  void: "cancelled",
  expired: "expired",
};

const digest = (token: string) => createHash("sha256").update(token).digest("base64url");

export class FollowLookup {
  private index = new Map<string, string>();
  private indexedSeq = -1;

  constructor(private readonly core: QueueCore) {}

  /** The status for a token: its ticket's, the newest replacement's, or "invalid". */
  status(token: string): FollowStatus {
    if (this.indexedSeq !== this.core.seq) this.rebuild();
    const id = this.index.get(digest(token));
    const first = id === undefined ? undefined : this.core.view.tickets.get(id);
    if (!first) return { state: "invalid" };
    let ticket: Ticket = first;
    // A reissue's old QR leads to the ticket that replaced it (bounded: a chain has no loops).
    for (let hops = 0; ticket.reissuedAs !== undefined && hops < 50; hops++) {
      const next = this.core.view.tickets.get(ticket.reissuedAs);
      if (!next || next.state === "void") break;
      ticket = next;
    }
    return this.describe(ticket, ticket === first ? undefined : first.number);
  }

  private rebuild(): void {
    const index = new Map<string, string>();
    for (const t of this.core.view.tickets.values()) if (t.token) index.set(digest(t.token), t.id);
    this.index = index;
    this.indexedSeq = this.core.seq;
  }

  private describe(ticket: Ticket, reissuedFrom: string | undefined): FollowStatus {
    const config = this.core.model.config;
    const service = config.services.find((s) => s.id === ticket.service);
    const view = this.core.ticketView(ticket.id);
    const state = CUSTOMER_STATE[ticket.state];
    const status: FollowStatus = {
      state,
      number: ticket.number,
      service: { id: ticket.service, names: service?.names ?? {} },
      recalls: ticket.recalls,
      ...(this.core.day ? { day: this.core.day } : {}),
      ...(reissuedFrom !== undefined ? { reissuedFrom } : {}),
    };
    if (state === "waiting" && view?.ahead !== undefined && view.estimatedWait) {
      status.ahead = view.ahead;
      status.estimatedWait = { ...view.estimatedWait };
    }
    if ((state === "called" || state === "serving") && ticket.counter !== undefined) {
      const counter = config.counters.find((c) => c.id === ticket.counter);
      status.counter = { id: ticket.counter, place: counter?.place ?? "counter" };
      if (ticket.calledAt !== undefined) status.calledAt = new Date(ticket.calledAt).toISOString();
    }
    return status;
  }
}
