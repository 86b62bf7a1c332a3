// A running office: the configuration, the durable queue, and the timers around it. The entry
// point starts one; tests start one in-process.
import { resolve } from "node:path";
import type { OfficeConfig } from "./config/schema.js";
import { DurableQueue } from "./durable-queue.js";
import type { Logger } from "./log.js";

export interface OfficeOptions {
  config: OfficeConfig;
  /** Overrides the config's journal.dataDir. */
  dataDir?: string;
  clock?: () => number;
  log: Logger;
  /** How often the business day is checked for its rollover. */
  tickMs?: number;
}

export interface RunningOffice {
  config: OfficeConfig;
  dataDir: string;
  queue: DurableQueue;
  stop(): void;
}

export function startOffice(options: OfficeOptions): RunningOffice {
  const dataDir = resolve(options.dataDir ?? options.config.journal.dataDir);
  const queue = DurableQueue.open({
    config: options.config,
    dataDir,
    clock: options.clock ?? Date.now,
    log: options.log,
  });
  // The daily reset happens on time even when nobody presses a button.
  const timer = setInterval(() => {
    try {
      queue.tick();
    } catch (error) {
      options.log.error(`day rollover failed, will retry: ${(error as Error).message}`);
    }
  }, options.tickMs ?? 30_000);
  let stopped = false;
  return {
    config: options.config,
    dataDir,
    queue,
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      queue.close();
    },
  };
}
