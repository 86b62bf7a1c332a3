// What the statistics need of one business day, folded from its journal events: one fact per
// ticket and each counter's status spans. A closed day's record is also its compacted summary
// (day-summaries.ts), so a report reads the same thing from a summary as from the journal.
import type { CounterStatus, QueueEvent } from "../queue/core/types.js";

/** How a ticket ended; the outcomes of printed tickets partition `issued`. */
export type TicketOutcome =
  | "served" // ticket_finished
  | "no_show" // ticket_no_show
  | "cancelled" // ticket_cancelled, unless a printed replacement followed (then "reissued")
  | "reissued" // a replacement ticket of another (or the same) service was printed for it
  | "expired" // still open at the day's end (day_ended.expired)
  | "void" // the print failed: never in the customer's hand, not counted as issued
  | "open"; // still in the queue (today, live)

export interface TicketFact {
  id: string;
  number: string;
  /** The service it was issued for (ticket_reserved.service): its group in every figure. */
  service: string;
  /** The service it was in at the end, after transfers. */
  finalService: string;
  priority: number;
  /** The customer's arrival (kept across a reissue): where the waiting time starts. */
  arrivedAt: number;
  /** ticket_reserved. */
  issuedAt: number;
  /** ticket_issued: the paper came out. */
  printed: boolean;
  /** The first ticket_called. */
  firstCalledAt?: number;
  /** First ticket_started minus the ticket_called that began that visit (recalls do not restart it). */
  walkMs?: number;
  /** ticket_finished minus the ticket_started of the visit that finished. */
  serviceMs?: number;
  /** The last counter that called it. */
  counter?: string;
  /** The staff user who acted on it last (an event's `by`); absent: the kiosk or the controller only. */
  staff?: string;
  recalls: number;
  returns: number;
  transfers: number;
  parks: number;
  reissuedFrom?: string;
  /** A checked-in booked visit: its time (ticket_reserved.appointmentAt). */
  appointmentAt?: number;
  outcome: TicketOutcome;
  closedAt?: number;
}

export interface CounterSpan {
  counter: string;
  status: CounterStatus;
  from: number;
  to: number;
}

/** A counter's time on a ticket: call to the end of the visit (finish, no-show, return, ...). */
export interface BusySpan {
  counter: string;
  from: number;
  /** When serving began (ticket_started), if it did. */
  startedAt?: number;
  to: number;
}

export interface DayRecord {
  day: string;
  /** Epoch ms of day_started; of day_ended when closed, else the moment the record was taken. */
  from: number;
  to: number;
  closed: boolean;
  tickets: TicketFact[];
  counters: CounterSpan[];
  busy: BusySpan[];
}

interface OpenVisit {
  counter: string;
  calledAt: number;
  startedAt?: number;
}

/**
 * Folds one day's events, each in O(1): the live figures of today and the summary of a closed
 * day come from the same code.
 */
export class DayFold {
  private readonly tickets = new Map<string, TicketFact>();
  private readonly visits = new Map<string, OpenVisit>();
  private readonly counterState = new Map<string, { status: CounterStatus; since: number }>();
  private readonly counterSpans: CounterSpan[] = [];
  private readonly busySpans: BusySpan[] = [];
  private endedAt: number | null = null;

  constructor(
    readonly day: string,
    readonly startedAt: number,
  ) {}

  get closed(): boolean {
    return this.endedAt !== null;
  }

  /** The staff user of the event (the broker's username), as the ticket's last actor. */
  private noteStaff(event: QueueEvent): void {
    if (event.by === undefined || !("ticket" in event)) return;
    const fact = this.tickets.get(event.ticket);
    if (fact) fact.staff = event.by;
  }

