// The office as the pages know it: the contract's retained topics, each validated with its zod
// schema from protocols/mqtt (a payload that does not validate is ignored and logged, never
// trusted). Pages render from here and re-render when anything changes.
import type { z } from "zod";
import {
  alertSchema,
  boardStateSchema,
  counterStateSchema,
  deviceHealthSchema,
  infoSchema,
  serviceStateSchema,
  simPanelSchema,
  simPrinterSchema,
  statusSchema,
  ticketsSchema,
} from "../../protocols/mqtt/schemas.js";
import type { OfficeConnection } from "./connection.js";

export type Info = z.infer<typeof infoSchema>;
export type Ticket = z.infer<typeof ticketsSchema>["tickets"][number];
export type CounterState = z.infer<typeof counterStateSchema>;
export type ServiceState = z.infer<typeof serviceStateSchema>;
export type DeviceHealth = z.infer<typeof deviceHealthSchema>;
export type Alert = z.infer<typeof alertSchema>;
export type BoardState = z.infer<typeof boardStateSchema>;
export type SimPrinter = z.infer<typeof simPrinterSchema>;
export type SimPanel = z.infer<typeof simPanelSchema>;

export interface OfficeState {
  online: boolean | null;
  info: Info | null;
  tickets: Ticket[];
  services: Map<string, ServiceState>;
  counters: Map<string, CounterState>;
  devices: Map<string, DeviceHealth>;
  alerts: Map<string, Alert>;
  boards: Map<string, BoardState>;
  simPrinters: Map<string, SimPrinter>;
  simPanels: Map<string, SimPanel>;
}

interface Stamp {
  epoch: string;
  seq: number;
}

/**
 * Whether a stamped state message (tickets, services/, counters/) is newer than the one held. A
 * broker may deliver a stored retained copy after a newer live one (aedes sends stored retained
 * messages after the SUBACK), so the older of the two must not win. Within one epoch (controller
 * boot) seq orders them; a message of another epoch wins unless the one held is of the epoch the
 * controller's status names now.
 */
export function isNewer(held: Stamp | undefined, next: Stamp, currentEpoch: string | null): boolean {
  if (!held) return true;
  if (next.epoch === held.epoch) return next.seq >= held.seq;
  return held.epoch !== currentEpoch;
}

/** Keyed topics: prefix -> the map it fills and the schema that checks it. */
const KEYED = [
  ["services/", "services", serviceStateSchema],
  ["counters/", "counters", counterStateSchema],
  ["devices/", "devices", deviceHealthSchema],
  ["alerts/", "alerts", alertSchema],
  ["boards/", "boards", boardStateSchema],
  ["sim/printers/", "simPrinters", simPrinterSchema],
  ["sim/panels/", "simPanels", simPanelSchema],
] as const;

export function trackOffice(
  connection: OfficeConnection,
  onChange: (state: OfficeState) => void,
): OfficeState {
  const state: OfficeState = {
    online: null,
    info: null,
    tickets: [],
    services: new Map(),
    counters: new Map(),
    devices: new Map(),
    alerts: new Map(),
    boards: new Map(),
    simPrinters: new Map(),
    simPanels: new Map(),
  };
  let scheduled = false;
  let currentEpoch: string | null = null;
  let ticketsStamp: Stamp | undefined;
  const changed = () => {
    if (scheduled) return;
    scheduled = true;
    // Retained messages arrive in bursts: render once per burst.
    setTimeout(() => {
      scheduled = false;
      onChange(state);
    }, 0);
  };
  const parse = <T>(schema: z.ZodType<T>, path: string, text: string): T | null => {
    try {
      const result = schema.safeParse(JSON.parse(text));
      if (result.success) return result.data;
      console.warn(`vooru: ${path} does not match the contract`, result.error.issues);
    } catch {
      console.warn(`vooru: ${path} is not JSON`);
    }
    return null;
  };
  connection.onMessage((path, text) => {
    if (path === "status") {
      const status = text ? parse(statusSchema, path, text) : null;
      state.online = status ? status.state === "online" : null;
      if (status?.state === "online") currentEpoch = status.epoch;
      return changed();
    }
    if (path === "info") {
      state.info = parse(infoSchema, path, text) ?? state.info;
      return changed();
    }
    if (path === "tickets") {
      const tickets = parse(ticketsSchema, path, text);
      if (tickets && isNewer(ticketsStamp, tickets, currentEpoch)) {
        state.tickets = tickets.tickets;
        ticketsStamp = { epoch: tickets.epoch, seq: tickets.seq };
      }
      return changed();
    }
    for (const [prefix, key, schema] of KEYED) {
      if (!path.startsWith(prefix)) continue;
      const id = path.slice(prefix.length);
      if (id === "" || id.includes("/")) return;
      const map = state[key] as Map<string, unknown>;
      // An empty retained message removes the entry (a cleared alert).
      if (text === "") map.delete(id);
      else {
        const value = parse(schema as z.ZodType<unknown>, path, text);
        const held = map.get(id) as Partial<Stamp> | undefined;
        const stamped = (v: unknown): v is Stamp =>
          typeof (v as Stamp | null)?.epoch === "string" && typeof (v as Stamp).seq === "number";
        if (value === null) return;
        if (stamped(value) && stamped(held) && !isNewer(held, value, currentEpoch)) return;
        map.set(id, value);
      }
      return changed();
    }
  });
  return state;
}

/** Tickets in their place in the queue: the arrival time (kept by reissue), then the issue time. */
export function byPlace(a: Ticket, b: Ticket): number {
  return a.arrivedAt.localeCompare(b.arrivedAt) || a.issuedAt.localeCompare(b.issuedAt);
}
