// Compacted days: each closed business day's record, gzipped JSON, in <dataDir>/summaries/. A
// report over a year reads these (tens of kB a day) instead of the journal (megabytes a day).
// summaries/state.json says up to which day every closed day has its summary, so a day with no
// summary before it is known to have had no tickets.
import { existsSync, mkdirSync, readdirSync, readFileSync, unlinkSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { PRIVATE_DIR, writeFileAtomic } from "../queue/journal/atomic-file.js";
import type { CounterSpan, DayRecord, TicketFact, TicketOutcome } from "./day-record.js";

export const SUMMARY_FORMAT = 1;

/** A ticket as one array: times as ms after the day's start, so a summary stays small. */
type PackedTicket = [
  number: string,
  service: string,
  finalService: string | 0,
  priority: number,
  arrived: number,
  issued: number,
  printed: 0 | 1,
  firstCalled: number | null,
  walkMs: number | null,
  serviceMs: number | null,
  counter: string | null,
  staff: string | null,
  counts: [recalls: number, returns: number, transfers: number, parks: number],
  reissuedFrom: string | null,
  outcome: TicketOutcome,
  closed: number | null,
  id: string | 0,
  /** A booked visit's time, relative; absent in summaries written before appointments. */
  appointment?: number | null,
];

interface PackedDay {
  day: string;
  from: number;
  to: number;
  closed: boolean;
  tickets: PackedTicket[];
  counters: Array<[string, CounterSpan["status"], number, number]>;
  busy: Array<[string, number, number | null, number]>;
}

const rel = (t: number | undefined, base: number) => (t === undefined ? null : t - base);
const abs = (t: number | null, base: number) => (t === null ? undefined : t + base);

export function packDay(record: DayRecord): PackedDay {
  const base = record.from;
  return {
    day: record.day,
    from: record.from,
    to: record.to,
    closed: record.closed,
    tickets: record.tickets.map((t) => [
      t.number,
      t.service,
      t.finalService === t.service ? 0 : t.finalService,
      t.priority,
      t.arrivedAt - base,
      t.issuedAt - base,
      t.printed ? 1 : 0,
      rel(t.firstCalledAt, base),
      t.walkMs ?? null,
      t.serviceMs ?? null,
      t.counter ?? null,
      t.staff ?? null,
      [t.recalls, t.returns, t.transfers, t.parks],
      t.reissuedFrom ?? null,
      t.outcome,
      rel(t.closedAt, base),
      t.id === `${record.day}-${t.number}` ? 0 : t.id,
      rel(t.appointmentAt, base),
    ]),
    counters: record.counters.map((c) => [c.counter, c.status, c.from - base, c.to - base]),
    busy: record.busy.map((b) => [b.counter, b.from - base, rel(b.startedAt, base), b.to - base]),
  };
}

export function unpackDay(packed: PackedDay): DayRecord {
  const base = packed.from;
  const optional = <K extends string, V>(key: K, value: V | undefined | null) =>
    value === undefined || value === null ? {} : ({ [key]: value } as Record<K, V>);
  return {
    day: packed.day,
    from: packed.from,
    to: packed.to,
    closed: packed.closed,
    // Plain assignments, not spreads: a year of days is hundreds of thousands of tickets.
    tickets: packed.tickets.map((p) => {
      const fact: TicketFact = {
        id: p[16] === 0 ? `${packed.day}-${p[0]}` : p[16],
        number: p[0],
        service: p[1],
        finalService: p[2] === 0 ? p[1] : p[2],
        priority: p[3],
        arrivedAt: p[4] + base,
        issuedAt: p[5] + base,
        printed: p[6] === 1,
        recalls: p[12][0],
        returns: p[12][1],
        transfers: p[12][2],
        parks: p[12][3],
        outcome: p[14],
      };
      if (p[7] !== null) fact.firstCalledAt = p[7] + base;
      if (p[8] !== null) fact.walkMs = p[8];
      if (p[9] !== null) fact.serviceMs = p[9];
      if (p[10] !== null) fact.counter = p[10];
      if (p[11] !== null) fact.staff = p[11];
      if (p[13] !== null) fact.reissuedFrom = p[13];
      if (p[15] !== null) fact.closedAt = p[15] + base;
      if (p[17] !== undefined && p[17] !== null) fact.appointmentAt = p[17] + base;
      return fact;
    }),
    counters: packed.counters.map(([counter, status, from, to]) => ({
      counter,
      status,
      from: from + base,
      to: to + base,
    })),
    busy: packed.busy.map(([counter, from, startedAt, to]) => ({
      counter,
      from: from + base,
      ...optional("startedAt", abs(startedAt, base)),
      to: to + base,
    })),
  };
}
const NAME = /^(\d{4}-\d{2}-\d{2})\.json\.gz$/;

export interface SummaryState {
  /** Every closed day up to and including this one has its summary (or had no tickets). */
  compactedThrough: string | null;
  /** The seq of that day's day_ended: journal records up to it are all summarised. */
  throughSeq: number;
}

export function summariesDir(dataDir: string): string {
  return join(dataDir, "summaries");
}

export function summaryDays(dataDir: string): string[] {
  const dir = summariesDir(dataDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((name) => NAME.exec(name)?.[1])
    .filter((day): day is string => day !== undefined)
    .sort();
}

export function readSummaryState(dataDir: string): SummaryState {
  try {
    const value = JSON.parse(readFileSync(join(summariesDir(dataDir), "state.json"), "utf8")) as SummaryState;
    return {
      compactedThrough: typeof value.compactedThrough === "string" ? value.compactedThrough : null,
      throughSeq: typeof value.throughSeq === "number" ? value.throughSeq : 0,
    };
  } catch {
    return { compactedThrough: null, throughSeq: 0 };
  }
}

export function writeSummaryState(dataDir: string, state: SummaryState): void {
  mkdirSync(summariesDir(dataDir), { recursive: true, mode: PRIVATE_DIR });
  writeFileAtomic(join(summariesDir(dataDir), "state.json"), `${JSON.stringify(state)}\n`);
}

export function writeSummary(dataDir: string, record: DayRecord): void {
  mkdirSync(summariesDir(dataDir), { recursive: true, mode: PRIVATE_DIR });
  const body = JSON.stringify({ format: SUMMARY_FORMAT, day: packDay(record) });
  writeFileAtomic(join(summariesDir(dataDir), `${record.day}.json.gz`), gzipSync(body));
}

function parseSummary(path: string, bytes: Buffer): DayRecord {
  const value = JSON.parse(gunzipSync(bytes).toString("utf8")) as { format?: unknown; day?: PackedDay };
  if (value.format !== SUMMARY_FORMAT || !value.day) throw new Error(`${path}: not a day summary`);
  return unpackDay(value.day);
}

export async function readSummary(dataDir: string, day: string): Promise<DayRecord> {
  const path = join(summariesDir(dataDir), `${day}.json.gz`);
  return parseSummary(path, await readFile(path));
}

/** Removes summaries of days before `before` ("YYYY-MM-DD"); returns how many. */
export function pruneSummaries(dataDir: string, before: string): number {
  let removed = 0;
  for (const day of summaryDays(dataDir))
    if (day < before) {
      unlinkSync(join(summariesDir(dataDir), `${day}.json.gz`));
      removed++;
    }
  return removed;
}
