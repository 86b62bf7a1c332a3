// The queue as the contract shows it: core tickets and state -> the payloads of protocols/mqtt.
// Pure; the bridge decides when to publish.

import type { z } from "zod";
import type {
  ContractTicket,
  counterStateSchema,
  infoSchema,
  serviceStateSchema,
} from "../../protocols/mqtt/schemas.js";
import type { OfficeConfig } from "../config/schema.js";
import type { Alert, DeviceHealth } from "../health/health-board.js";
import type { QueueCore, TicketView } from "../queue/core/queue.js";

const iso = (ms: number) => new Date(ms).toISOString();

export function contractTicket(t: TicketView): ContractTicket {
  return {
    id: t.id,
    number: t.number,
    service: t.service,
    state: t.state,
    priority: t.priority,
    issuedAt: iso(t.issuedAt),
    arrivedAt: iso(t.arrivedAt),
    ...(t.calledAt !== undefined ? { calledAt: iso(t.calledAt) } : {}),
    ...(t.counter !== undefined ? { counter: t.counter } : {}),
    recalls: t.recalls,
    ...(t.reissuedFrom !== undefined ? { reissuedFrom: t.reissuedFrom } : {}),
    ...(t.ahead !== undefined ? { ahead: t.ahead } : {}),
    ...(t.estimatedWait !== undefined ? { estimatedWait: t.estimatedWait } : {}),
    ...(t.appointmentAt !== undefined ? { appointmentAt: iso(t.appointmentAt) } : {}),
  };
}

/** A ticket by id as the contract shows it, with place and estimate while it waits. */
export function contractTicketById(core: QueueCore, id: string): ContractTicket | null {
  const view = core.ticketView(id);
  return view ? contractTicket(view) : null;
}

type Stamped<T> = Omit<T, "epoch" | "seq">;

export function serviceStates(
  core: QueueCore,
  now: number,
): Map<string, Stamped<z.infer<typeof serviceStateSchema>>> {
  const out = new Map<string, Stamped<z.infer<typeof serviceStateSchema>>>();
  for (const id of core.model.services.keys()) {
    const view = core.serviceView(id, now);
    if (!view) continue;
    out.set(id, {
      waiting: view.waiting,
      nextNumber: view.nextNumber,
      lastCalled: view.lastCalled,
      estimatedWait: view.estimatedWait,
      open: view.open,
    });
  }
  return out;
}

export function counterStates(core: QueueCore): Map<string, Stamped<z.infer<typeof counterStateSchema>>> {
  const out = new Map<string, Stamped<z.infer<typeof counterStateSchema>>>();
  for (const id of core.model.counters.keys()) {
    const counter = core.view.counters.get(id);
    out.set(id, {
      status: counter?.status ?? "closed",
      ticket: counter?.ticket ? contractTicketById(core, counter.ticket) : null,
    });
  }
  return out;
}

export function openTickets(core: QueueCore): ContractTicket[] {
  return core.openTickets().map(contractTicket);
}

export function officeInfo(
  config: OfficeConfig,
  core: QueueCore,
  now: number,
  devices: Array<{ id: string; kind: string }>,
): z.infer<typeof infoSchema> {
  return {
    office: {
      id: config.office.id,
      name: config.office.name,
      timeZone: config.office.timeZone,
      dailyReset: config.office.dailyReset,
      languages: config.office.languages,
    },
    services: config.services.map((s) => ({
      id: s.id,
      prefix: s.prefix,
      names: s.names,
      open: core.serviceView(s.id, now)?.open ?? false,
    })),
    counters: config.counters.map((c) => ({
      id: c.id,
      ...(c.name !== undefined ? { name: c.name } : {}),
      zone: c.zone,
      services: c.services.map((e) => (typeof e === "string" ? e : e.service)),
    })),
    devices,
    cancelReasons: config.cancelReasons.map((r) => ({ code: r.code, names: r.names })),
  };
}

/** devices/{device}: a health record as the contract publishes it (times as ISO strings). */
export function contractDevice(device: DeviceHealth) {
  return {
    kind: device.kind,
    status: device.status,
    faults: device.faults,
    since: iso(device.since),
    lastSeen: device.lastSeen === null ? null : iso(device.lastSeen),
    ...(device.details !== undefined ? { details: device.details } : {}),
  };
}

/** alerts/{device}: the device's top alert, or "" (an empty retained message clears the topic). */
export function contractAlert(alert: Alert | null): object | "" {
  return alert ? { ...alert, since: iso(alert.since) } : "";
}

/**
 * The caller as the broker vouches for it. "anonymous" is the demo office's loopback client, with
 * the desk's rights; a name not in mqtt.users (the embedded broker knows no other) has no role.
 */
export function whoami(config: OfficeConfig, sender: string | undefined): Record<string, unknown> {
  if (sender === undefined) return { username: null, role: null };
  if (sender === "anonymous" && config.mqtt.embedded.allowAnonymousLoopback && !config.mqtt.broker)
    return { username: sender, role: "desk" };
  const user = config.mqtt.users.find((u) => u.username === sender);
  if (!user) return { username: sender, role: null };
  return {
    username: sender,
    role: user.role,
    ...(user.counter !== undefined ? { counter: user.counter } : {}),
    ...(user.node !== undefined ? { node: user.node } : {}),
  };
}
