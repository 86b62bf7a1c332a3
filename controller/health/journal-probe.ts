// The journal's folder checked in the background: a few bytes written and fsync'd every 5 s, so
// a full, read-only or hanging card reaches IT within 10 s even when nobody presses or calls (the
// first command that writes would find it too, but an idle office has none). The alert is the
// journal's own JOURNAL_UNAVAILABLE; the probe clears only what it raised itself: a command's
// failure is cleared by the next command that writes.
import type { HealthCheck } from "../systemd/watchdog-health.js";
import type { HealthBoard } from "./health-board.js";

export const JOURNAL_PROBE_MS = 5000;

export interface JournalProbeOptions {
  check: HealthCheck;
  health: Pick<HealthBoard, "raise" | "clear" | "activeAlerts">;
  /** The journal's device id (queue-service.ts JOURNAL_DEVICE). */
  device: string;
  intervalMs?: number;
}

export function startJournalProbe(options: JournalProbeOptions): { stop(): void; runOnce(): Promise<void> } {
  let raisedByProbe = false;
  let running = false;
  const active = () =>
    options.health
      .activeAlerts()
      .some((a) => a.device === options.device && a.code === "JOURNAL_UNAVAILABLE");
  const runOnce = async () => {
    if (running) return;
    running = true;
    try {
      const problem = await options.check();
      if (problem && !active()) {
        raisedByProbe = true;
        options.health.raise({
          device: options.device,
          code: "JOURNAL_UNAVAILABLE",
          severity: "critical",
          message: `${problem}: new tickets and calls will be refused until it can be written. Check the card: free space (df -h), read-only (dmesg), or a failing card`,
        });
      } else if (!problem && raisedByProbe) {
        raisedByProbe = false;
        options.health.clear(options.device, "JOURNAL_UNAVAILABLE");
      }
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void runOnce(), options.intervalMs ?? JOURNAL_PROBE_MS);
  timer.unref();
  return { stop: () => clearInterval(timer), runOnce };
}
