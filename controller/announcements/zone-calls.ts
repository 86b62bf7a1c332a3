// The last calls of each waiting area (calls/{zone} on MQTT): pure. A call or a recall at a
// counter becomes the newest entry of the counter's zone; the history keeps the last N. What the
// TV display shows and what the zone's speakers say both start here.
import type { z } from "zod";
import type { zoneCallsSchema } from "../../protocols/mqtt/schemas.js";
import type { OfficeConfig } from "../config/schema.js";
import type { QueueEvent, Ticket } from "../queue/core/types.js";

export type ZoneCall = z.infer<typeof zoneCallsSchema>["calls"][number];

export interface ZoneCallsOptions {
  config: Pick<OfficeConfig, "counters">;
  historySize: number;
}

function callOf(
  ticket: Ticket,
  counter: string,
  place: ZoneCall["place"],
  at: number,
  recall: boolean,
): ZoneCall {
  return {
    ticket: ticket.id,
    number: ticket.number,
    service: ticket.service,
    counter,
    place,
    at: new Date(at).toISOString(),
    recall,
  };
}

export class ZoneCalls {
  private readonly zones = new Map<string, ZoneCall[]>();
  private readonly counterZone: Map<string, { zone: string; place: ZoneCall["place"] }>;

  constructor(private readonly options: ZoneCallsOptions) {
    this.counterZone = new Map(options.config.counters.map((c) => [c.id, { zone: c.zone, place: c.place }]));
    for (const { zone } of this.counterZone.values()) this.zones.set(zone, []);
  }

  /** Every zone with counters, each with its calls newest first. */
  all(): ReadonlyMap<string, readonly ZoneCall[]> {
    return this.zones;
  }

  /**
   * Takes a committed batch of events; returns the new entries, oldest first, each with its zone.
   * `ticketOf` reads the ticket as the queue holds it after the batch.
   */
  onEvents(
    events: readonly QueueEvent[],
    ticketOf: (id: string) => Ticket | undefined,
  ): Array<{ zone: string; call: ZoneCall }> {
    const added: Array<{ zone: string; call: ZoneCall }> = [];
    for (const event of events) {
      if (event.type !== "ticket_called" && event.type !== "ticket_recalled") continue;
      const where = this.counterZone.get(event.counter);
      const ticket = ticketOf(event.ticket);
      if (!where || !ticket) continue;
      const call = callOf(ticket, event.counter, where.place, event.ts, event.type === "ticket_recalled");
      const history = this.zones.get(where.zone) ?? [];
      this.zones.set(where.zone, [call, ...history].slice(0, this.options.historySize));
      added.push({ zone: where.zone, call });
    }
    return added;
  }

  /** At start: the tickets called or being served now, newest call first, as each zone's history. */
  seed(tickets: readonly Ticket[]): void {
    const called = tickets
      .filter((t) => (t.state === "called" || t.state === "serving") && t.counter && t.calledAt !== undefined)
      .sort((a, b) => (b.calledAt ?? 0) - (a.calledAt ?? 0));
    for (const ticket of called) {
      const where = this.counterZone.get(ticket.counter as string);
      if (!where) continue;
      const history = this.zones.get(where.zone) ?? [];
      if (history.length >= this.options.historySize) continue;
      history.push(callOf(ticket, ticket.counter as string, where.place, ticket.calledAt as number, false));
      this.zones.set(where.zone, history);
    }
  }
}
