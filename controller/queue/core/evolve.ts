// evolve: applies one domain event to the state. Events are facts already validated by decide(),
// so this never refuses; an event that cannot apply means a corrupt journal and throws.
import type { QueueModel } from "./model.js";
import { HISTORY_DAYS, type QueueStateInternal, resetServiceStats } from "./state.js";
import { OPEN_STATES, type QueueEvent, type ServiceStats, type Ticket, type TicketState } from "./types.js";

export class JournalReplayError extends Error {
  readonly code = "JOURNAL_REPLAY_FAILED";
  constructor(message: string) {
    super(message);
    this.name = "JournalReplayError";
  }
}

/** Longest service time fed into the average: a counter left "serving" over lunch is not a pace. */
const MAX_OBSERVED_MINUTES = 240;

export function evolve(model: QueueModel, state: QueueStateInternal, event: QueueEvent): void {
  if (event.seq !== state.seq + 1)
    throw new JournalReplayError(`event seq ${event.seq} does not follow ${state.seq}`);
  applyBody(model, state, event);
  state.seq = event.seq;
}

function ticketOf(state: QueueStateInternal, id: string, event: QueueEvent): Ticket {
  const ticket = state.tickets.get(id);
  if (!ticket) throw new JournalReplayError(`event ${event.seq} (${event.type}) names unknown ticket ${id}`);
  return ticket;
}

function statsOf(model: QueueModel, state: QueueStateInternal, service: string): ServiceStats {
  let stats = state.services.get(service);
  if (!stats) {
    // A service removed from the configuration still has its tickets of the day.
    stats = resetServiceStats(model, service);
    state.services.set(service, stats);
  }
  return stats;
}

function setState(state: QueueStateInternal, ticket: Ticket, next: TicketState): void {
  ticket.state = next;
  if (!OPEN_STATES.has(next) && state.openByNumber.get(ticket.number) === ticket.id)
    state.openByNumber.delete(ticket.number);
}

function releaseCounter(state: QueueStateInternal, ticket: Ticket): void {
  if (ticket.counter === undefined) return;
  const counter = state.counters.get(ticket.counter);
  if (counter && counter.ticket === ticket.id) counter.ticket = null;
}

function observeServiceTime(model: QueueModel, state: QueueStateInternal, ticket: Ticket, at: number): void {
  if (ticket.startedAt === undefined) return;
  const minutes = Math.min(MAX_OBSERVED_MINUTES, Math.max(0, (at - ticket.startedAt) / 60_000));
  const stats = statsOf(model, state, ticket.service);
  stats.serviceMinutes += model.config.queue.serviceTimeSmoothing * (minutes - stats.serviceMinutes);
}

