// Reads a data folder's journal straight from disk and checks what the DESIGN promises of it,
// independently of the queue core: seq grows by one, no event is stamped earlier than the one
// before, and no number is handed out again within a business day while its holder is open
// (and, for scripts that never wrap a range, not at all). Old segments stay on disk after a
// snapshot (journal.ts), so the segments hold the whole history.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { OPEN_STATES, type QueueEvent, type TicketState } from "../../../controller/queue/core/types.js";

export interface AuditedTicket {
  id: string;
  number: string;
  service: string;
  day: string;
  state: TicketState;
  counter?: string;
  /** Why its print failed, when it is void. */
  reason?: string;
}

export interface JournalAudit {
  records: QueueEvent[];
  /** Every ticket ever reserved, by id, with the state the journal leaves it in. */
  tickets: Map<string, AuditedTicket>;
  /** Business days in the order they started. */
  days: string[];
  /** Broken promises, one line each; empty when the journal is sound. */
  violations: string[];
}

/** Every complete record of every segment, in file order (a torn last line is skipped). */
export function readJournalRecords(dataDir: string): QueueEvent[] {
  const dir = join(dataDir, "journal");
  if (!existsSync(dir)) return [];
  const records: QueueEvent[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!/^\d{12}\.jsonl$/.test(name)) continue;
    for (const line of readFileSync(join(dir, name), "utf8").split("\n")) {
      if (line === "") continue;
      try {
        records.push(JSON.parse(line) as QueueEvent);
      } catch {
        // Only a torn last line can fail to parse; the controller sets it aside on start.
      }
    }
  }
  return records;
}

/** Folds the records into ticket states and checks the journal's promises. */
export function auditRecords(records: QueueEvent[], options: { strictUnique?: boolean } = {}): JournalAudit {
  const strictUnique = options.strictUnique ?? true;
  const tickets = new Map<string, AuditedTicket>();
  const days: string[] = [];
  const violations: string[] = [];
  /** day -> number -> ids that were given it, in order. */
  const holders = new Map<string, Map<string, string[]>>();
  let day = "";
  let prev: QueueEvent | undefined;
  const set = (id: string, state: TicketState, extra: Partial<AuditedTicket> = {}) => {
    const t = tickets.get(id);
    if (!t) violations.push(`seq ${prev?.seq}: event for unknown ticket ${id}`);
    else Object.assign(t, { state, ...extra });
  };
  for (const e of records) {
    if (prev && e.seq !== prev.seq + 1) violations.push(`seq ${e.seq} follows ${prev.seq}`);
    if (prev && e.ts < prev.ts)
      violations.push(
        `seq ${e.seq} is stamped ${new Date(e.ts).toISOString()}, earlier than seq ${prev.seq}`,
      );
    prev = e;
    switch (e.type) {
      case "day_started":
        if (days.includes(e.day) || (day !== "" && e.day <= day))
          violations.push(`seq ${e.seq}: day ${e.day} started after ${day} (the day moved backwards)`);
        day = e.day;
        days.push(e.day);
        break;
      case "day_ended":
        for (const id of e.expired) set(id, "expired");
        break;
      case "ticket_reserved": {
        const numbers = holders.get(day) ?? new Map<string, string[]>();
        holders.set(day, numbers);
        const before = numbers.get(e.number) ?? [];
        for (const other of before) {
          const held = tickets.get(other);
          if (strictUnique || (held && OPEN_STATES.has(held.state)))
            violations.push(
              `seq ${e.seq}: ${e.number} handed out again on ${day} (first as ${other}, ${held?.state})`,
            );
        }
        numbers.set(e.number, [...before, e.ticket]);
        if (tickets.has(e.ticket)) violations.push(`seq ${e.seq}: ticket id ${e.ticket} reserved twice`);
        tickets.set(e.ticket, { id: e.ticket, number: e.number, service: e.service, day, state: "reserved" });
        break;
      }
      case "ticket_issued":
      case "ticket_returned":
      case "ticket_resumed":
        set(e.ticket, "waiting");
        break;
      case "ticket_transferred":
        set(e.ticket, "waiting", { service: e.to });
        break;
      case "print_failed":
        set(e.ticket, "void", { reason: e.reason });
        break;
      case "ticket_called":
        set(e.ticket, "called", { counter: e.counter });
        break;
      case "ticket_started":
        set(e.ticket, "serving");
        break;
      case "ticket_finished":
        set(e.ticket, "done");
        break;
      case "ticket_no_show":
        set(e.ticket, "no_show");
        break;
      case "ticket_parked":
        set(e.ticket, "parked");
        break;
      case "ticket_cancelled":
        set(e.ticket, "cancelled");
        break;
      default:
        // Counter events, recalls and reprints change no ticket's state.
        break;
    }
  }
  return { records, tickets, days, violations };
}

export function auditJournal(dataDir: string, options: { strictUnique?: boolean } = {}): JournalAudit {
  return auditRecords(readJournalRecords(dataDir), options);
}
