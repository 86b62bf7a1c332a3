// decide: turns a command into the events it causes, or refuses it with a coded error. Pure: it
// reads the state and the given time and changes nothing, so a refused command leaves no trace.
import { businessDay, isOpenAt } from "./calendar.js";
import { pickNextTicket } from "./call-order.js";
import type { QueueCommand } from "./commands.js";
import { formatNumber, type QueueModel } from "./model.js";
import type { QueueStateInternal } from "./state.js";
import {
  type CounterState,
  type Decision,
  OPEN_STATES,
  type QueueErrorCode,
  type QueueEventBody,
  type Ticket,
  type TicketState,
} from "./types.js";

const fail = (code: QueueErrorCode, message: string): Decision => ({ ok: false, error: { code, message } });
const emit = (...events: QueueEventBody[]): Decision => ({ ok: true, events });

/** The business day `now` belongs to, if it is later than the state's (never backwards). */
function newerDay(model: QueueModel, state: QueueStateInternal, now: number): string | null {
  const { timeZone, dailyReset } = model.config.office;
  const day = businessDay(now, timeZone, dailyReset);
  // Never backwards: a clock set back, or autumn's repeated hour, keeps the current day.
  return state.day !== null && day <= state.day ? null : day;
}

/** Events that bring the state to the business day of `now`: none if it is current. */
export function decideRollover(model: QueueModel, state: QueueStateInternal, now: number): QueueEventBody[] {
  const day = newerDay(model, state, now);
  if (day === null) return [];
  const events: QueueEventBody[] = [];
  if (state.day !== null) {
    const expired = [...state.tickets.values()].filter((t) => OPEN_STATES.has(t.state)).map((t) => t.id);
    events.push({ type: "day_ended", day: state.day, expired });
  }
  events.push({ type: "day_started", day });
  return events;
}

/** A ticket by id, or by its display number: the open one holding it, else the latest of the day. */
export function findTicket(state: QueueStateInternal, ref: string): Ticket | undefined {
  const byId = state.tickets.get(ref);
  if (byId) return byId;
  const openId = state.openByNumber.get(ref.toUpperCase());
  if (openId) return state.tickets.get(openId);
  let latest: Ticket | undefined;
  for (const t of state.tickets.values()) if (t.number === ref.toUpperCase()) latest = t;
  return latest;
}

function describe(ticket: Ticket): string {
  return `${ticket.number} is ${ticket.state}`;
}

