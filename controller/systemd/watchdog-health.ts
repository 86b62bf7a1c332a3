// What must hold for vooru to tell systemd's watchdog "still fine": the event loop turns in time
// (no endless loop, no sync call stuck on a dead device) and the journal folder takes a write and
// an fsync (the card is not read-only, full, or hanging). A check that fails holds the pings
// back; systemd restarts vooru once no ping came for WatchdogSec.

import { open, unlink } from "node:fs/promises";
import { join } from "node:path";
import { performance } from "node:perf_hooks";

/** One health check: null when healthy, else why not. */
export type HealthCheck = () => Promise<string | null>;

export interface EventLoopCheck {
  check: HealthCheck;
  stop(): void;
}

/**
 * The longest event-loop delay since the previous check must stay under `maxDelayMs`. The loop
 * being blocked *now* needs no check: the timer that would send the ping cannot fire either.
 *
 * Measured with a timer of our own rather than perf_hooks.monitorEventLoopDelay: its reset()
 * drops the first interval after it (on Node 20 a 400 ms block right after a reset reads as
 * 0 ms), and a check must reset at every ping. Here nothing is dropped: `last` is never reset.
 */
export function eventLoopDelayCheck(maxDelayMs: number, resolutionMs = 50): EventLoopCheck {
  let last = performance.now();
  let worst = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last - resolutionMs);
    last = now;
  }, resolutionMs).unref();
  return {
    async check() {
      // A block still going on when the check runs shows at the next tick of the timer.
      const delay = Math.max(worst, performance.now() - last - resolutionMs);
      worst = 0;
      return delay > maxDelayMs
        ? `the event loop was blocked for ${Math.round(delay)} ms (limit ${maxDelayMs} ms)`
        : null;
    },
    stop: () => clearInterval(timer),
  };
}

export const PROBE_FILE = "watchdog.probe";

/**
 * Writes a few bytes to `dataDir/watchdog.probe` and fdatasyncs them, like a journal append. A
 * probe still running after `timeoutMs` (I/O hanging on a failing card) fails the check, and no
 * second probe is started until it ends.
 */
export function journalWritableCheck(dataDir: string, timeoutMs: number): HealthCheck {
  const path = join(dataDir, PROBE_FILE);
  let running: { since: number; done: Promise<string | null> } | null = null;
  const probe = async (): Promise<string | null> => {
    let handle: Awaited<ReturnType<typeof open>> | undefined;
    try {
      handle = await open(path, "w");
      await handle.write(`${new Date().toISOString()}\n`);
      await handle.datasync();
      return null;
    } catch (error) {
      return `the data folder ${dataDir} cannot be written: ${(error as Error).message}`;
    } finally {
      await handle?.close().catch(() => {});
    }
  };
  return async () => {
    if (!running) {
      const done = probe();
      running = { since: Date.now(), done };
      void done.then(() => {
        if (running?.done === done) running = null;
      });
    }
    const current = running;
    const timedOut = new Promise<string>((resolve) => {
      const left = Math.max(0, timeoutMs - (Date.now() - current.since));
      setTimeout(
        () =>
          resolve(`a write to ${dataDir} has hung for ${Math.round((Date.now() - current.since) / 1000)} s`),
        left,
      ).unref();
    });
    return Promise.race([current.done, timedOut]);
  };
}

/** Removes the probe file (on a clean stop, so the data folder holds only the journal). */
export async function removeProbe(dataDir: string): Promise<void> {
  await unlink(join(dataDir, PROBE_FILE)).catch(() => {});
}
