// `vooru check --try-devices` against the simulators over real transports: a tcp printer that is
// a VirtualPrinter behind serveVirtualPrinterTcp, a Modbus board bus that is a VirtualModbusBus
// behind a simulated RS-485-to-Ethernet gateway, and a serial printer whose port does not exist.
// `vooru devices` runs with fake device sources (the real serial list spawns udevadm).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { main } from "../../../controller/cli/main.js";
import { parseOfficeConfig } from "../../../controller/config/load.js";
import { runCheckDevices, runDevices } from "../../../controller/discovery/cli-devices.js";
import { memoryLogger } from "../../../controller/health/log.js";
import { serveBoardBusTcp } from "../../../simulators/boards/attach.js";
import { VirtualModbusBus } from "../../../simulators/boards/modbus-bus.js";
import { serveVirtualPrinterTcp } from "../../../simulators/printer/attach.js";
import { VirtualPrinter } from "../../../simulators/printer/virtual-printer.js";
import { fakeSources, hidUnavailable } from "./fake-sources.js";

const closers: Array<() => Promise<void>> = [];
const dirs: string[] = [];
let printer: VirtualPrinter;
let bus: VirtualModbusBus;
let printerPort: number;
let busPort: number;

beforeEach(async () => {
  printer = new VirtualPrinter({ processId: true, asb: true });
  const printerServer = await serveVirtualPrinterTcp(printer, { host: "127.0.0.1", port: 0 });
  printerPort = printerServer.port;
  bus = new VirtualModbusBus();
  bus.addModule(1); // address 2 is configured but nothing answers there
  const busServer = await serveBoardBusTcp(bus, { host: "127.0.0.1", port: 0 });
  busPort = busServer.port;
  closers.push(printerServer.close, busServer.close);
});

