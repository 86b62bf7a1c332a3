// Queue state: creation, the derived index, and the JSON form used by snapshots.
import type { QueueModel } from "./model.js";
import {
  type CounterState,
  type DayTotals,
  OPEN_STATES,
  type QueueState,
  type ServiceStats,
  type Ticket,
} from "./types.js";

/** Days of totals kept in state (older ones remain in the journal). */
export const HISTORY_DAYS = 62;

export interface QueueStateInternal extends QueueState {
  /** Derived: display number -> id of the open ticket holding it (for wrapping ranges). */
  openByNumber: Map<string, string>;
}

function freshServiceStats(model: QueueModel, id: string, serviceMinutes?: number): ServiceStats {
  const service = model.services.get(id);
  return {
    nextNumber: service?.range.first ?? 1,
    lastCalled: null,
    serviceMinutes: serviceMinutes ?? model.config.queue.defaultServiceMinutes,
    issued: 0,
    finished: 0,
    noShows: 0,
    cancelled: 0,
    voided: 0,
  };
}

export function resetServiceStats(model: QueueModel, id: string, previous?: ServiceStats): ServiceStats {
  // The service-time average carries over: yesterday's pace is the best guess for this morning.
  return freshServiceStats(model, id, previous?.serviceMinutes);
}

export function initialState(model: QueueModel): QueueStateInternal {
  const state: QueueStateInternal = {
    seq: 0,
    day: null,
    tickets: new Map(),
    counters: new Map(),
    services: new Map(),
    history: [],
    openByNumber: new Map(),
  };
  reconcileWithModel(model, state);
  return state;
}

/** Adds counters and services that the configuration has gained since the state was written. */
export function reconcileWithModel(model: QueueModel, state: QueueStateInternal): void {
  for (const id of model.counters.keys())
    if (!state.counters.has(id)) state.counters.set(id, { id, status: "closed", ticket: null });
  for (const id of model.services.keys())
    if (!state.services.has(id)) state.services.set(id, freshServiceStats(model, id));
}

export interface QueueStateJson {
  seq: number;
  day: string | null;
  tickets: Ticket[];
  counters: CounterState[];
  services: Array<[string, ServiceStats]>;
  history: DayTotals[];
}

export function stateToJson(state: QueueState): QueueStateJson {
  return {
    seq: state.seq,
    day: state.day,
    tickets: [...state.tickets.values()],
    counters: [...state.counters.values()],
    services: [...state.services.entries()],
    history: state.history,
  };
}

export function stateFromJson(model: QueueModel, json: QueueStateJson): QueueStateInternal {
  const state: QueueStateInternal = {
    seq: json.seq,
    day: json.day,
    tickets: new Map(json.tickets.map((t) => [t.id, { ...t }])),
    counters: new Map(json.counters.map((c) => [c.id, { ...c }])),
    services: new Map(json.services.map(([id, s]) => [id, { ...s }])),
    history: [...json.history],
    openByNumber: new Map(),
  };
  for (const t of state.tickets.values())
    if (OPEN_STATES.has(t.state)) state.openByNumber.set(t.number, t.id);
  reconcileWithModel(model, state);
  return state;
}