function applyBody(model: QueueModel, state: QueueStateInternal, event: QueueEvent): void {
  switch (event.type) {
    case "day_started": {
      state.day = event.day;
      state.tickets.clear();
      state.openByNumber.clear();
      for (const [id, stats] of [...state.services])
        state.services.set(id, resetServiceStats(model, id, stats));
      return;
    }
    case "day_ended": {
      for (const id of event.expired) setState(state, ticketOf(state, id, event), "expired");
      let totals = { issued: 0, finished: 0, noShows: 0, cancelled: 0, voided: 0 };
      for (const s of state.services.values())
        totals = {
          issued: totals.issued + s.issued,
          finished: totals.finished + s.finished,
          noShows: totals.noShows + s.noShows,
          cancelled: totals.cancelled + s.cancelled,
          voided: totals.voided + s.voided,
        };
      state.history.push({ day: event.day, ...totals, expired: event.expired.length });
      if (state.history.length > HISTORY_DAYS) state.history.splice(0, state.history.length - HISTORY_DAYS);
      for (const counter of state.counters.values()) {
        counter.ticket = null;
        counter.status = "closed";
      }
      return;
    }
    case "ticket_reserved": {
      const ticket: Ticket = {
        id: event.ticket,
        number: event.number,
        service: event.service,
        state: "reserved",
        priority: event.priority,
        issuedAt: event.ts,
        arrivedAt: event.arrivedAt,
        recalls: 0,
      };
      if (event.printer !== undefined) ticket.printer = event.printer;
      if (event.token !== undefined) ticket.token = event.token;
      if (event.appointmentAt !== undefined) ticket.appointmentAt = event.appointmentAt;
      if (event.reissuedFrom !== undefined) {
        ticket.reissuedFrom = event.reissuedFrom;
        ticketOf(state, event.reissuedFrom, event).reissuedAs = ticket.id;
      }
      state.tickets.set(ticket.id, ticket);
      state.openByNumber.set(ticket.number, ticket.id);
      const stats = statsOf(model, state, event.service);
      const range = model.services.get(event.service)?.range;
      stats.nextNumber = range && event.numeric >= range.last ? range.first : event.numeric + 1;
      return;
    }
    case "ticket_issued": {
      const ticket = ticketOf(state, event.ticket, event);
      setState(state, ticket, "waiting");
      statsOf(model, state, ticket.service).issued++;
      return;
    }
    case "print_failed": {
      const ticket = ticketOf(state, event.ticket, event);
      setState(state, ticket, "void");
      ticket.printFailure = event.reason;
      statsOf(model, state, ticket.service).voided++;
      return;
    }
    case "ticket_called": {
      const ticket = ticketOf(state, event.ticket, event);
      const counter = state.counters.get(event.counter);
      if (counter) counter.ticket = ticket.id;
      setState(state, ticket, "called");
      ticket.counter = event.counter;
      ticket.calledAt = event.ts;
      ticket.recalls = 0;
      statsOf(model, state, ticket.service).lastCalled = ticket.number;
      return;
    }
    case "ticket_recalled": {
      const ticket = ticketOf(state, event.ticket, event);
      ticket.recalls++;
      ticket.calledAt = event.ts;
      return;
    }
    case "ticket_started": {
      const ticket = ticketOf(state, event.ticket, event);
      setState(state, ticket, "serving");
      ticket.startedAt = event.ts;
      return;
    }
    case "ticket_finished": {
      const ticket = ticketOf(state, event.ticket, event);
      observeServiceTime(model, state, ticket, event.ts);
      releaseCounter(state, ticket);
      setState(state, ticket, "done");
      ticket.finishedAt = event.ts;
      statsOf(model, state, ticket.service).finished++;
      return;
    }
    case "ticket_no_show": {
      const ticket = ticketOf(state, event.ticket, event);
      releaseCounter(state, ticket);
      setState(state, ticket, "no_show");
      statsOf(model, state, ticket.service).noShows++;
      return;
    }
    case "ticket_returned": {
      const ticket = ticketOf(state, event.ticket, event);
      releaseCounter(state, ticket);
      backToWaiting(ticket);
      return;
    }
    case "ticket_transferred": {
      const ticket = ticketOf(state, event.ticket, event);
      observeServiceTime(model, state, ticket, event.ts);
      releaseCounter(state, ticket);
      backToWaiting(ticket);
      ticket.service = event.to;
      return;
    }
    case "ticket_parked": {
      const ticket = ticketOf(state, event.ticket, event);
      releaseCounter(state, ticket);
      setState(state, ticket, "parked");
      return;
    }
    case "ticket_resumed": {
      const ticket = ticketOf(state, event.ticket, event);
      backToWaiting(ticket);
      return;
    }
    case "ticket_cancelled": {
      const ticket = ticketOf(state, event.ticket, event);
      releaseCounter(state, ticket);
      setState(state, ticket, "cancelled");
      ticket.cancelReason = event.reason;
      statsOf(model, state, ticket.service).cancelled++;
      return;
    }
    case "ticket_reprinted": {
      const ticket = ticketOf(state, event.ticket, event);
      if (event.printer !== undefined) ticket.printer = event.printer;
      return;
    }
    case "counter_opened":
    case "counter_paused":
    case "counter_closed": {
      let counter = state.counters.get(event.counter);
      if (!counter) {
        counter = { id: event.counter, status: "closed", ticket: null };
        state.counters.set(counter.id, counter);
      }
      counter.status =
        event.type === "counter_opened" ? "open" : event.type === "counter_paused" ? "paused" : "closed";
      return;
    }
    default: {
      const unknown: never = event;
      throw new JournalReplayError(`unknown event type in ${JSON.stringify(unknown)}`);
    }
  }
}

function backToWaiting(ticket: Ticket): void {
  ticket.state = "waiting";
  delete ticket.counter;
  delete ticket.calledAt;
  delete ticket.startedAt;
  ticket.recalls = 0;
}
