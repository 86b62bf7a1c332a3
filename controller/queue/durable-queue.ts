// The queue core made durable: every change is appended to the journal (fsync) before it is
// applied or anyone hears of it, so an acknowledged ticket survives a power cut and its number is
// never handed out again.
import { alwaysTrusted, type ClockTrust } from "../clock/clock-guard.js";
import type { OfficeConfig } from "../config/schema.js";
import type { Logger } from "../health/log.js";
import type { QueueCommand } from "./core/commands.js";
import { buildModel } from "./core/model.js";
import { type ExecuteResult, QueueCore } from "./core/queue.js";
import type { QueueStateJson } from "./core/state.js";
import type { QueueEvent, QueueEventBody } from "./core/types.js";
import { Journal } from "./journal/journal.js";
import { acquireLock, type Lock } from "./journal/lockfile.js";

export interface DurableQueueOptions {
  config: OfficeConfig;
  /** Folder of the journal, snapshots and lockfile. */
  dataDir: string;
  clock: () => number;
  log: Logger;
  /**
   * Whether the wall clock may be believed (controller/clock/). While it may not, new tickets are
   * refused, the day does not roll over, and events are stamped with the time of the last event
   * carried on by `monotonic`. Default: always trusted.
   */
  clockTrust?: ClockTrust;
  /** Milliseconds that only go forward (default performance.now). */
  monotonic?: () => number;
  /** Snapshot after this many events; defaults to the config's journal.snapshotEvery. */
  snapshotEvery?: number;
}

export type EventListener = (events: readonly QueueEvent[]) => void;

/** Why a print was not confirmed when the controller stopped before the printer answered. */
export const INTERRUPTED_PRINT =
  "interrupted: the controller stopped before the printer confirmed the ticket";

export class DurableQueue {
  readonly core: QueueCore;
  private readonly journal: Journal<QueueEvent>;
  private readonly lock: Lock;
  private readonly clock: () => number;
  private readonly log: Logger;
  private readonly snapshotEvery: number;
  private lastSnapshotSeq: number;
  private readonly listeners = new Set<EventListener>();
  private closed = false;
  private readonly clockTrust: ClockTrust;
  private readonly monotonic: () => number;
  /** Stamp of the newest event: no event is ever stamped earlier, so time order is seq order. */
  private lastTs: number;
  /** Where held time starts: the newest event's stamp (or the wall clock) at open, by `monotonic`. */
  private readonly heldFrom: { ts: number; mono: number };

  private constructor(
    options: DurableQueueOptions,
    core: QueueCore,
    journal: Journal<QueueEvent>,
    lock: Lock,
    snapshotSeq: number,
    lastTs: number | null,
  ) {
    this.core = core;
    this.journal = journal;
    this.lock = lock;
    this.clock = options.clock;
    this.log = options.log;
    this.snapshotEvery = options.snapshotEvery ?? options.config.journal.snapshotEvery;
    this.lastSnapshotSeq = snapshotSeq;
    this.clockTrust = options.clockTrust ?? alwaysTrusted;
    this.monotonic = options.monotonic ?? (() => performance.now());
    this.lastTs = lastTs ?? Number.NEGATIVE_INFINITY;
    this.heldFrom = { ts: lastTs ?? options.clock(), mono: this.monotonic() };
  }

  /**
   * The time the queue goes by: the wall clock when trusted, else the last event's time carried on
   * by the monotonic clock; never earlier than the newest event.
   */
  now(): number {
    if (this.clockTrust.trusted()) return Math.max(this.clock(), this.lastTs);
    const held = Math.max(this.heldFrom.ts + (this.monotonic() - this.heldFrom.mono), this.lastTs);
    // Held time must not carry the queue into the next business day either: that is the reset
    // the hold waits for. Past it, time stands at the newest event until the clock is trusted.
    if (this.core.day !== null && this.core.rollover(held).length > 0)
      return Math.max(this.lastTs, this.heldFrom.ts);
    return held;
  }

