// The HID panel driver with a virtual USB keypad (boot-protocol keyboard reports).
import { afterEach, describe, expect, it } from "vitest";
import type { HidPanel } from "../../../device/panels/hid-panel.js";
import { hidPanel, settle } from "./hid-panel-harness.js";

const running: HidPanel[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});

async function openKeypad(reportId?: number) {
  const rig = hidPanel({ model: "keypad", match: { vendorId: 0x04d9 }, ...(reportId ? { reportId } : {}) });
  const keypad = rig.backend.addKeypad(reportId ? { reportId } : {});
  running.push(rig.panel);
  rig.panel.start();
  await settle();
  return { ...rig, keypad };
}

describe("HidPanel with a USB keypad", () => {
  it("opens the keyboard interface and names buttons by key usage", async () => {
    const { panel, keypad, edges, health } = await openKeypad();
    expect(panel.connected).toBe(true);
    expect(panel.stats()).toMatchObject({ model: "keypad", path: keypad.path });
    expect(health.last()).toEqual({ status: "ok", faults: [] });
    keypad.press("KP_1");
    keypad.press("KP_ENTER");
    keypad.release("KP_1");
    keypad.release("KP_ENTER");
    await settle();
    expect(edges.map((e) => `${e.button}${e.down ? "+" : "-"}`)).toEqual([
      "KP_1+",
      "KP_ENTER+",
      "KP_1-",
      "KP_ENTER-",
    ]);
  });

  it("keeps the key state through a rollover report: no phantom releases or presses", async () => {
    const { panel, keypad, edges } = await openKeypad();
    for (const key of ["KP_1", "KP_2", "KP_3", "KP_4", "KP_5", "KP_6"]) keypad.press(key);
    await settle();
    expect(edges).toHaveLength(6);
    keypad.press("KP_7"); // seventh key: the keypad sends ErrorRollOver in every slot
    await settle();
    expect(edges).toHaveLength(6);
    expect(panel.stats().rollovers).toBe(1);
    keypad.release("KP_7");
    keypad.release("KP_1");
    await settle();
    expect(edges.slice(6).map((e) => `${e.button}${e.down ? "+" : "-"}`)).toEqual(["KP_1-"]);
  });

  it("reads a composite keypad's reports with their report id", async () => {
    const { keypad, edges, panel } = await openKeypad(1);
    keypad.press("A");
    await settle();
    expect(edges.map((e) => e.button)).toEqual(["A"]);
    expect(panel.stats().malformed).toBe(0);
  });

  it("releases held keys when unplugged, and ignores LEDs (keypads have none)", async () => {
    const { panel, keypad, edges } = await openKeypad();
    panel.setLed("KP_1", "on");
    keypad.press("KP_9");
    await settle();
    keypad.unplug();
    await settle();
    expect(edges.at(-1)).toMatchObject({ button: "KP_9", down: false });
    expect(keypad.outputReports).toHaveLength(0);
  });
});
