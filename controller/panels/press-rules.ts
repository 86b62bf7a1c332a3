// What a press means: raw button edges in, decisions out. Pure: no I/O, no timers; time comes in
// with each edge and each tick, so a test can replay any sequence exactly.
//
// The rules, per button:
// - Debounce. An edge within debounceMs of the button's last accepted edge is a bounce: ignored.
//   The button's level is settled once that window ends: if the last raw level differs from the
//   accepted one then, it is accepted at the window's end (a press shorter than the window, whose
//   release was a "bounce", is still released; a press right after a release still counts).
// - One ticket per press. A press is an accepted down edge, after an accepted release. Holding
//   does not repeat; a repeated down report without a release in between is a bounce.
// - Rate limit. A press within minPressIntervalMs of the button's last accepted press is refused
//   (rate_limited). A refused press does not move the window.
// - Stuck button. A button down for stuckAfterMs is stuck: it is reported once (the panel raises
//   BUTTON_STUCK), it is ignored until it is released (its repeated down reports are "stuck"),
//   and its release clears it. A release the driver made up because it lost the panel does not:
//   a key still held when the panel comes back would otherwise print a ticket per reconnect. The
//   first down after such a release is then taken as the stuck key (ignored, "stuck"), and its
//   release clears the alert.
// Then, for a press that passed those (admit()):
// - Closed service: nothing is printed (closed).
// - Printer in fault (offline, out of paper, cover open, error): refused at once
//   (printer_unavailable).
// - Printer busy: presses wait first-in first-out per printer, at most maxQueuedPerPrinter behind
//   the one printing; one more is refused (queue_full).
// An admitted press ends as issued or print_failed (the queue refused it, or the print did not
// come out and its number is void). Every down edge ends in exactly one outcome.
import type { ButtonEdge } from "../../device/panels/types.js";

export const PRESS_OUTCOMES = [
  "issued",
  "print_failed",
  "bounce",
  "rate_limited",
  "stuck",
  "closed",
  "queue_full",
  "printer_unavailable",
] as const;
export type PressOutcome = (typeof PRESS_OUTCOMES)[number];
export type PressCounters = Record<PressOutcome, number>;

/** Outcomes that flash the button for refusedFlashSeconds: the customer pressed and gets nothing. */
export const FLASHING_OUTCOMES: ReadonlySet<PressOutcome> = new Set([
  "rate_limited",
  "closed",
  "queue_full",
  "printer_unavailable",
]);

export function zeroCounters(): PressCounters {
  return Object.fromEntries(PRESS_OUTCOMES.map((o) => [o, 0])) as PressCounters;
}

export interface PressRuleSettings {
  debounceMs: number;
  minPressIntervalMs: number;
  stuckAfterMs: number;
}

export type RuleDecision =
  /** A press that passed debounce, rate limit and stuck: admit() decides what becomes of it. */
  | { type: "press"; button: string; at: number }
  /** A down edge that ends here. */
  | { type: "ignored"; button: string; at: number; outcome: "bounce" | "stuck" | "rate_limited" }
  /** The button has been down for stuckAfterMs. */
  | { type: "stuck"; button: string; at: number }
  /** A stuck button was released. */
  | { type: "released"; button: string; at: number };

interface ButtonState {
  /** The level the rules hold true: down or up. */
  accepted: boolean;
  acceptedAt: number;
  /** The last level the driver reported; differs from `accepted` only inside a debounce window. */
  raw: boolean;
  /** When the raw level last changed. */
  rawAt: number;
  lastPressAt: number;
  stuck: boolean;
}

export class PressRules {
  private readonly buttons = new Map<string, ButtonState>();

  constructor(private readonly settings: PressRuleSettings) {}