  apply(event: QueueEvent): void {
    if (this.endedAt !== null) return;
    const ts = event.ts;
    this.noteStaff(event);
    switch (event.type) {
      case "day_started":
        return;
      case "day_ended": {
        for (const id of event.expired) this.close(id, "expired", ts);
        for (const id of [...this.visits.keys()]) this.endVisit(id, ts);
        for (const counter of [...this.counterState.keys()]) this.setCounter(counter, "closed", ts);
        this.endedAt = ts;
        return;
      }
      case "ticket_reserved": {
        const fact: TicketFact = {
          id: event.ticket,
          number: event.number,
          service: event.service,
          finalService: event.service,
          priority: event.priority,
          arrivedAt: event.arrivedAt,
          issuedAt: ts,
          printed: false,
          recalls: 0,
          returns: 0,
          transfers: 0,
          parks: 0,
          outcome: "open",
        };
        if (event.reissuedFrom !== undefined) fact.reissuedFrom = event.reissuedFrom;
        if (event.appointmentAt !== undefined) fact.appointmentAt = event.appointmentAt;
        this.tickets.set(fact.id, fact);
        return;
      }
      case "ticket_issued": {
        const fact = this.tickets.get(event.ticket);
        if (!fact) return;
        fact.printed = true;
        const old = fact.reissuedFrom === undefined ? undefined : this.tickets.get(fact.reissuedFrom);
        if (old?.printed) old.outcome = "reissued";
        return;
      }
      case "print_failed":
        this.close(event.ticket, "void", ts);
        return;
      case "ticket_called": {
        const fact = this.tickets.get(event.ticket);
        if (!fact) return;
        fact.firstCalledAt ??= ts;
        fact.counter = event.counter;
        this.visits.set(fact.id, { counter: event.counter, calledAt: ts });
        return;
      }
      case "ticket_recalled": {
        const fact = this.tickets.get(event.ticket);
        if (fact) fact.recalls++;
        return;
      }
      case "ticket_started": {
        const fact = this.tickets.get(event.ticket);
        const visit = this.visits.get(event.ticket);
        if (!fact || !visit) return;
        visit.startedAt = ts;
        fact.walkMs ??= ts - visit.calledAt;
        return;
      }
      case "ticket_finished": {
        const fact = this.tickets.get(event.ticket);
        const visit = this.visits.get(event.ticket);
        if (fact && visit?.startedAt !== undefined) fact.serviceMs = ts - visit.startedAt;
        this.endVisit(event.ticket, ts);
        this.close(event.ticket, "served", ts);
        return;
      }
      case "ticket_no_show":
        this.endVisit(event.ticket, ts);
        this.close(event.ticket, "no_show", ts);
        return;
      case "ticket_returned": {
        const fact = this.tickets.get(event.ticket);
        if (fact) fact.returns++;
        this.endVisit(event.ticket, ts);
        return;
      }
      case "ticket_transferred": {
        const fact = this.tickets.get(event.ticket);
        if (fact) {
          fact.transfers++;
          fact.finalService = event.to;
        }
        this.endVisit(event.ticket, ts);
        return;
      }
      case "ticket_parked": {
        const fact = this.tickets.get(event.ticket);
        if (fact) fact.parks++;
        this.endVisit(event.ticket, ts);
        return;
      }
      case "ticket_resumed":
      case "ticket_reprinted":
        return;
      case "ticket_cancelled": {
        this.endVisit(event.ticket, ts);
        this.close(event.ticket, "cancelled", ts);
        return;
      }
      case "counter_opened":
        this.setCounter(event.counter, "open", ts);
        return;
      case "counter_paused":
        this.setCounter(event.counter, "paused", ts);
        return;
      case "counter_closed":
        this.setCounter(event.counter, "closed", ts);
        return;
    }
  }

  /** The day as it stands at `now` (open spans end at now); the day's summary once it is closed. */
  record(now: number): DayRecord {
    const to = this.endedAt ?? now;
    const counters = [...this.counterSpans];
    for (const [counter, { status, since }] of this.counterState)
      if (status !== "closed" && to > since) counters.push({ counter, status, from: since, to });
    const busy = [...this.busySpans];
    for (const visit of this.visits.values())
      busy.push({
        counter: visit.counter,
        from: visit.calledAt,
        ...(visit.startedAt !== undefined ? { startedAt: visit.startedAt } : {}),
        to,
      });
    return {
      day: this.day,
      from: this.startedAt,
      to,
      closed: this.endedAt !== null,
      tickets: [...this.tickets.values()].map((t) => ({ ...t })),
      counters,
      busy,
    };
  }

  /** Today's tickets by id: the live view reads them without copying. */
  ticketFacts(): ReadonlyMap<string, TicketFact> {
    return this.tickets;
  }

  private close(id: string, outcome: TicketOutcome, ts: number): void {
    const fact = this.tickets.get(id);
    if (!fact) return;
    // A printed replacement already made it "reissued": the cancel that came first does not undo it.
    if (fact.outcome === "reissued") return;
    fact.outcome = outcome;
    fact.closedAt = ts;
  }

  private endVisit(id: string, ts: number): void {
    const visit = this.visits.get(id);
    if (!visit) return;
    this.visits.delete(id);
    this.busySpans.push({
      counter: visit.counter,
      from: visit.calledAt,
      ...(visit.startedAt !== undefined ? { startedAt: visit.startedAt } : {}),
      to: ts,
    });
  }

  private setCounter(counter: string, status: CounterStatus, ts: number): void {
    const current = this.counterState.get(counter);
    if (current?.status === status) return;
    if (current && current.status !== "closed" && ts > current.since)
      this.counterSpans.push({ counter, status: current.status, from: current.since, to: ts });
    this.counterState.set(counter, { status, since: ts });
  }
}
