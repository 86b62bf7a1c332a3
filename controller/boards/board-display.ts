// What every LED board shows, derived from the queue: a counter board shows the ticket called to
// its counter; a main board the last calls of its waiting area ("A023 → 4"); idle text while
// nobody is called, closed text while the counter is closed or the area's services are closed.
// Derived from state (not kept apart), so after a restart the boards show exactly what they did.

import type { OfficeConfig } from "../config/schema.js";
import { isOpenAt } from "../queue/core/calendar.js";
import type { QueueCore } from "../queue/core/queue.js";
import type { QueueEvent } from "../queue/core/types.js";
import type { ShownBoardConfig as BoardConfig } from "./board-schema.js";

export interface BoardCommand {
  board: string;
  text: string;
  /** A new call or a recall: the board draws the eye. */
  blink: boolean;
}

const CALLING = new Set(["ticket_called", "ticket_recalled"]);

export class BoardDisplays {
  private readonly boards: BoardConfig[];
  private readonly zoneOfCounter: Map<string, string>;
  private readonly shown = new Map<string, string>();

  constructor(
    private readonly config: OfficeConfig,
    private readonly core: QueueCore,
  ) {
    this.boards = [...config.devices.boardBuses.flatMap((bus) => bus.boards), ...config.devices.ledDisplays];
    this.zoneOfCounter = new Map(config.counters.map((c) => [c.id, c.zone]));
  }

  /** What a board shows now. */
  textOf(board: BoardConfig, now: number): string {
    const texts = this.config.devices.boardTexts;
    if (board.counter !== undefined) {
      const counter = this.core.view.counters.get(board.counter);
      if (counter?.status !== "open") return texts.closed;
      const ticket = counter.ticket ? this.core.view.tickets.get(counter.ticket) : undefined;
      return ticket?.number ?? texts.idle;
    }
    const zone = board.zone ?? "";
    if (!this.zoneOpen(zone, now)) return texts.closed;
    const calls = this.recentCalls(zone, board.lines);
    return calls.length ? calls.join("\n") : texts.idle;
  }

  /** Every board's text: at start, and after the devices reconnect. */
  all(now: number): BoardCommand[] {
    return this.boards.map((board) => {
      const text = this.textOf(board, now);
      this.shown.set(board.id, text);
      return { board: board.id, text, blink: false };
    });
  }

  /** The boards a batch of events changes (and those a call or recall makes blink). */
  onEvents(events: readonly QueueEvent[], now: number): BoardCommand[] {
    const callingCounters = new Set<string>();
    for (const e of events)
      if (CALLING.has(e.type) && "counter" in e && e.counter) callingCounters.add(e.counter);
    const callingZones = new Set([...callingCounters].map((c) => this.zoneOfCounter.get(c)));
    return this.changes(now, (board) =>
      board.counter !== undefined ? callingCounters.has(board.counter) : callingZones.has(board.zone),
    );
  }

  /** Boards whose text changed with time alone (opening hours, the daily reset). */
  refresh(now: number): BoardCommand[] {
    return this.changes(now, () => false);
  }

  private changes(now: number, blinks: (board: BoardConfig) => boolean): BoardCommand[] {
    const commands: BoardCommand[] = [];
    for (const board of this.boards) {
      const text = this.textOf(board, now);
      const blink = blinks(board);
      if (!blink && this.shown.get(board.id) === text) continue;
      this.shown.set(board.id, text);
      commands.push({ board: board.id, text, blink });
    }
    return commands;
  }

  private zoneOpen(zone: string, now: number): boolean {
    const { timeZone } = this.config.office;
    const services = new Set(
      this.config.counters
        .filter((c) => c.zone === zone)
        .flatMap((c) => c.services.map((e) => (typeof e === "string" ? e : e.service))),
    );
    return this.config.services.some((s) => services.has(s.id) && isOpenAt(s.hours, now, timeZone));
  }

  /** "A023 → 4" for the latest calls to counters of the zone, newest first. */
  private recentCalls(zone: string, lines: number): string[] {
    const calls: Array<{ at: number; text: string }> = [];
    for (const t of this.core.view.tickets.values()) {
      if (t.calledAt === undefined || t.counter === undefined) continue;
      if (this.zoneOfCounter.get(t.counter) !== zone) continue;
      calls.push({ at: t.calledAt, text: `${t.number} → ${t.counter}` });
    }
    return calls
      .sort((a, b) => b.at - a.at)
      .slice(0, lines)
      .map((c) => c.text);
  }
}