afterEach(async () => {
  vi.restoreAllMocks();
  for (const close of closers.splice(0)) await close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function officeYaml(extraDevices = ""): string {
  return `
office: {id: t, name: {en: Test office}}
services: [{id: pensions, prefix: A, names: {en: Pensions}}]
counters: [{id: "1", services: [pensions]}, {id: "2", services: [pensions]}]
devices:
  printers:
    - {id: kiosk-1, profile: epson-tm-t20iii, transport: {type: tcp, host: 127.0.0.1, port: ${printerPort}}}
    - {id: desk, profile: generic-80mm, transport: {type: serial, path: /dev/serial/by-id/usb-nothing-here-if00}}
  boardBuses:
    - id: hall
      protocol: modbus-7seg
      transport: {type: tcp, host: 127.0.0.1, port: ${busPort}}
      boards:
        - {id: board-1, address: 1, counter: "1"}
        - {id: board-2, address: 2, counter: "2"}
${extraDevices}`;
}

function collect(): { print: (t: string) => void; out: string[] } {
  const out: string[] = [];
  return { out, print: (t) => out.push(t) };
}

describe("vooru check --try-devices", () => {
  it("tries every device once: the printer answers, the missing port and the silent board fail", async () => {
    const config = parseOfficeConfig(
      officeYaml(`  panels:
    - {id: kiosk-panel, kind: xkeys, printer: kiosk-1, io: {type: hid, vendorId: 0x05f3, productId: 0x0405, usagePage: 0x000c}, buttons: [{button: 0, service: pensions}]}
    - {id: pins, kind: gpio, printer: kiosk-1, io: {type: gpio, chip: gpiochip7}, buttons: [{button: 17, service: pensions}]}
`),
    );
    // The X-keys' hidraw node: a file this test may read and write.
    const dir = mkdtempSync(join(tmpdir(), "vooru-hid-"));
    dirs.push(dir);
    const hidraw = join(dir, "hidraw0");
    writeFileSync(hidraw, "");
    const sources = fakeSources({
      hidDevices: async () => [
        { vendorId: 0x05f3, productId: 0x0405, path: hidraw, usagePage: 0x0c, usage: 1, interface: 0 },
        { vendorId: 0x05f3, productId: 0x0405, path: "/dev/hidraw1", usagePage: 1, usage: 6, interface: 1 },
      ],
    });
    const { out, print } = collect();
    const code = await runCheckDevices(config, {
      json: true,
      log: memoryLogger(),
      sources,
      print,
      timeoutMs: 4000,
    });
    expect(code).toBe(1);
    const result = JSON.parse(out.join("\n"));
    expect(result.ok).toBe(false);
    const byId = Object.fromEntries(result.devices.map((d: { id: string }) => [d.id, d]));
    expect(byId["kiosk-1"]).toMatchObject({
      kind: "printer",
      target: `tcp 127.0.0.1:${printerPort}`,
      status: "ok",
      detail: expect.stringMatching(/^ready: online, paper ok, cover closed \(.*dleEot4 12/),
    });
    expect(byId.desk).toMatchObject({
      status: "failed",
      detail: expect.stringContaining("no serial port /dev/serial/by-id/usb-nothing-here-if00"),
    });
    expect(byId.hall).toMatchObject({ kind: "board bus", status: "ok" });
    expect(byId["board-1"]).toMatchObject({ status: "ok", detail: "answered the probe" });
    expect(byId["board-2"]).toMatchObject({
      status: "failed",
      detail: expect.stringMatching(/^no answer at address 2/),
    });
    // X-keys data interface found among the (fake) HID devices, but the real driver cannot open a
    // panel that is not there; the GPIO chip is not there at all.
    expect(byId["kiosk-panel"]).toMatchObject({
      kind: "panel (xkeys)",
      target: "hid 05f3:0405",
      status: "failed",
      detail: expect.stringMatching(new RegExp(`^found at ${hidraw}; opening it failed: `)),
    });
    expect(byId.pins).toMatchObject({
      status: "failed",
      detail:
        "no GPIO chip gpiochip7 (there are: gpiochip0 [pinctrl-rp1], gpiochip10 [gpio-brcmstb@107d508500])",
    });
    expect(printer.tickets()).toHaveLength(0); // no test ticket unless asked
  });

  it("a printer out of paper fails; --test-ticket prints on the named printer only", async () => {
    const config = parseOfficeConfig(officeYaml());
    const ok = {
      ...config,
      devices: { ...config.devices, printers: config.devices.printers.slice(0, 1), boardBuses: [] },
    };
    const { out, print } = collect();
    expect(await runCheckDevices(ok, { testTicket: "kiosk-1", log: memoryLogger(), print })).toBe(0);
    expect(out.join("\n")).toMatch(/ok +kiosk-1 +test ticket .*printed and confirmed \(process id\)/);
    expect(printer.tickets()).toHaveLength(1);
    printer.setPaperOut(true);
    const again = collect();
    expect(await runCheckDevices(ok, { json: true, log: memoryLogger(), print: again.print })).toBe(1);
    expect(JSON.parse(again.out.join("")).devices[0]).toMatchObject({
      status: "failed",
      detail: expect.stringMatching(/^out of paper/),
    });
  });

  it("panels: a node-hid that cannot load fails the panel with its reason", async () => {
    const config = parseOfficeConfig(
      officeYaml(`  panels:
    - {id: keypad, kind: keypad, printer: kiosk-1, io: {type: hid, vendorId: 0x04d9}, buttons: [{button: KP_1, service: pensions}]}
`),
    );
    const panelsOnly = { ...config, devices: { ...config.devices, printers: [], boardBuses: [] } };
    const { out, print } = collect();
    const sources = fakeSources({ hidDevices: hidUnavailable });
    expect(await runCheckDevices(panelsOnly, { json: true, log: memoryLogger(), sources, print })).toBe(1);
    expect(JSON.parse(out.join("")).devices[0].detail).toMatch(/^node-hid cannot load/);
  });

  it("through the CLI: a table, exit 1 on a failed device, exit 2 on an unknown --test-ticket printer", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vooru-check-"));
    dirs.push(dir);
    const file = join(dir, "office.yaml");
    writeFileSync(file, officeYaml());
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: unknown) => void lines.push(String(line)));
    const log = memoryLogger();
    expect(await main(["check", "--config", file, "--try-devices"], log)).toBe(1);
    const table = lines.join("\n");
    expect(table).toMatch(/^result +device +kind +via +detail$/m);
    expect(table).toMatch(/^ok +kiosk-1 +printer +tcp 127\.0\.0\.1:\d+ +ready/m);
    expect(table).toMatch(
      /^FAIL +desk +printer +serial \/dev\/serial\/by-id\/usb-nothing-here-if00 @ 19200 +no serial port/m,
    );
    expect(table).toContain("some devices failed: see above");
    expect(log.lines).toContain("info: trying printer kiosk-1...");
    expect(await main(["check", "--config", file, "--test-ticket", "nope"], log)).toBe(2);
    expect(log.lines.at(-1)).toBe(
      'error: --test-ticket: no printer "nope" in the config (printers: kiosk-1, desk)',
    );
    writeFileSync(file, "office: {id: t}\n");
    expect(await main(["check", "--config", file, "--try-devices"], log)).toBe(2);
  });
});

describe("vooru devices", () => {
  it("prints the report, or JSON with --json, and exits 0 even when a list cannot be read", async () => {
    const text = collect();
    expect(
      await runDevices({ sources: fakeSources({ hidDevices: hidUnavailable }), print: text.print }),
    ).toBe(0);
    expect(text.out.join("\n")).toMatch(/^Serial ports \(3\)/);
    expect(text.out.join("\n")).toContain("hid: NATIVE_MODULE_UNAVAILABLE");
    const json = collect();
    expect(await runDevices({ json: true, sources: fakeSources(), print: json.print })).toBe(0);
    const report = JSON.parse(json.out.join(""));
    expect(Object.keys(report)).toEqual([
      "serialPorts",
      "hidDevices",
      "usbPrinters",
      "gpioChips",
      "i2cBuses",
      "problems",
    ]);
    expect(report.usbPrinters[0].suggestions[0].key).toBe("devices.printers");
  });
});
