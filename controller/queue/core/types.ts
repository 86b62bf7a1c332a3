// Types of the queue core: tickets, counters, the domain events of the journal, and error codes.

export type TicketState =
  | "reserved" // number consumed, printer not yet confirmed
  | "waiting"
  | "called"
  | "serving"
  | "parked"
  | "done"
  | "no_show"
  | "cancelled"
  | "void" // print failed: the number is spent and never called
  | "expired"; // still open at the daily reset

/** States in which a ticket holds its number (it cannot be reused by a wrapping range). */
export const OPEN_STATES: ReadonlySet<TicketState> = new Set([
  "reserved",
  "waiting",
  "called",
  "serving",
  "parked",
]);
/** Open tickets a customer holds: what the `tickets` topic publishes. */
export const QUEUED_STATES: ReadonlySet<TicketState> = new Set(["waiting", "called", "serving", "parked"]);

export interface Ticket {
  /** Unique for ever: `{day}-{number}`, with a suffix if a wrapped range issues the number again. */
  id: string;
  /** What the customer reads: prefix + zero-padded number, "A023". */
  number: string;
  service: string;
  state: TicketState;
  /** 0 normal; higher is called first. */
  priority: number;
  /** When this ticket was reserved (epoch ms). */
  issuedAt: number;
  /** When the customer first arrived: kept across transfer and reissue, so they keep their place. */
  arrivedAt: number;
  calledAt?: number;
  startedAt?: number;
  finishedAt?: number;
  counter?: string;
  recalls: number;
  reissuedFrom?: string;
  reissuedAs?: string;
  /**
   * The customer's key to the follow page (controller/follow/): random, base64url, drawn by the
   * caller (the core is pure). Never published on MQTT; old journals' tickets have none.
   */
  token?: string;
  /**
   * A checked-in booked visit (controller/appointments/): the appointment's time (epoch ms). The
   * call order (call-order.ts) calls it at that time ahead of walk-ins.
   */
  appointmentAt?: number;
  cancelReason?: string;
  printer?: string;
  printFailure?: string;
}

export type CounterStatus = "open" | "paused" | "closed";

export interface CounterState {
  id: string;
  status: CounterStatus;
  /** The ticket called to or served at this counter. */
  ticket: string | null;
}

export interface ServiceStats {
  /** Next number to try (it may be skipped if still open after a wrap). */
  nextNumber: number;
  /** Display number of the last ticket called for this service today. */
  lastCalled: string | null;
  /** Moving average of start -> finish, minutes. */
  serviceMinutes: number;
  issued: number;
  finished: number;
  noShows: number;
  cancelled: number;
  voided: number;
}

export interface DayTotals {
  day: string;
  issued: number;
  finished: number;
  noShows: number;
  cancelled: number;
  voided: number;
  expired: number;
}

export interface QueueState {
  /** Journal sequence number of the last event applied (0 = none). */
  seq: number;
  /** Business day "YYYY-MM-DD" in the office's time zone, shifted by the daily reset. */
  day: string | null;
  /** Every ticket of the current day, in issue order (Map keeps insertion order). */
  tickets: Map<string, Ticket>;
  counters: Map<string, CounterState>;
  services: Map<string, ServiceStats>;
  /** Totals of days already closed, newest last (bounded). */
  history: DayTotals[];
}

// ---------------------------------------------------------------- events

interface EventBase {
  /** Journal sequence: grows by one per event, for ever. Assigned when appended. */
  seq: number;
  /** Epoch ms from the injected clock. */
  ts: number;
  /**
   * The staff user whose request caused it, as the MQTT broker authenticated them; absent for
   * the kiosk, the controller's own timers and requests the broker did not attribute.
   */
  by?: string;
}

export type QueueEventBody =
  | { type: "day_started"; day: string }
  | { type: "day_ended"; day: string; expired: string[] }
  | {
      type: "ticket_reserved";
      ticket: string;
      number: string;
      numeric: number;
      service: string;
      priority: number;
      arrivedAt: number;
      printer?: string;
      reissuedFrom?: string;
      /** The follow page's token (see Ticket.token). */
      token?: string;
      /** A checked-in appointment's time (see Ticket.appointmentAt). */
      appointmentAt?: number;
    }
  | { type: "ticket_issued"; ticket: string }
  | { type: "print_failed"; ticket: string; reason: string }
  | { type: "ticket_called"; ticket: string; counter: string }
  | { type: "ticket_recalled"; ticket: string; counter: string }
  | { type: "ticket_started"; ticket: string; counter: string }
  | { type: "ticket_finished"; ticket: string; counter: string }
  | { type: "ticket_no_show"; ticket: string; counter?: string; automatic?: boolean }
  | { type: "ticket_returned"; ticket: string; counter: string }
  | { type: "ticket_transferred"; ticket: string; from: string; to: string; counter?: string }
  | { type: "ticket_parked"; ticket: string; counter?: string }
  | { type: "ticket_resumed"; ticket: string; counter?: string }
  // note: staff's free text, in the journal only: never published (it may hold personal data).
  | { type: "ticket_cancelled"; ticket: string; reason: string; note?: string }
  | { type: "ticket_reprinted"; ticket: string; printer?: string }
  | { type: "counter_opened"; counter: string }
  | { type: "counter_paused"; counter: string }
  | { type: "counter_closed"; counter: string };

export type QueueEvent = EventBase & QueueEventBody;
export type QueueEventType = QueueEventBody["type"];

// ---------------------------------------------------------------- errors

export type QueueErrorCode =
  | "QUEUE_EMPTY"
  | "TICKET_NOT_FOUND"
  | "INVALID_STATE"
  | "SERVICE_CLOSED"
  | "SERVICE_NOT_FOUND"
  | "COUNTER_NOT_FOUND"
  | "RANGE_EXHAUSTED"
  | "VALIDATION_FAILED"
  // The journal could not be written (disk full, card failing): nothing was changed.
  | "JOURNAL_UNAVAILABLE"
  // The system clock is not synchronised yet: new tickets wait for it (controller/clock/).
  | "CLOCK_UNSYNCHRONISED";

export interface QueueError {
  code: QueueErrorCode;
  message: string;
}

export type Decision = { ok: true; events: QueueEventBody[] } | { ok: false; error: QueueError };
