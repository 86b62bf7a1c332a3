// Shared by the johnny-five button panel tests: a health sink that keeps the details too, and
// timers whose intervals (the LED flash) run only when a test says so.
import type { ButtonEdge } from "../../../device/panels/types.js";
import type { Timers } from "../../../device/timers.js";
import { type RecordingHealthSink, recordingHealthSink } from "../support/health.js";

export interface DetailedHealthSink extends RecordingHealthSink {
  readonly details: Record<string, unknown>[];
}

export function detailedHealthSink(): DetailedHealthSink {
  const inner = recordingHealthSink();
  const details: Record<string, unknown>[] = [];
  const report = inner.report.bind(inner);
  return Object.assign(inner, {
    details,
    report: (...args: Parameters<RecordingHealthSink["report"]>) => {
      details.push(args[3] ?? {});
      report(args[0], args[1], args[2]);
    },
  });
}

/** Real timeouts (ready and backoff waits around real I/O), intervals stepped by hand. */
export function steppedIntervals(): Timers & { step(): void; readonly intervals: number } {
  const intervals = new Map<number, () => void>();
  let next = 1;
  return {
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
    setInterval: (fn) => {
      intervals.set(next, fn);
      return next++;
    },
    clearInterval: (handle) => {
      intervals.delete(handle as number);
    },
    step() {
      for (const fn of [...intervals.values()]) fn();
    },
    get intervals() {
      return intervals.size;
    },
  };
}

export function edgeLog(): { edges: ButtonEdge[]; push: (edge: ButtonEdge) => void; brief(): string[] } {
  const edges: ButtonEdge[] = [];
  return {
    edges,
    push: (edge) => edges.push(edge),
    brief: () => edges.map((e) => `${e.button} ${e.down ? "down" : "up"}`),
  };
}
