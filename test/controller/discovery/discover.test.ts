import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { boardBusSchema, ledDisplaySchema } from "../../../controller/boards/board-schema.js";
import { discoverDevices, formatDiscovery } from "../../../controller/discovery/discover.js";
import { panelSchema } from "../../../controller/panels/panel-schema.js";
import { printerSchema } from "../../../controller/printing/printer-schema.js";
import { ARDUINO_BY_ID, FTDI_BY_ID, fakeSources, hidUnavailable } from "./fake-sources.js";

/** Every snippet must parse as YAML and validate against its key's schema. */
const SCHEMAS = {
  "devices.printers": printerSchema,
  "devices.boardBuses": boardBusSchema,
  "devices.ledDisplays": ledDisplaySchema,
  "devices.panels": panelSchema,
} as const;

describe("vooru devices: discovery", () => {
  it("names what each device probably is and suggests snippets, by-id paths first", async () => {
    const report = await discoverDevices(fakeSources());
    expect(report.problems).toEqual([]);
    const [uart, ftdi, arduino] = report.serialPorts;
    expect(uart?.guess).toMatch(/on-board UART/);
    expect(uart?.suggestions[0]?.yaml).toContain("path: /dev/serial0");
    expect(ftdi?.guess).toMatch(/FTDI USB-serial adapter/);
    expect(ftdi?.suggestions.map((s) => s.key)).toEqual(["devices.printers", "devices.boardBuses"]);
    expect(ftdi?.suggestions[1]?.yaml).toContain(`path: ${FTDI_BY_ID}`);
    expect(arduino?.suggestions.map((s) => s.key)).toEqual(["devices.ledDisplays", "devices.panels"]);
    expect(arduino?.suggestions[0]?.yaml).toContain(
      `io: {type: firmata, path: ${ARDUINO_BY_ID}, baudRate: 57600}`,
    );

    const [xkeys, keypad, mouse] = report.hidDevices;
    expect(xkeys?.interfaces).toHaveLength(3); // one physical device, one panel
    expect(xkeys?.suggestions[0]?.yaml).toContain(
      "io: {type: hid, vendorId: 0x05f3, productId: 0x0405, usagePage: 0x000c}",
    );
    expect(keypad?.guess).toMatch(/keypad/);
    expect(keypad?.suggestions[0]?.yaml).toContain("kind: keypad");
    expect(mouse?.suggestions).toEqual([]);

    const [epson] = report.usbPrinters;
    expect(epson?.guess).toBe("Epson TM-T20III printer (USB printer class)");
    expect(epson?.suggestions[0]?.yaml).toContain("profile: epson-tm-t20iii");
    expect(epson?.suggestions[0]?.yaml).toContain("/dev/vooru/usb-printer-X7NZ012345");

    expect(report.gpioChips[0]?.guess).toBe("the Raspberry Pi 5 40-pin header");
    expect(report.gpioChips[0]?.suggestions[0]?.yaml).toContain("io: {type: gpio, chip: gpiochip0}");
    expect(report.gpioChips[1]?.suggestions).toEqual([]);
    expect(report.i2cBuses).toHaveLength(1);
  });

  it("every suggested snippet is valid config for its key", async () => {
    const report = await discoverDevices(fakeSources());
    const all = [
      ...report.serialPorts,
      ...report.hidDevices,
      ...report.usbPrinters,
      ...report.gpioChips,
    ].flatMap((d) => d.suggestions);
    expect(all.length).toBeGreaterThan(8);
    for (const s of all) {
      const [item] = parse(s.yaml) as unknown[];
      const schema = SCHEMAS[s.key as keyof typeof SCHEMAS];
      const result = schema.safeParse(item);
      expect(result.success, `${s.key}:\n${s.yaml}\n${JSON.stringify(result.error?.issues)}`).toBe(true);
    }
  });

  it("a node-hid that cannot load is a line in the report; the other lists still come", async () => {
    const report = await discoverDevices(fakeSources({ hidDevices: hidUnavailable }));
    expect(report.hidDevices).toEqual([]);
    expect(report.serialPorts).toHaveLength(3);
    expect(report.problems).toEqual([
      {
        source: "hid",
        code: "NATIVE_MODULE_UNAVAILABLE",
        message: expect.stringMatching(/^node-hid cannot load/),
      },
    ]);
    const text = formatDiscovery(report);
    expect(text).toContain("Could not look\n  hid: NATIVE_MODULE_UNAVAILABLE: node-hid cannot load");
  });

  it("any other failure of a source is reported with LISTING_FAILED", async () => {
    const report = await discoverDevices(
      fakeSources({
        serialPorts: async () => {
          throw new Error("spawn udevadm ENOENT");
        },
      }),
    );
    expect(report.problems).toEqual([
      { source: "serial", code: "LISTING_FAILED", message: "spawn udevadm ENOENT" },
    ]);
  });

  it("the text report shows ids, links, interfaces and the snippets under their keys", async () => {
    const text = formatDiscovery(await discoverDevices(fakeSources()));
    expect(text).toContain("  /dev/ttyUSB0 0403:6001 FTDI serial A10K3XYZ\n");
    expect(text).toContain(`    = ${FTDI_BY_ID}\n`);
    expect(text).toContain("    /dev/hidraw0 interface 0 usagePage 0x000c usage 0x0001\n");
    expect(text).toContain("    devices.panels:\n      - id: panel-1\n        kind: xkeys\n");
    expect(text).toContain("  /dev/gpiochip0 [pinctrl-rp1] (54 lines)\n");
    expect(text).toMatch(/vooru check --config office\.yaml --try-devices$/);
  });
});