export function decide(
  model: QueueModel,
  state: QueueStateInternal,
  command: QueueCommand,
  now: number,
): Decision {
  if (state.day === null || newerDay(model, state, now) !== null)
    return fail("INVALID_STATE", "the business day has not been started: roll the day over first");
  switch (command.type) {
    case "issue":
      return decideIssue(model, state, command.service, now, {
        priority: command.priority ?? 0,
        printer: command.printer,
        token: command.token,
        appointmentAt: command.appointmentAt,
      });
    case "confirm_print":
    case "fail_print": {
      const ticket = findTicket(state, command.ticket);
      if (!ticket) return fail("TICKET_NOT_FOUND", `no ticket ${command.ticket} today`);
      if (ticket.state !== "reserved")
        return fail("INVALID_STATE", `${describe(ticket)}: only a reserved ticket awaits its print`);
      return command.type === "confirm_print"
        ? emit({ type: "ticket_issued", ticket: ticket.id })
        : emit({ type: "print_failed", ticket: ticket.id, reason: command.reason });
    }
    case "open":
    case "pause":
    case "close": {
      const counter = state.counters.get(command.counter);
      if (!counter || !model.counters.has(command.counter))
        return fail("COUNTER_NOT_FOUND", `no counter ${command.counter}`);
      if (command.type === "close" && counter.ticket !== null)
        return fail(
          "INVALID_STATE",
          `counter ${counter.id} still holds ${heldNumber(state, counter)}: finish it first`,
        );
      const type =
        command.type === "open"
          ? "counter_opened"
          : command.type === "pause"
            ? "counter_paused"
            : "counter_closed";
      return emit({ type, counter: counter.id });
    }
    case "call_next":
    case "call": {
      const counter = counterReady(model, state, command.counter);
      if ("ok" in counter) return counter;
      let ticket: Ticket | null | undefined;
      if (command.type === "call") {
        ticket = findTicket(state, command.ticket);
        if (!ticket) return fail("TICKET_NOT_FOUND", `no ticket ${command.ticket} today`);
        if (ticket.state !== "waiting")
          return fail("INVALID_STATE", `${describe(ticket)}: only a waiting ticket can be called`);
        if (!model.counters.get(counter.id)?.weights.has(ticket.service))
          return fail("INVALID_STATE", `counter ${counter.id} does not serve ${ticket.service}`);
      } else {
        ticket = pickNextTicket(model, state, counter.id, now);
        if (!ticket) return fail("QUEUE_EMPTY", `no ticket waits for counter ${counter.id}`);
      }
      return emit({ type: "ticket_called", ticket: ticket.id, counter: counter.id });
    }
    case "recall": {
      const held = heldTicket(state, command.counter, ["called"]);
      if ("ok" in held) return held;
      const limit = model.config.queue.autoNoShowAfterRecalls;
      if (limit !== null && held.ticket.recalls >= limit)
        return emit({
          type: "ticket_no_show",
          ticket: held.ticket.id,
          counter: held.counter.id,
          automatic: true,
        });
      return emit({ type: "ticket_recalled", ticket: held.ticket.id, counter: held.counter.id });
    }
    case "start":
      return counterStep(state, command.counter, ["called"], "ticket_started");
    case "finish":
      return counterStep(state, command.counter, ["serving"], "ticket_finished");
    case "no_show":
      return counterStep(state, command.counter, ["called"], "ticket_no_show");
    case "return":
      return counterStep(state, command.counter, ["called"], "ticket_returned");
    case "park": {
      const held = heldTicket(state, command.counter, ["called", "serving"]);
      if ("ok" in held) return held;
      return emit({ type: "ticket_parked", ticket: held.ticket.id, counter: held.counter.id });
    }
    case "transfer": {
      const held = heldTicket(state, command.counter, ["called", "serving"]);
      if ("ok" in held) return held;
      if (!model.services.has(command.service))
        return fail("SERVICE_NOT_FOUND", `no service ${command.service}`);
      if (command.service === held.ticket.service)
        return fail("INVALID_STATE", `${held.ticket.number} is already in ${command.service}`);
      return emit({
        type: "ticket_transferred",
        ticket: held.ticket.id,
        from: held.ticket.service,
        to: command.service,
        counter: held.counter.id,
      });
    }
    case "resume": {
      const ticket = findTicket(state, command.ticket);
      if (!ticket) return fail("TICKET_NOT_FOUND", `no ticket ${command.ticket} today`);
      if (ticket.state !== "parked")
        return fail("INVALID_STATE", `${describe(ticket)}: only a parked ticket resumes`);
      return emit({
        type: "ticket_resumed",
        ticket: ticket.id,
        ...(command.counter ? { counter: command.counter } : {}),
      });
    }
    case "cancel": {
      const ticket = findTicket(state, command.ticket);
      if (!ticket) return fail("TICKET_NOT_FOUND", `no ticket ${command.ticket} today`);
      if (!CANCELLABLE.has(ticket.state))
        return fail("INVALID_STATE", `${describe(ticket)}: it cannot be cancelled`);
      return emit({
        type: "ticket_cancelled",
        ticket: ticket.id,
        reason: command.reason,
        ...(command.note !== undefined ? { note: command.note } : {}),
      });
    }
    case "reissue":
      return decideReissue(model, state, command, now);
    case "reprint": {
      const ticket = findTicket(state, command.ticket);
      if (!ticket) return fail("TICKET_NOT_FOUND", `no ticket ${command.ticket} today`);
      if (!REPRINTABLE.has(ticket.state))
        return fail("INVALID_STATE", `${describe(ticket)}: only a ticket in the queue can be reprinted`);
      return emit({
        type: "ticket_reprinted",
        ticket: ticket.id,
        ...(command.printer ? { printer: command.printer } : {}),
      });
    }
    default: {
      const unknown: never = command;
      return fail("VALIDATION_FAILED", `unknown command ${JSON.stringify(unknown)}`);
    }
  }
}

const CANCELLABLE: ReadonlySet<TicketState> = new Set(["waiting", "called", "serving", "parked"]);
const REPRINTABLE: ReadonlySet<TicketState> = new Set(["waiting", "called", "serving", "parked"]);
/** A reissue may start from a ticket still in the queue (it is cancelled first) or one already out of it. */
const REISSUABLE_CLOSED: ReadonlySet<TicketState> = new Set(["cancelled", "void", "no_show"]);

