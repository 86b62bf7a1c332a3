// GPIO buttons on a Pi through the real johnny-five: FiveButtonPanel -> gpiod IO plugin -> the
// virtual GPIO chip (the plugin's backend, in memory). Buttons to ground with pull-ups, one to
// 3.3 V with a pull-down, LEDs on output lines.
import { afterEach, describe, expect, it } from "vitest";
import type { GpioChipBackend } from "../../../device/gpio/gpio-chip-backend.js";
import { gpiodIoFactory } from "../../../device/gpio/gpiod-io.js";
import { FiveButtonPanel, type FiveButtonPanelOptions } from "../../../device/panels/five-button-panel.js";
import { VirtualGpioChip } from "../../../simulators/panels/virtual-gpio.js";
import { waitFor } from "../support/health.js";
import { detailedHealthSink, edgeLog, steppedIntervals } from "./five-support.js";

const running: FiveButtonPanel[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});

function panel(chip: VirtualGpioChip, options: Partial<FiveButtonPanelOptions> = {}) {
  const health = detailedHealthSink();
  const log = edgeLog();
  let now = 1_000;
  const p = new FiveButtonPanel({
    id: "kiosk-1",
    io: gpiodIoFactory({ chip: "virtual", backend: (): GpioChipBackend => chip.backend() }),
    buttons: [
      { button: "pensions", pin: 17, led: 5 },
      { button: "benefits", pin: "GPIO27", led: 6 },
      { button: "documents", pin: 22, pullUp: false },
    ],
    health,
    clock: () => now++,
    supervision: { random: () => 0.5, backoffInitialMs: 20, backoffMaxMs: 80 },
    ...options,
  });
  p.onEdge(log.push);
  running.push(p);
  return { p, health, log };
}

describe("FiveButtonPanel on GPIO lines (gpiod plugin over the virtual chip)", () => {
  it("reports press and release edges, stamped with the injected clock, with the lines biased", async () => {
    const chip = new VirtualGpioChip();
    const { p, health, log } = panel(chip);
    p.start();
    await waitFor(() => p.connected, "connected");
    expect([chip.bias(17), chip.bias(27), chip.bias(22)]).toEqual(["pull-up", "pull-up", "pull-down"]);
    expect(chip.watches).toBe(1); // every button in one request
    expect(health.last()).toEqual({ status: "ok", faults: [] });
    expect(health.details.at(-1)).toEqual({ io: "gpio", edges: 0, reconnects: 0 });

    chip.press(17);
    await waitFor(() => log.edges.length === 1, "down");
    chip.release(17);
    await waitFor(() => log.edges.length === 2, "up");
    chip.press(22); // to 3.3 V against its pull-down
    await waitFor(() => log.edges.length === 3, "documents down");
    chip.release(22);
    // johnny-five debounces each Button by 7 ms on its own: order across buttons needs a wait
    await waitFor(() => log.edges.length === 4, "documents up");
    chip.press(27);
    await waitFor(() => log.edges.length === 5, "benefits down");
    expect(log.brief()).toEqual([
      "pensions down",
      "pensions up",
      "documents down",
      "documents up",
      "benefits down",
    ]);
    const stamps = log.edges.map((e) => e.at);
    expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
    expect(stamps.every((at) => at > 1_000)).toBe(true);
    expect(p.stats()).toEqual({ edges: 5, reconnects: 0 });
  });

  it("lights, darkens and flashes LEDs (flash by the injected timer, 2 Hz)", async () => {
    const chip = new VirtualGpioChip();
    const timers = steppedIntervals();
    const { p } = panel(chip, { timers });
    p.setLed("pensions", "on"); // remembered before the panel is there
    p.start();
    await waitFor(() => p.connected, "connected");
    await waitFor(() => chip.level(5) === 1, "pensions lit");
    expect(chip.level(6)).toBe(0);
    p.setLed("documents", "on"); // no LED: ignored
    p.setLed("benefits", "flash");
    await waitFor(() => chip.level(6) === 1, "benefits lit first");
    expect(timers.intervals).toBe(1);
    timers.step();
    await waitFor(() => chip.level(6) === 0, "benefits dark");
    expect(chip.level(5)).toBe(1); // steady stays steady
    timers.step();
    await waitFor(() => chip.level(6) === 1, "benefits lit again");
    p.setLed("benefits", "off");
    p.setLed("pensions", "off");
    await waitFor(() => chip.level(6) === 0 && chip.level(5) === 0, "both dark");
    expect(timers.intervals).toBe(0);
    expect(chip.outputLog.filter((w) => w.offset === 6).map((w) => w.level)).toEqual([0, 1, 0, 1, 0]);
  });

  it("chip process lost: releases what was down, offline + PANEL_OFFLINE; back: ok, LEDs restored", async () => {
    const chip = new VirtualGpioChip();
    const { p, health, log } = panel(chip);
    p.start();
    await waitFor(() => p.connected, "connected");
    p.setLed("pensions", "on");
    await waitFor(() => chip.level(5) === 1, "lit");
    chip.press(17);
    await waitFor(() => log.edges.length === 1, "down");

    chip.fail(); // gpiomon died
    expect(p.connected).toBe(false);
    expect(log.brief()).toEqual(["pensions down", "pensions up"]);
    expect(health.last()).toEqual({ status: "offline", faults: ["io_lost"] });
    expect(health.active.get("PANEL_OFFLINE")).toBe("warning");
    expect(chip.level(5)).toBe(0); // the tool let its lines go

    await waitFor(() => p.connected, "reconnected");
    await waitFor(() => chip.level(5) === 1, "LED restored");
    expect(health.active.size).toBe(0);
    expect(health.last()).toEqual({ status: "ok", faults: [] });
    expect(health.details.at(-1)).toMatchObject({ io: "gpio", reconnects: 1 });
    // the button is still held: the new session reports it down, and its release follows
    await waitFor(() => log.edges.length === 3, "held button seen again");
    chip.release(17);
    await waitFor(() => log.edges.length === 4, "released");
    expect(log.brief()).toEqual(["pensions down", "pensions up", "pensions down", "pensions up"]);
  });

  it("chip gone for a while: retried with backoff until it is back", async () => {
    const chip = new VirtualGpioChip();
    const { p, health } = panel(chip);
    p.start();
    await waitFor(() => p.connected, "connected");
    chip.unplug();
    await waitFor(() => chip.sessions >= 3, "retries");
    expect(p.connected).toBe(false);
    expect(health.last()?.status).toBe("offline");
    chip.plug();
    await waitFor(() => p.connected, "back");
    expect(health.active.size).toBe(0);
  });

  it("stop releases buttons seen down and lets the chip go", async () => {
    const chip = new VirtualGpioChip();
    const { p, log } = panel(chip);
    p.start();
    await waitFor(() => p.connected, "connected");
    chip.press(27);
    await waitFor(() => log.edges.length === 1, "down");
    await p.stop();
    expect(log.brief()).toEqual(["benefits down", "benefits up"]);
    expect(chip.live).toBe(0);
    expect(p.connected).toBe(false);
  });
});
