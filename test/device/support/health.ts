// A DeviceHealthSink that records every call, with the alert set as the sink's user would see it.
import type { AlertSeverity, DeviceHealthSink, DeviceStatus } from "../../../device/health.js";

export type HealthCall =
  | { kind: "report"; status: DeviceStatus; faults: string[]; lastSeen?: number }
  | { kind: "raise"; code: string; severity: AlertSeverity; message: string }
  | { kind: "clear"; code: string };

export interface RecordingHealthSink extends DeviceHealthSink {
  readonly calls: HealthCall[];
  /** Alerts raised and not yet cleared, by code. */
  readonly active: Map<string, AlertSeverity>;
  /** The last report, if any. */
  last(): { status: DeviceStatus; faults: string[] } | undefined;
}

export function recordingHealthSink(): RecordingHealthSink {
  const calls: HealthCall[] = [];
  const active = new Map<string, AlertSeverity>();
  return {
    calls,
    active,
    report(status, faults, lastSeen) {
      calls.push({
        kind: "report",
        status,
        faults: [...faults],
        ...(lastSeen !== undefined ? { lastSeen } : {}),
      });
    },
    raise(code, severity, message) {
      calls.push({ kind: "raise", code, severity, message });
      active.set(code, severity);
    },
    clear(code) {
      calls.push({ kind: "clear", code });
      active.delete(code);
    },
    last() {
      for (let i = calls.length - 1; i >= 0; i--) {
        const call = calls[i];
        if (call?.kind === "report") return { status: call.status, faults: call.faults };
      }
      return undefined;
    },
  };
}

/** Polls `check` with real timers until it holds (device I/O runs on real time). */
export async function waitFor(check: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
