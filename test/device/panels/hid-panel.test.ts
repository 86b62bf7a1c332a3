// The HID panel driver with a virtual X-keys XK-24: edges from real report bytes, LEDs as the
// panel decodes them, unplug and replug found by polling.
import { afterEach, describe, expect, it } from "vitest";
import type { HidPanel } from "../../../device/panels/hid-panel.js";
import { toHex } from "../../../protocols/hid/index.js";
import { hidPanel, POLL_MS, settle } from "./hid-panel-harness.js";

const running: HidPanel[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});

async function openXk24(options: Parameters<typeof hidPanel>[0] = {}) {
  const rig = hidPanel(options);
  const xkeys = rig.backend.addXkeys({ productId: 1029, unitId: 1, clock: () => rig.timers.now });
  running.push(rig.panel);
  rig.panel.start();
  await settle();
  return { ...rig, xkeys };
}

describe("HidPanel with an X-keys XK-24", () => {
  it("opens the button interface (not the keyboard or mouse one) and reports ok", async () => {
    const { panel, health, xkeys } = await openXk24();
    expect(panel.connected).toBe(true);
    expect(health.last()).toEqual({ status: "ok", faults: [] });
    expect(health.active.size).toBe(0);
    expect(health.details).toMatchObject({
      model: "XK-24",
      path: xkeys.path,
      productId: 1029,
      reports: 0,
      malformed: 0,
    });
    expect(xkeys.path).toBe("/dev/hidraw0");
  });

  it("emits one edge per changed button, stamped with the injected clock", async () => {
    const { xkeys, edges, timers, panel, health } = await openXk24();
    const t0 = timers.now;
    xkeys.press(3);
    await settle();
    await timers.advance(40);
    xkeys.press(29);
    await settle();
    await timers.advance(60);
    xkeys.release(3);
    xkeys.programSwitch(true);
    await settle();
    expect(edges).toEqual([
      { button: "3", down: true, at: t0 },
      { button: "29", down: true, at: t0 + 40 },
      { button: "3", down: false, at: t0 + 100 },
      { button: "PS", down: true, at: t0 + 100 },
    ]);
    expect(panel.stats()).toMatchObject({ reports: 4, malformed: 0 });
    // lastSeen is re-reported at most once a minute (a press must not cost a health publish)
    expect(health.lastSeen).toBeUndefined();
    await timers.advance(60_000);
    xkeys.release(29);
    await settle();
    expect(health.lastSeen).toBe(timers.now);
    expect(health.details).toMatchObject({ model: "XK-24", reports: 5, malformed: 0, productId: 1029 });
  });

  it("gives no edges for a repeated identical report", async () => {
    const { xkeys, edges } = await openXk24();
    xkeys.press(8);
    await settle();
    const report = new Uint8Array(32);
    report[0] = 1;
    report[3] = 0x01; // column 1 row 0 = key 8, still down
    xkeys.sendRaw(report);
    xkeys.sendRaw(report);
    await settle();
    expect(edges.map((e) => `${e.button}${e.down ? "+" : "-"}`)).toEqual(["8+"]);
  });

  it("skips and counts malformed reports; other report kinds are neither edges nor malformed", async () => {
    const { xkeys, edges, panel, health } = await openXk24();
    xkeys.sendRaw([1, 0, 0xff]);
    xkeys.sendRaw(new Uint8Array(64).fill(0xff));
    const version = new Uint8Array(32);
    version[1] = 214;
    xkeys.sendRaw(version);
    await settle();
    xkeys.press(0);
    await settle();
    expect(edges).toEqual([expect.objectContaining({ button: "0", down: true })]);
    expect(panel.stats()).toMatchObject({ reports: 4, malformed: 2 });
    expect(health.last()).toEqual({ status: "ok", faults: [] });
  });

  it("reads 33-byte reports with a leading report id 0 too", async () => {
    const rig = hidPanel();
    const xkeys = rig.backend.addXkeys({ reportIdPrefix: true });
    running.push(rig.panel);
    rig.panel.start();
    await settle();
    xkeys.press(13);
    await settle();
    expect(rig.edges).toEqual([{ button: "13", down: true, at: rig.timers.now }]);
    expect(rig.panel.stats().malformed).toBe(0);
  });

  it("clears the backlights on open, then lights what the controller set, in 36-byte reports", async () => {
    const rig = hidPanel();
    const xkeys = rig.backend.addXkeys();
    running.push(rig.panel);
    rig.panel.setLed("0", "on"); // before start: remembered
    rig.panel.start();
    await settle();
    rig.panel.setLed("29", "flash");
    rig.panel.setLed("INDICATOR_RED", "on");
    rig.panel.setLed("6", "on"); // no such key on an XK-24: ignored
    rig.panel.setLed("KP_1", "on"); // not an X-keys button: ignored
    await settle();
    const pad = (hex: string) => hex.padEnd(72, "0");
    expect(xkeys.outputReports.map(toHex)).toEqual([
      pad("00b600"),
      pad("00b601"),
      pad("00b5000101"),
      pad("00b51d0201"),
      pad("00b30701"),
    ]);
    expect(xkeys.rejectedWrites).toBe(0);
    expect([xkeys.led(0), xkeys.led(29), xkeys.led(1), xkeys.indicators.red]).toEqual([
      "on",
      "flash",
      "off",
      "on",
    ]);
  });

  it("on unplug: offline at once, PANEL_OFFLINE raised, held buttons released; on replug: back with its LEDs", async () => {
    const { panel, xkeys, edges, health, timers, backend } = await openXk24();
    panel.setLed("1", "on");
    panel.setLed("2", "flash");
    xkeys.press(1);
    xkeys.press(16);
    await settle();
    const unpluggedAt = timers.now;
    xkeys.unplug();
    await settle();
    expect(panel.connected).toBe(false);
    expect(health.last()).toEqual({ status: "offline", faults: ["unplugged"] });
    expect(health.active.get("PANEL_OFFLINE")).toBe("warning");
    expect(health.message("PANEL_OFFLINE")).toMatch(/kiosk-1 .*unplugged/);
    expect(edges.filter((e) => !e.down)).toEqual([
      { button: "1", down: false, at: unpluggedAt, lost: true },
      { button: "16", down: false, at: unpluggedAt, lost: true },
    ]);
    expect(panel.stats().unplugs).toBe(1);

    panel.setLed("1", "off"); // while unplugged: remembered
    panel.setLed("5", "on");
    xkeys.plug();
    const listed = backend.listCalls;
    await timers.advance(POLL_MS - 1);
    expect(panel.connected).toBe(false);
    await timers.advance(1);
    expect(backend.listCalls).toBe(listed + 1);
    expect(panel.connected).toBe(true);
    expect(health.last()).toEqual({ status: "ok", faults: [] });
    expect(health.active.size).toBe(0);
    expect([xkeys.led(1), xkeys.led(2), xkeys.led(5)]).toEqual(["off", "flash", "on"]);
    xkeys.press(1);
    await settle();
    expect(edges.at(-1)).toEqual({ button: "1", down: true, at: timers.now });
  });

  it("notices a panel that vanished from the device list without a read error, within pollMs", async () => {
    const { panel, health, timers, xkeys, backend } = await openXk24();
    // A backend that stops listing the device but never fails a read.
    const hidden = { on: false };
    const devices = backend.devices.bind(backend);
    backend.devices = async () => (hidden.on ? [] : devices());
    hidden.on = true;
    await timers.advance(POLL_MS);
    expect(panel.connected).toBe(false);
    expect(health.last()).toEqual({ status: "offline", faults: ["unplugged"] });
    hidden.on = false;
    await timers.advance(POLL_MS);
    expect(panel.connected).toBe(true);
    expect(xkeys.handles).toHaveLength(1); // the old handle was closed
  });

  it("a failed LED write means unplugged", async () => {
    const { panel, xkeys, health } = await openXk24();
    const [handle] = xkeys.handles;
    handle!.dead = true; // writes now fail like node-hid's after a yank, with no read error yet
    panel.setLed("0", "on");
    await settle();
    expect(panel.connected).toBe(false);
    expect(health.last()).toEqual({ status: "offline", faults: ["unplugged"] });
    expect(health.message("PANEL_OFFLINE")).toMatch(/write failed/);
  });

  it("stop() releases held buttons, closes the device and stops polling", async () => {
    const { panel, xkeys, edges, timers, backend } = await openXk24();
    xkeys.press(2);
    await settle();
    await panel.stop();
    running.length = 0;
    expect(edges.at(-1)).toMatchObject({ button: "2", down: false });
    expect(xkeys.handles).toHaveLength(0);
    const listed = backend.listCalls;
    await timers.advance(POLL_MS * 5);
    expect(backend.listCalls).toBe(listed);
    expect(panel.connected).toBe(false);
  });

  it("a throwing edge handler neither stops other handlers nor reads as an unplug", async () => {
    const { panel, xkeys, edges } = await openXk24();
    panel.onEdge(() => {
      throw new Error("controller bug");
    });
    xkeys.press(4);
    await settle();
    expect(panel.connected).toBe(true);
    expect(edges).toHaveLength(1);
  });
});