  /**
   * Locks the data folder, loads the snapshot, replays the journal after it, rolls the day over if
   * it changed while stopped, and voids prints that were interrupted (see INTERRUPTED_PRINT).
   * Throws a JournalError (LOCK_HELD, JOURNAL_CORRUPT, ...) that the entry point reports.
   */
  static open(options: DurableQueueOptions): DurableQueue {
    const warn = (msg: string) => options.log.warn(msg);
    const lock = acquireLock(options.dataDir, { onWarning: warn });
    try {
      const opened = Journal.open<QueueEvent>(options.dataDir, { onWarning: warn });
      const model = buildModel(options.config);
      const core = new QueueCore(model, opened.snapshot?.state as QueueStateJson | undefined);
      for (const event of opened.records) core.apply(event);
      const lastTs = opened.records.at(-1)?.ts ?? null;
      const queue = new DurableQueue(options, core, opened.journal, lock, opened.snapshot?.seq ?? 0, lastTs);
      queue.tick();
      const interrupted = [...core.view.tickets.values()].filter((t) => t.state === "reserved");
      if (interrupted.length > 0) {
        queue.commit(
          interrupted.map((t) => ({ type: "print_failed", ticket: t.id, reason: INTERRUPTED_PRINT })),
        );
        warn(
          `voided ${interrupted.length} ticket(s) whose print was not confirmed: ${interrupted.map((t) => t.number).join(", ")}`,
        );
      }
      return queue;
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  /** Listeners hear every committed batch, after it is durable and applied. */
  onEvents(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Rolls the business day over if the clock says so. Call it from a timer, too. */
  tick(): QueueEvent[] {
    // An untrusted clock may say tomorrow: expiring the day's queue on its word would lose it.
    if (!this.clockTrust.trusted()) return [];
    return this.commit(this.core.rollover(this.now()));
  }

  /**
   * Runs a command: durable before it returns ok. A journal failure refuses it and changes nothing.
   * `by`: the staff user who asked (journaled with each event it causes, for the audit trail).
   */
  execute(command: QueueCommand, by?: string): ExecuteResult {
    if (this.closed)
      return {
        ok: false,
        error: { code: "JOURNAL_UNAVAILABLE", message: "the queue is closed" },
        events: [],
      };
    if ((command.type === "issue" || command.type === "reissue") && !this.clockTrust.trusted())
      return {
        ok: false,
        error: { code: "CLOCK_UNSYNCHRONISED", message: this.clockTrust.whyHeld() },
        events: [],
      };
    let rolled: QueueEvent[];
    try {
      rolled = this.tick();
    } catch (error) {
      return this.journalFailure(error);
    }
    const decision = this.core.decide(command, this.now());
    if (!decision.ok) return { ok: false, error: decision.error, events: rolled };
    try {
      return { ok: true, events: [...rolled, ...this.commit(decision.events, by)] };
    } catch (error) {
      return { ...this.journalFailure(error), events: rolled };
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.journal.close();
    } finally {
      this.lock.release();
    }
  }

  /** Snapshot now (also done every snapshotEvery events): a faster start next time. */
  snapshot(): void {
    this.journal.writeSnapshot(this.core.seq, this.core.toJson());
    this.lastSnapshotSeq = this.core.seq;
  }

  private commit(bodies: QueueEventBody[], by?: string): QueueEvent[] {
    if (bodies.length === 0) return [];
    const ts = this.now();
    const stamp = by === undefined ? {} : { by };
    const events = bodies.map(
      (body, i) => ({ ...body, seq: this.core.seq + 1 + i, ts, ...stamp }) as QueueEvent,
    );
    this.journal.append(events);
    this.lastTs = ts;
    for (const event of events) this.core.apply(event);
    if (this.core.seq - this.lastSnapshotSeq >= this.snapshotEvery) {
      try {
        this.snapshot();
      } catch (error) {
        // The journal holds everything; a missed snapshot only makes the next start slower.
        this.log.warn(`snapshot failed, will retry: ${(error as Error).message}`);
        this.lastSnapshotSeq = this.core.seq;
      }
    }
    for (const listener of this.listeners) {
      try {
        listener(events);
      } catch (error) {
        this.log.error(`an event listener failed: ${(error as Error).stack ?? String(error)}`);
      }
    }
    return events;
  }

  private journalFailure(error: unknown): Extract<ExecuteResult, { ok: false }> {
    const message = error instanceof Error ? error.message : String(error);
    this.log.error(`journal write failed, command refused: ${message}`);
    return {
      ok: false,
      error: { code: "JOURNAL_UNAVAILABLE", message: `the journal cannot be written: ${message}` },
      events: [],
    };
  }
}
