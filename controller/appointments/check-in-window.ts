// When a booked customer may check in (pure; the time is passed in). With earlyMinutes E and
// lateMinutes L, an appointment at T may check in from T - E to T + L, both edges included:
// at T - E exactly it is in the window, one millisecond before it is early; at T + L exactly it
// is in the window, one millisecond after it is late, and the appointment is missed.
import type { AppointmentsConfig } from "./appointment-schema.js";

export type CheckInWindow = "early" | "in_window" | "late";

const MINUTE = 60_000;

export function checkInWindow(
  at: number,
  now: number,
  config: Pick<AppointmentsConfig, "earlyMinutes" | "lateMinutes">,
): CheckInWindow {
  if (now < at - config.earlyMinutes * MINUTE) return "early";
  if (now > missedAfter(at, config)) return "late";
  return "in_window";
}

/** The last moment of the window: a booking still unused after it is missed. */
export function missedAfter(at: number, config: Pick<AppointmentsConfig, "lateMinutes">): number {
  return at + config.lateMinutes * MINUTE;
}

/** The window's first moment. */
export function windowOpens(at: number, config: Pick<AppointmentsConfig, "earlyMinutes">): number {
  return at - config.earlyMinutes * MINUTE;
}
