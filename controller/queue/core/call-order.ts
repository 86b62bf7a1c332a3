// Which waiting ticket a counter calls next. The rule, in order (docs/operations.md, "Call order"):
//  1. overdue first: a ticket that has waited at least its service's maxWaitMinutes beats all
//     others, the longest-waiting overdue ticket first; so no service starves, whatever the weights;
//  2. then priority: a higher ticket priority first;
//  3. then weighted wait: waited minutes x the counter's weight for the service, highest first;
//  4. ties: earlier arrival, then earlier issue.
import type { QueueModel } from "./model.js";
import type { QueueState, Ticket } from "./types.js";

interface Candidate {
  ticket: Ticket;
  overdue: boolean;
  waited: number;
  weighted: number;
  order: number;
}

function better(a: Candidate, b: Candidate): boolean {
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
    const waited = Math.max(0, now - ticket.arrivedAt);
    const candidate: Candidate = {
      ticket,
      overdue: waited >= maxWaitMs,
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
