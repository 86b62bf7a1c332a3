// The HID panel driver when things are wrong: node-hid cannot load, the panel is not there, it
// cannot be opened, it is a model we do not know. Never a throw; always a health record and an alert.
import { afterEach, describe, expect, it } from "vitest";
import { HidError, type HidPanel, nodeHidBackend } from "../../../device/panels/hid-panel.js";
import { hidPanel, POLL_MS, settle } from "./hid-panel-harness.js";

const running: HidPanel[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});

function started(rig: ReturnType<typeof hidPanel>) {
  running.push(rig.panel);
  rig.panel.start();
  return rig;
}

describe("HidPanel faults", () => {
  it("node-hid unavailable (devices() rejects with the load error): offline hid_unavailable, alert, no throw", async () => {
    const rig = hidPanel();
    rig.backend.setFailDevices(
      new HidError(
        "HID_UNAVAILABLE",
        "node-hid cannot be loaded (libusb-1.0.so.0: cannot open shared object file): apt install libusb-1.0-0 libudev1",
      ),
    );
    expect(() => started(rig)).not.toThrow();
    await settle();
    expect(rig.panel.connected).toBe(false);
    expect(rig.health.last()).toEqual({ status: "offline", faults: ["hid_unavailable"] });
    expect(rig.health.active.get("HID_UNAVAILABLE")).toBe("critical");
    expect(rig.health.message("HID_UNAVAILABLE")).toMatch(/libusb-1\.0-0 libudev1/);
  });

  it("the real nodeHidBackend whose require fails names the cause and the fix", async () => {
    const backend = nodeHidBackend({
      load: () => {
        throw new Error("libusb-1.0.so.0: cannot open shared object file: No such file or directory");
      },
    });
    await expect(backend.devices()).rejects.toMatchObject({
      name: "HidError",
      code: "HID_UNAVAILABLE",
      message: expect.stringMatching(/libusb-1\.0\.so\.0.*apt install libusb-1\.0-0 libudev1/),
    });
    const rig = started(hidPanel({ backend }));
    await settle();
    expect(rig.health.last()).toEqual({ status: "offline", faults: ["hid_unavailable"] });
    expect(rig.health.active.get("HID_UNAVAILABLE")).toBe("critical");
    await rig.timers.advance(POLL_MS); // keeps trying, stays quiet about it
    expect(rig.health.calls.filter((c) => c.kind === "report")).toHaveLength(1);
  });

  it("a panel not there at start is offline not_found with PANEL_OFFLINE, polled every pollMs, found when plugged", async () => {
    const rig = started(hidPanel());
    await settle();
    expect(rig.health.last()).toEqual({ status: "offline", faults: ["not_found"] });
    expect(rig.health.active.get("PANEL_OFFLINE")).toBe("warning");
    expect(rig.health.message("PANEL_OFFLINE")).toMatch(/kiosk-1 \(X-keys, vendor 0x05f3, product 0x0405\)/);
    expect(rig.backend.listCalls).toBe(1);
    await rig.timers.advance(POLL_MS * 3);
    expect(rig.backend.listCalls).toBe(4);
    rig.backend.addXkeys();
    await rig.timers.advance(POLL_MS);
    expect(rig.panel.connected).toBe(true);
    expect(rig.health.active.size).toBe(0);
    expect(rig.health.last()).toEqual({ status: "ok", faults: [] });
  });

  it("a panel that cannot be opened (EACCES) is offline permission_denied with a udev hint, until it can", async () => {
    const rig = hidPanel();
    const xkeys = rig.backend.addXkeys();
    xkeys.setFailOpen(
      Object.assign(new Error("EACCES: permission denied, open '/dev/hidraw0'"), { code: "EACCES" }),
    );
    started(rig);
    await settle();
    expect(rig.panel.connected).toBe(false);
    expect(rig.health.last()).toEqual({ status: "offline", faults: ["permission_denied"] });
    expect(rig.health.active.get("PANEL_OPEN_FAILED")).toBe("critical");
    expect(rig.health.message("PANEL_OPEN_FAILED")).toMatch(
      /no permission to open \/dev\/hidraw0.*udev rule/,
    );
    xkeys.setFailOpen(null);
    await rig.timers.advance(POLL_MS);
    expect(rig.panel.connected).toBe(true);
    expect(rig.health.active.size).toBe(0);
  });

  it("another open failure is open_failed with node-hid's message", async () => {
    const rig = hidPanel();
    rig.backend.addXkeys().setFailOpen(new Error("cannot open device with path /dev/hidraw0"));
    started(rig);
    await settle();
    expect(rig.health.last()).toEqual({ status: "offline", faults: ["open_failed"] });
    expect(rig.health.message("PANEL_OPEN_FAILED")).toMatch(/cannot open device with path/);
  });

  it("moves from one alert to the next as the condition changes (not found -> cannot open -> ok)", async () => {
    const rig = started(hidPanel());
    await settle();
    expect([...rig.health.active.keys()]).toEqual(["PANEL_OFFLINE"]);
    rig.backend.addXkeys().setFailOpen(Object.assign(new Error("denied"), { code: "EACCES" }));
    await rig.timers.advance(POLL_MS);
    expect([...rig.health.active.keys()]).toEqual(["PANEL_OPEN_FAILED"]);
  });

  it("an X-keys product id vooru does not know is offline unsupported_model", async () => {
    const rig = hidPanel({
      match: { vendorId: 0x05f3 },
      backend: {
        devices: async () => [
          {
            vendorId: 0x05f3,
            productId: 0x0999,
            path: "/dev/hidraw7",
            usagePage: 12,
            usage: 1,
            interface: 0,
          },
        ],
        open: async () => {
          throw new Error("must not be opened");
        },
      },
    });
    started(rig);
    await settle();
    expect(rig.health.last()).toEqual({ status: "offline", faults: ["unsupported_model"] });
    expect(rig.health.active.get("PANEL_UNSUPPORTED")).toBe("critical");
  });

  it("refuses an empty match at construction (a configuration error, not a device fault)", () => {
    expect(() => hidPanel({ match: {} })).toThrow(/at least one field/);
  });
});
