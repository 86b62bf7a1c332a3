// How a driver tells the controller about its device, without importing the controller: the
// controller hands each driver a sink that feeds its health board, MQTT and the webhook.

export type DeviceStatus = "ok" | "degraded" | "offline";
export type AlertSeverity = "info" | "warning" | "critical";

export interface DeviceHealthSink {
  /** Current status; faults are short codes ("paper_out", "cover_open", "no_answer"). */
  report(status: DeviceStatus, faults: string[], lastSeen?: number, details?: Record<string, unknown>): void;
  /** Raises an alert once; raising the same code again while active changes nothing. */
  raise(code: string, severity: AlertSeverity, message: string): void;
  clear(code: string): void;
}

/** A sink that drops everything, for tests and tools. */
export const nullHealthSink: DeviceHealthSink = { report() {}, raise() {}, clear() {} };

/** Reconnect delays: doubling from `initialMs` to `maxMs`, with full jitter so devices do not retry in step. */
export function backoffDelay(attempt: number, random: () => number, initialMs = 500, maxMs = 30_000): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt));
  return Math.round(initialMs / 2 + random() * (ceiling - initialMs / 2));
}
