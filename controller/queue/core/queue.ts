// The queue core as one object: pure state + decide/evolve, no I/O. Callers that need durability
// (controller/queue/durable-queue.ts) put a journal between decide() and apply().
import type { OfficeConfig } from "../../config/schema.js";
import { isOpenAt } from "./calendar.js";
import { serviceQueueOrder } from "./call-order.js";
import type { QueueCommand } from "./commands.js";
import { decide, decideRollover, findTicket } from "./decide.js";
import { estimateWait, openCountersFor, type WaitEstimate, waitEstimator } from "./estimate.js";
import { evolve } from "./evolve.js";
import { buildModel, formatNumber, type QueueModel } from "./model.js";
import {
  initialState,
  type QueueStateInternal,
  type QueueStateJson,
  stateFromJson,
  stateToJson,
} from "./state.js";
import {
  type Decision,
  QUEUED_STATES,
  type QueueError,
  type QueueEvent,
  type QueueEventBody,
  type QueueState,
  type Ticket,
} from "./types.js";

export interface TicketView extends Ticket {
  /** Waiting tickets of the same service called before this one. */
  ahead?: number;
  estimatedWait?: WaitEstimate;
}

export interface ServiceView {
  id: string;
  waiting: number;
  nextNumber: string;
  lastCalled: string | null;
  estimatedWait: WaitEstimate;
  open: boolean;
  openCounters: number;
}

export type ExecuteResult =
  | { ok: true; events: QueueEvent[] }
  | { ok: false; error: QueueError; events: QueueEvent[] };

export class QueueCore {
  readonly model: QueueModel;
  private state: QueueStateInternal;

  constructor(model: QueueModel, snapshot?: QueueStateJson) {
    this.model = model;
    this.state = snapshot ? stateFromJson(model, snapshot) : initialState(model);
  }

  static fromConfig(config: OfficeConfig, snapshot?: QueueStateJson): QueueCore {
    return new QueueCore(buildModel(config), snapshot);
  }

  get seq(): number {
    return this.state.seq;
  }

  get day(): string | null {
    return this.state.day;
  }

  /** Read-only view of the whole state (do not mutate). */
  get view(): QueueState {
    return this.state;
  }

  /** Events that move the queue to the business day of `now`, if it has changed. */
  rollover(now: number): QueueEventBody[] {
    return decideRollover(this.model, this.state, now);
  }

  decide(command: QueueCommand, now: number): Decision {
    return decide(this.model, this.state, command, now);
  }

  apply(event: QueueEvent): void {
    evolve(this.model, this.state, event);
  }

  /** Numbers events and applies them: the in-memory path, for tests and simulations. */
  applyBodies(bodies: QueueEventBody[], now: number): QueueEvent[] {
    const events = bodies.map((body, i) => ({ ...body, seq: this.state.seq + 1 + i, ts: now }) as QueueEvent);
    for (const e of events) this.apply(e);
    return events;
  }

  /**
   * Rollover + decide + apply, without a journal. A day rollover is a fact of its own: it stays
   * applied and is among the returned events even when the command itself is refused.
   */
  execute(command: QueueCommand, now: number): ExecuteResult {
    const rolled = this.applyBodies(this.rollover(now), now);
    const decision = this.decide(command, now);
    if (!decision.ok) return { ok: false, error: decision.error, events: rolled };
    return { ok: true, events: [...rolled, ...this.applyBodies(decision.events, now)] };
  }

  toJson(): QueueStateJson {
    return stateToJson(this.state);
  }

  ticket(ref: string): Ticket | undefined {
    return findTicket(this.state, ref);
  }

  /** A ticket with its place and wait estimate while it waits. */
  ticketView(ref: string): TicketView | undefined {
    const ticket = this.ticket(ref);
    if (!ticket) return undefined;
    if (ticket.state !== "waiting" && ticket.state !== "reserved") return { ...ticket };
    // A reserved ticket is being printed: its paper shows the place it will take once printed.
    const order = serviceQueueOrder(this.state, ticket.service);
    const ahead =
      ticket.state === "waiting"
        ? order.findIndex((t) => t.id === ticket.id)
        : order.filter(
            (t) =>
              t.priority > ticket.priority ||
              (t.priority === ticket.priority && t.arrivedAt <= ticket.arrivedAt),
          ).length;
    return { ...ticket, ahead, estimatedWait: estimateWait(this.model, this.state, ticket.service, ahead) };
  }

  /** Every ticket a customer holds (waiting, called, serving, parked), waiting ones with place and estimate. */
  openTickets(): TicketView[] {
    const places = new Map<string, number>();
    for (const service of this.state.services.keys())
      for (const [i, t] of serviceQueueOrder(this.state, service).entries()) places.set(t.id, i);
    const estimate = waitEstimator(this.model, this.state);
    const views: TicketView[] = [];
    for (const t of this.state.tickets.values()) {
      if (!QUEUED_STATES.has(t.state)) continue;
      const ahead = places.get(t.id);
      views.push(ahead === undefined ? { ...t } : { ...t, ahead, estimatedWait: estimate(t.service, ahead) });
    }
    return views;
  }

  serviceView(id: string, now: number): ServiceView | undefined {
    const service = this.model.services.get(id);
    const stats = this.state.services.get(id);
    if (!service || !stats) return undefined;
    const waiting = serviceQueueOrder(this.state, id).length;
    return {
      id,
      waiting,
      nextNumber: formatNumber(service, stats.nextNumber),
      lastCalled: stats.lastCalled,
      estimatedWait: estimateWait(this.model, this.state, id, waiting),
      open: isOpenAt(service.hours, now, this.model.config.office.timeZone),
      openCounters: openCountersFor(this.model, this.state, id),
    };
  }
}