function decideIssue(
  model: QueueModel,
  state: QueueStateInternal,
  serviceId: string,
  now: number,
  options: {
    priority: number;
    printer?: string | undefined;
    arrivedAt?: number;
    reissuedFrom?: string;
    token?: string | undefined;
    appointmentAt?: number | undefined;
  },
): Decision {
  const service = model.services.get(serviceId);
  if (!service) return fail("SERVICE_NOT_FOUND", `no service ${serviceId}`);
  if (!Number.isInteger(options.priority) || options.priority < 0 || options.priority > 9)
    return fail("VALIDATION_FAILED", "priority must be a whole number 0..9");
  if (!isOpenAt(service.hours, now, model.config.office.timeZone))
    return fail("SERVICE_CLOSED", `${serviceId} is closed now`);
  const stats = state.services.get(serviceId);
  const { first, last } = service.range;
  let n = stats?.nextNumber ?? first;
  if (n < first || n > last) n = first;
  // Wrap past the end of the range, skipping numbers still held by open tickets.
  for (let tries = 0; state.openByNumber.has(formatNumber(service, n)); tries++) {
    if (tries > last - first)
      return fail("RANGE_EXHAUSTED", `every number ${first}..${last} of ${serviceId} is open`);
    n = n >= last ? first : n + 1;
  }
  const number = formatNumber(service, n);
  let id = `${state.day}-${number}`;
  for (let k = 2; state.tickets.has(id); k++) id = `${state.day}-${number}-${k}`;
  return emit({
    type: "ticket_reserved",
    ticket: id,
    number,
    numeric: n,
    service: serviceId,
    priority: options.priority,
    arrivedAt: options.arrivedAt ?? now,
    ...(options.printer !== undefined ? { printer: options.printer } : {}),
    ...(options.reissuedFrom !== undefined ? { reissuedFrom: options.reissuedFrom } : {}),
    ...(options.token !== undefined ? { token: options.token } : {}),
    ...(options.appointmentAt !== undefined ? { appointmentAt: options.appointmentAt } : {}),
  });
}

function decideReissue(
  model: QueueModel,
  state: QueueStateInternal,
  command: Extract<QueueCommand, { type: "reissue" }>,
  now: number,
): Decision {
  const old = findTicket(state, command.ticket);
  if (!old) return fail("TICKET_NOT_FOUND", `no ticket ${command.ticket} today`);
  const replacement = old.reissuedAs !== undefined ? state.tickets.get(old.reissuedAs) : undefined;
  // A reissue whose print failed may be tried again; one that reached the customer may not.
  if (replacement && replacement.state !== "void")
    return fail("INVALID_STATE", `${old.number} was already reissued as ${replacement.number}`);
  const stillQueued = CANCELLABLE.has(old.state);
  if (!stillQueued && !REISSUABLE_CLOSED.has(old.state))
    return fail("INVALID_STATE", `${describe(old)}: it cannot be reissued`);
  const issue = decideIssue(model, state, command.service, now, {
    priority: old.priority,
    printer: command.printer,
    arrivedAt: old.arrivedAt,
    reissuedFrom: old.id,
    token: command.token,
    // A reissued appointment keeps its time, as it keeps its arrival.
    appointmentAt: old.appointmentAt,
  });
  if (!issue.ok) return issue;
  const cancel: QueueEventBody[] = stillQueued
    ? [
        {
          type: "ticket_cancelled",
          ticket: old.id,
          reason: command.reason ?? `reissued for ${command.service}`,
          ...(command.note !== undefined ? { note: command.note } : {}),
        },
      ]
    : [];
  return emit(...cancel, ...issue.events);
}

function counterReady(
  model: QueueModel,
  state: QueueStateInternal,
  counterId: string,
): CounterState | Decision {
  const counter = state.counters.get(counterId);
  if (!counter || !model.counters.has(counterId)) return fail("COUNTER_NOT_FOUND", `no counter ${counterId}`);
  if (counter.status !== "open") return fail("INVALID_STATE", `counter ${counterId} is ${counter.status}`);
  if (counter.ticket !== null)
    return fail(
      "INVALID_STATE",
      `counter ${counterId} still holds ${heldNumber(state, counter)}: finish it first`,
    );
  return counter;
}

function heldNumber(state: QueueStateInternal, counter: CounterState): string {
  return counter.ticket === null ? "nothing" : (state.tickets.get(counter.ticket)?.number ?? counter.ticket);
}

function heldTicket(
  state: QueueStateInternal,
  counterId: string,
  allowed: TicketState[],
): { counter: CounterState; ticket: Ticket } | Decision {
  const counter = state.counters.get(counterId);
  if (!counter) return fail("COUNTER_NOT_FOUND", `no counter ${counterId}`);
  const ticket = counter.ticket === null ? undefined : state.tickets.get(counter.ticket);
  if (!ticket) return fail("INVALID_STATE", `counter ${counterId} holds no ticket`);
  if (!allowed.includes(ticket.state))
    return fail(
      "INVALID_STATE",
      `${describe(ticket)} at counter ${counterId}: expected ${allowed.join(" or ")}`,
    );
  return { counter, ticket };
}

function counterStep(
  state: QueueStateInternal,
  counterId: string,
  allowed: TicketState[],
  type: "ticket_started" | "ticket_finished" | "ticket_no_show" | "ticket_returned",
): Decision {
  const held = heldTicket(state, counterId, allowed);
  if ("ok" in held) return held;
  return emit({ type, ticket: held.ticket.id, counter: held.counter.id });
}