  /** One edge from the driver. Deadlines up to its time (settling, stuck) are handled first. */
  edge(edge: ButtonEdge): RuleDecision[] {
    const out = this.tick(edge.at);
    const b = this.state(edge.button);
    const ignored = (outcome: "bounce" | "stuck", at = edge.at) =>
      out.push({ type: "ignored", button: edge.button, at, outcome });
    if (edge.down) {
      // A second down with no release in between is not a press.
      if (b.raw) ignored(b.stuck ? "stuck" : "bounce");
      // Back after a lost link while stuck: this is the same key, still held.
      else if (b.stuck) {
        b.raw = true;
        b.rawAt = edge.at;
        b.accepted = true;
        b.acceptedAt = edge.at;
        ignored("stuck");
      } else {
        b.raw = true;
        b.rawAt = edge.at;
        // Down again inside the window after a release (or after its own release bounced): a bounce.
        if (b.accepted) ignored("bounce");
        // Inside the window after an accepted release: settles into a press if it stays down.
        else if (edge.at >= b.acceptedAt + this.settings.debounceMs)
          this.accept(edge.button, b, true, edge.at, out);
      }
    } else if (b.raw && edge.lost && b.stuck) {
      // The panel went away with the key stuck: keep it stuck (see the rules above).
      b.raw = false;
      b.rawAt = edge.at;
      b.accepted = false;
      b.acceptedAt = edge.at;
    } else if (b.raw) {
      const downAt = b.rawAt;
      b.raw = false;
      b.rawAt = edge.at;
      // The down it ends never settled: that down edge was a bounce.
      if (!b.accepted) ignored("bounce", downAt);
      else if (edge.at >= b.acceptedAt + this.settings.debounceMs)
        this.accept(edge.button, b, false, edge.at, out);
    }
    return out;
  }

  /** Handles every deadline up to `now`: levels that settled, buttons that became stuck. */
  tick(now: number): RuleDecision[] {
    const out: RuleDecision[] = [];
    const { debounceMs, stuckAfterMs } = this.settings;
    for (const [button, b] of this.buttons) {
      if (b.raw !== b.accepted && now >= b.acceptedAt + debounceMs)
        this.accept(button, b, b.raw, b.acceptedAt + debounceMs, out);
      if (b.accepted && !b.stuck && now >= b.acceptedAt + stuckAfterMs) {
        b.stuck = true;
        out.push({ type: "stuck", button, at: b.acceptedAt + stuckAfterMs });
      }
    }
    return out;
  }

  /** When tick() next has something to do, or null. */
  nextDeadline(): number | null {
    let next = Number.POSITIVE_INFINITY;
    for (const b of this.buttons.values()) {
      if (b.raw !== b.accepted) next = Math.min(next, b.acceptedAt + this.settings.debounceMs);
      if (b.accepted && !b.stuck) next = Math.min(next, b.acceptedAt + this.settings.stuckAfterMs);
    }
    return Number.isFinite(next) ? next : null;
  }

  /** Buttons stuck now. */
  stuckButtons(): string[] {
    return [...this.buttons].filter(([, b]) => b.stuck).map(([button]) => button);
  }

  private accept(button: string, b: ButtonState, down: boolean, at: number, out: RuleDecision[]): void {
    b.accepted = down;
    b.acceptedAt = at;
    if (!down) {
      if (b.stuck) {
        b.stuck = false;
        out.push({ type: "released", button, at });
      }
      return;
    }
    if (at < b.lastPressAt + this.settings.minPressIntervalMs) {
      out.push({ type: "ignored", button, at, outcome: "rate_limited" });
      return;
    }
    b.lastPressAt = at;
    out.push({ type: "press", button, at });
  }

  private state(button: string): ButtonState {
    let b = this.buttons.get(button);
    if (!b) {
      const never = Number.NEGATIVE_INFINITY;
      b = { accepted: false, acceptedAt: never, raw: false, rawAt: never, lastPressAt: never, stuck: false };
      this.buttons.set(button, b);
    }
    return b;
  }
}

export type Admission = "accepted" | "closed" | "printer_unavailable" | "queue_full";

/**
 * Whether a press that passed the button rules may go to its printer. `pending` counts the presses
 * printing or waiting at that printer now.
 */
export function admit(context: {
  open: boolean;
  printerReady: boolean;
  pending: number;
  maxQueued: number;
}): Admission {
  if (!context.open) return "closed";
  if (!context.printerReady) return "printer_unavailable";
  // One prints, up to maxQueued wait behind it.
  if (context.pending > context.maxQueued) return "queue_full";
  return "accepted";
}

/** A button's LED: a refused press flashes it; closed is dark; open flashes while its printer is in fault. */
export function buttonLed(context: {
  open: boolean;
  printerReady: boolean;
  refusedFlash: boolean;
}): "off" | "on" | "flash" {
  if (context.refusedFlash) return "flash";
  if (!context.open) return "off";
  return context.printerReady ? "on" : "flash";
}
