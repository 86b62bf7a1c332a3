// Simulated customers for the demo office (`vooru start --traffic N`): N arrivals a minute on
// average, at random moments (a Poisson process), each pressing a random topic button on a
// simulated panel. The press goes through the virtual device and the real driver like a
// customer's, so the press rules, printing and boards all work as they would. The office starts
// quiet without it: what a person or a test does is all that happens.

import type { Logger } from "../controller/health/log.js";
import { realTimers, type Timers } from "../device/timers.js";
import type { SimulatedPanelControl } from "./panels/simulated-panel.js";

export interface TrafficOptions {
  panels: ReadonlyMap<string, SimulatedPanelControl>;
  /** Average arrivals per minute. */
  perMinute: number;
  /** Uniform in [0, 1): inject a seeded one for tests. */
  random?: () => number;
  timers?: Timers;
  log: Logger;
}

export interface Traffic {
  /** Arrivals so far. */
  readonly arrivals: number;
  stop(): void;
}

/** Milliseconds to the next arrival: exponentially distributed with the given mean. */
export function nextArrivalMs(perMinute: number, uniform: number): number {
  return (-Math.log(1 - uniform) * 60_000) / perMinute;
}

export function startTraffic(options: TrafficOptions): Traffic {
  const random = options.random ?? Math.random;
  const timers = options.timers ?? realTimers;
  let arrivals = 0;
  let handle: unknown = null;
  let stopped = false;
  const arrive = () => {
    const panels = [...options.panels.values()].filter((p) => p.plugged && p.buttons.length > 0);
    const panel = panels[Math.floor(random() * panels.length)];
    const button = panel?.buttons[Math.floor(random() * panel.buttons.length)];
    if (panel && button) {
      arrivals++;
      options.log.info(`traffic: a customer presses ${button.service} on ${panel.id}`);
      panel.press(button.button).catch((error: Error) => options.log.warn(`traffic: ${error.message}`));
    }
    schedule();
  };
  const schedule = () => {
    if (stopped) return;
    handle = timers.setTimeout(arrive, nextArrivalMs(options.perMinute, random()));
  };
  if (options.perMinute > 0) schedule();
  return {
    get arrivals() {
      return arrivals;
    },
    stop() {
      stopped = true;
      if (handle !== null) timers.clearTimeout(handle);
    },
  };
}
