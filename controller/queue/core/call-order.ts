// Which waiting ticket a counter calls next. The rule, in order (docs/operations.md, "Call order"):
//  1. overdue first: a ticket that has waited at least its service's maxWaitMinutes beats all
//     others, the longest-waiting overdue ticket first; so no service starves, whatever the weights;
//  2. then priority: a higher ticket priority first;
//  3. then weighted wait: waited minutes x the counter's weight for the service, highest first;
//  4. ties: earlier arrival, then earlier issue.
// Checked-in appointments (Ticket.appointmentAt, docs/appointments.md, "The call order"):
//  - from its time T on, an appointment ticket counts as if it had arrived maxWaitMinutes (M)
//    before T: it is overdue at once, with waited = now - (T - M). So it goes ahead of every
//    ticket that is not overdue (walk-ins, priority or not), and among overdue tickets of one
//    service the earliest deadline goes first (a walk-in's deadline is arrival + M, an
//    appointment's is T): a walk-in that arrived more than M before T still goes first;
//  - before its time it is held: it goes after every other ticket (a counter with nothing else
//    to do may take it early), earliest time first.
// Starvation-free: a walk-in overdue at D = arrival + M is passed only by tickets whose deadline
// is before D (walk-ins that arrived earlier, appointments booked before D), a set fixed once D
// has passed. The bound for an appointment: when a counter of its service calls next at or after
// T, it is called unless a ticket with an earlier deadline still waits.
import type { QueueModel } from "./model.js";
import type { QueueState, Ticket } from "./types.js";

interface Candidate {
  ticket: Ticket;
  /** An appointment before its time. */
  held: boolean;
  overdue: boolean;
  waited: number;
  weighted: number;
  order: number;
}

function better(a: Candidate, b: Candidate): boolean {
  if (a.held !== b.held) return b.held;
  if (a.held && a.ticket.appointmentAt !== b.ticket.appointmentAt)
    return (a.ticket.appointmentAt ?? 0) < (b.ticket.appointmentAt ?? 0);
  if (a.overdue !== b.overdue) return a.overdue;
  if (a.overdue && a.waited !== b.waited) return a.waited > b.waited;
  if (a.ticket.priority !== b.ticket.priority) return a.ticket.priority > b.ticket.priority;
  if (a.weighted !== b.weighted) return a.weighted > b.weighted;
  if (a.ticket.arrivedAt !== b.ticket.arrivedAt) return a.ticket.arrivedAt < b.ticket.arrivedAt;
  return a.order < b.order;
}

export function pickNextTicket(
  model: QueueModel,
  state: QueueState,
  counterId: string,
  now: number,
): Ticket | null {
  const profile = model.counters.get(counterId);
  if (!profile) return null;
  let best: Candidate | null = null;
  let order = 0;
  for (const ticket of state.tickets.values()) {
    order++;
    if (ticket.state !== "waiting") continue;
    const weight = profile.weights.get(ticket.service);
    if (weight === undefined) continue;
    const maxWaitMs = (model.services.get(ticket.service)?.maxWaitMinutes ?? 60) * 60_000;
    const at = ticket.appointmentAt;
    const held = at !== undefined && now < at;
    // An appointment whose time has come counts as arrived maxWaitMinutes before its time.
    const arrived = at !== undefined && !held ? at - maxWaitMs : ticket.arrivedAt;
    const waited = Math.max(0, now - arrived);
    const candidate: Candidate = {
      ticket,
      held,
      overdue: !held && waited >= maxWaitMs,
      waited,
      weighted: waited * weight,
      order,
    };
    if (!best || better(candidate, best)) best = candidate;
  }
  return best?.ticket ?? null;
}

/**
 * The waiting tickets of one service in the order that service alone would call them (priority,
 * then arrival): what "people ahead" counts for a ticket.
 */
export function serviceQueueOrder(state: QueueState, service: string): Ticket[] {
  const waiting: Ticket[] = [];
  for (const t of state.tickets.values()) if (t.state === "waiting" && t.service === service) waiting.push(t);
  // Array sort is stable: equal keys keep issue order.
  return waiting.sort((a, b) => b.priority - a.priority || a.arrivedAt - b.arrivedAt);
}
