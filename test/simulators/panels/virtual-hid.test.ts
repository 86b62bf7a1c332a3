// The virtual HID panels send the bytes the real ones send and read output reports as they do.
import { describe, expect, it } from "vitest";
import { toHex } from "../../../protocols/hid/index.js";
import { VirtualHidBackend } from "../../../simulators/panels/virtual-hid.js";

const settle = () => new Promise((resolve) => setImmediate(resolve));

async function openReports(backend: VirtualHidBackend, path: string) {
  const handle = await backend.open(path);
  const reports: string[] = [];
  const errors: string[] = [];
  handle.onData((r) => reports.push(toHex(r)));
  handle.onError((e) => errors.push(e.message));
  return { handle, reports, errors };
}

describe("VirtualHidBackend X-keys", () => {
  it("lists three interfaces like a real XK-24; the buttons are on usage page 0x000C, interface 0", async () => {
    const backend = new VirtualHidBackend();
    backend.addXkeys({ serialNumber: "X1" });
    const listed = await backend.devices();
    expect(listed.map((d) => [d.path, d.usagePage, d.usage, d.interface])).toEqual([
      ["/dev/hidraw0", 0x0c, 1, 0],
      ["/dev/hidraw1", 1, 6, 1],
      ["/dev/hidraw2", 1, 2, 2],
    ]);
    expect(listed[0]).toMatchObject({ vendorId: 0x05f3, productId: 1029, serialNumber: "X1" });
  });

  it("sends 32-byte reports: unit id, program switch, column bytes, big-endian ms timestamp at byte 6", async () => {
    const backend = new VirtualHidBackend();
    const xkeys = backend.addXkeys({ unitId: 7, clock: () => 0x01020304 });
    const { reports } = await openReports(backend, xkeys.path);
    xkeys.press(29); // column 3, row 5
    xkeys.programSwitch(true);
    xkeys.release(29);
    await settle();
    expect(reports).toEqual([
      `07000000002001020304${"00".repeat(22)}`,
      `07010000002001020304${"00".repeat(22)}`,
      `07010000000001020304${"00".repeat(22)}`,
    ]);
    expect(() => xkeys.press(6)).toThrow(RangeError);
  });

  it("prefixes a report id 0 when asked (the 33-byte variant)", async () => {
    const backend = new VirtualHidBackend();
    const xkeys = backend.addXkeys({ reportIdPrefix: true });
    const { reports } = await openReports(backend, xkeys.path);
    xkeys.press(0);
    await settle();
    expect(reports[0]).toBe(`00000001${"00".repeat(29)}`); // id, unit, flags, column 0
  });

  it("decodes backlight, bank, indicator and frequency reports; rejects reports that are not 36 bytes", async () => {
    const backend = new VirtualHidBackend();
    const xkeys = backend.addXkeys();
    const { handle } = await openReports(backend, xkeys.path);
    const report = (...bytes: number[]) => {
      const out = new Uint8Array(36);
      out.set(bytes);
      return out;
    };
    await handle.write(report(0, 0xb6, 0, 0xff));
    expect([xkeys.led(0), xkeys.led(31), xkeys.redLed(0)]).toEqual(["on", "on", "off"]);
    await handle.write(report(0, 0xb5, 3, 2, 1));
    await handle.write(report(0, 0xb5, 32 + 4, 1, 1));
    await handle.write(report(0, 0xb3, 6, 2));
    await handle.write(report(0, 0xb4, 30));
    expect([xkeys.led(3), xkeys.redLed(4), xkeys.indicators.green, xkeys.flashFrequency]).toEqual([
      "flash",
      "on",
      "flash",
      30,
    ]);
    await handle.write([0, 0xb5, 5, 1]); // too short: the panel ignores it
    expect(xkeys.led(5)).toBe("on"); // still from the 0xB6 all-on
    expect(xkeys.rejectedWrites).toBe(1);
    expect(xkeys.outputReports).toHaveLength(6);
  });

  it("unplug: an error event like node-hid's, failing writes, gone from the list; plug lists it again", async () => {
    const backend = new VirtualHidBackend();
    const xkeys = backend.addXkeys();
    const { handle, errors } = await openReports(backend, xkeys.path);
    xkeys.unplug();
    await settle();
    expect(errors).toEqual(["could not read from HID device"]);
    await expect(handle.write(new Uint8Array(36))).rejects.toThrow();
    expect(await backend.devices()).toEqual([]);
    await expect(backend.open(xkeys.path)).rejects.toThrow(/cannot open/);
    xkeys.plug();
    expect(await backend.devices()).toHaveLength(3);
    expect(xkeys.led(0)).toBe("off"); // power was lost
  });

  it("setFailOpen and setFailDevices simulate permissions and a missing node-hid", async () => {
    const backend = new VirtualHidBackend();
    const xkeys = backend.addXkeys();
    xkeys.setFailOpen(Object.assign(new Error("EACCES"), { code: "EACCES" }));
    await expect(backend.open(xkeys.path)).rejects.toMatchObject({ code: "EACCES" });
    backend.setFailDevices(new Error("no node-hid"));
    await expect(backend.devices()).rejects.toThrow("no node-hid");
  });
});

describe("VirtualHidBackend keypad", () => {
  it("sends boot reports: modifiers, reserved, keys in press order; ErrorRollOver past six keys", async () => {
    const backend = new VirtualHidBackend();
    const keypad = backend.addKeypad();
    const { reports } = await openReports(backend, keypad.path);
    keypad.press("KP_1");
    keypad.press("LEFT_SHIFT");
    keypad.press("KP_ENTER");
    keypad.release("LEFT_SHIFT");
    for (const key of ["A", "B", "C", "D", "E"]) keypad.press(key);
    await settle();
    expect(reports.slice(0, 4)).toEqual([
      "0000590000000000",
      "0200590000000000",
      "0200595800000000",
      "0000595800000000",
    ]);
    expect(reports.at(-2)).toBe("0000595804050607");
    expect(reports.at(-1)).toBe("0000010101010101");
    expect(() => keypad.press("NO_SUCH_KEY")).toThrow(RangeError);
  });

  it("a composite keypad puts its report id first", async () => {
    const backend = new VirtualHidBackend();
    const keypad = backend.addKeypad({ reportId: 1 });
    const { reports } = await openReports(backend, keypad.path);
    keypad.press("KP_0");
    await settle();
    expect(reports).toEqual(["010000620000000000"]);
  });
});
