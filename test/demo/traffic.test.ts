import { describe, expect, it } from "vitest";
import { silentLogger } from "../../controller/health/log.js";
import type { SimulatedPanelControl } from "../../demo/panels/simulated-panel.js";
import { nextArrivalMs, startTraffic } from "../../demo/traffic.js";
import type { Timers } from "../../device/timers.js";

function fakePanel(id: string, plugged = true): SimulatedPanelControl & { pressed: string[] } {
  const pressed: string[] = [];
  return {
    id,
    kind: "xkeys",
    printer: "kiosk-1",
    buttons: [
      { button: "0", service: "pensions" },
      { button: "1", service: "benefits" },
    ],
    pressed,
    plugged,
    press: async (button) => {
      pressed.push(button);
    },
    hold() {},
    setPlugged() {},
    leds: () => ({}),
    onLedChange: () => () => {},
  };
}

/** Timers that fire when the test advances them. */
function steppedTimers(): Timers & { advance(ms: number): void; now: number } {
  const pending: Array<{ at: number; fn: () => void; id: number }> = [];
  let id = 0;
  const timers = {
    now: 0,
    setTimeout(fn: () => void, ms: number) {
      pending.push({ at: timers.now + ms, fn, id: ++id });
      return id;
    },
    clearTimeout(handle: unknown) {
      const i = pending.findIndex((p) => p.id === handle);
      if (i >= 0) pending.splice(i, 1);
    },
    setInterval: () => 0,
    clearInterval() {},
    advance(ms: number) {
      const end = timers.now + ms;
      for (;;) {
        pending.sort((a, b) => a.at - b.at);
        const next = pending[0];
        if (!next || next.at > end) break;
        pending.shift();
        timers.now = next.at;
        next.fn();
      }
      timers.now = end;
    },
  };
  return timers;
}

describe("simulated traffic", () => {
  it("spaces arrivals exponentially around the mean", () => {
    expect(nextArrivalMs(6, 0)).toBeCloseTo(0, 9);
    expect(nextArrivalMs(6, 1 - Math.exp(-1))).toBeCloseTo(10_000, 6);
  });

  it("presses a random button of a plugged-in simulated panel, and stops", () => {
    const a = fakePanel("a");
    const b = fakePanel("b", false);
    const timers = steppedTimers();
    // Every draw 0.5: arrivals every ln(2) * 10 s, always the first plugged panel's second button.
    const traffic = startTraffic({
      panels: new Map([
        ["a", a],
        ["b", b],
      ]),
      perMinute: 6,
      random: () => 0.5,
      timers,
      log: silentLogger,
    });
    timers.advance(60_000);
    const expected = Math.floor(60_000 / (Math.LN2 * 10_000));
    expect(traffic.arrivals).toBe(expected);
    expect(a.pressed).toEqual(Array(expected).fill("1"));
    expect(b.pressed).toEqual([]);
    traffic.stop();
    timers.advance(60_000);
    expect(traffic.arrivals).toBe(expected);
  });

  it("does nothing at zero per minute", () => {
    const timers = steppedTimers();
    const traffic = startTraffic({ panels: new Map(), perMinute: 0, timers, log: silentLogger });
    timers.advance(600_000);
    expect(traffic.arrivals).toBe(0);
  });
});
