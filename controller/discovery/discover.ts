// `vooru devices`: everything the machine shows that vooru could drive, what each probably is,
// and a config snippet for it. A list that cannot be read (node-hid not loading, no udev) is one
// line in the report, never a crash: the other lists still help.

import {
  type DeviceSources,
  DiscoveryError,
  type GpioChipEntry,
  type HidDeviceEntry,
  hex4,
  type I2cBusEntry,
  type SerialPortEntry,
  type UsbPrinterEntry,
} from "../../device/discovery/types.js";
import {
  type Described,
  describeGpioChip,
  describeHidGroup,
  describeSerialPort,
  describeUsbPrinter,
  groupHid,
  type HidGroup,
  type Suggestion,
  vendorName,
} from "./suggest.js";

export type Found<T> = T & Described;

export interface DiscoveryProblem {
  source: "serial" | "hid" | "usb-printers" | "gpio" | "i2c";
  code: string;
  message: string;
}

export interface DiscoveryReport {
  serialPorts: Found<SerialPortEntry>[];
  hidDevices: Found<HidGroup>[];
  usbPrinters: Found<UsbPrinterEntry>[];
  gpioChips: Found<GpioChipEntry>[];
  i2cBuses: Found<I2cBusEntry>[];
  problems: DiscoveryProblem[];
}

async function attempt<T>(
  source: DiscoveryProblem["source"],
  list: () => Promise<T[]>,
  problems: DiscoveryProblem[],
): Promise<T[]> {
  try {
    return await list();
  } catch (error) {
    const code = error instanceof DiscoveryError ? error.code : "LISTING_FAILED";
    problems.push({ source, code, message: (error as Error).message });
    return [];
  }
}

export async function discoverDevices(sources: DeviceSources): Promise<DiscoveryReport> {
  const problems: DiscoveryProblem[] = [];
  const [serial, hid, usb, gpio, i2c] = await Promise.all([
    attempt("serial", () => sources.serialPorts(), problems),
    attempt("hid", () => sources.hidDevices(), problems),
    attempt("usb-printers", () => sources.usbPrinters(), problems),
    attempt("gpio", () => sources.gpioChips(), problems),
    attempt("i2c", () => sources.i2cBuses(), problems),
  ]);
  // Numbered per kind, so two snippets pasted together do not share an id.
  return {
    serialPorts: serial.map((p, i) => ({ ...p, ...describeSerialPort(p, i + 1) })),
    hidDevices: groupHid(hid).map((g, i) => ({ ...g, ...describeHidGroup(g, i + 1) })),
    usbPrinters: usb.map((p, i) => ({ ...p, ...describeUsbPrinter(p, i + 1) })),
    gpioChips: gpio.map((c, i) => ({ ...c, ...describeGpioChip(c, i + 1) })),
    i2cBuses: i2c.map((b) => ({
      ...b,
      guess: "an I2C bus of the Pi: vooru drives HT16K33 displays through an Arduino (devices.ledDisplays)",
      suggestions: [],
    })),
    problems: problems.sort((a, b) => a.source.localeCompare(b.source)),
  };
}

function usbIds(vendorId?: string | number, productId?: string | number): string {
  if (vendorId === undefined) return "";
  return ` ${hex4(vendorId)}:${productId !== undefined ? hex4(productId) : "????"}`;
}

function words(...parts: Array<string | undefined>): string {
  return parts.filter((p) => p !== undefined && p !== "").join(" ");
}

function hidInterface(d: HidDeviceEntry): string {
  const usage =
    d.usagePage !== undefined
      ? `usagePage 0x${hex4(d.usagePage)} usage 0x${hex4(d.usage ?? 0)}`
      : "usage unknown";
  return words(d.path ?? "(no path)", d.interface !== undefined ? `interface ${d.interface}` : "", usage);
}

function snippets(suggestions: Suggestion[], lines: string[]): void {
  for (const s of suggestions) {
    lines.push(`    ${s.key}:`);
    for (const line of s.yaml.split("\n")) lines.push(`      ${line}`);
  }
}

/** The report for a person: one block per device, its guess, and snippets to paste. */
export function formatDiscovery(report: DiscoveryReport): string {
  const lines: string[] = [];
  const section = (title: string, count: number, none: string) => {
    lines.push("", `${title} (${count})`);
    if (count === 0) lines.push(`  ${none}`);
  };
  section("Serial ports", report.serialPorts.length, "none");
  for (const p of report.serialPorts) {
    const who = words(vendorName(p.vendorId) ?? p.manufacturer, p.serialNumber && `serial ${p.serialNumber}`);
    lines.push(`  ${words(p.path + usbIds(p.vendorId, p.productId), who)}`);
    for (const link of [...p.byId, ...p.aliases]) lines.push(`    = ${link}`);
    lines.push(`    ${p.guess}`);
    snippets(p.suggestions, lines);
  }
  section("HID devices", report.hidDevices.length, "none");
  for (const g of report.hidDevices) {
    const first = g.interfaces[0];
    const who = words(first?.manufacturer, first?.product, g.serialNumber && `serial ${g.serialNumber}`);
    lines.push(`  ${words(`0x${hex4(g.vendorId)}:0x${hex4(g.productId)}`, who)}`);
    for (const d of g.interfaces) lines.push(`    ${hidInterface(d)}`);
    lines.push(`    ${g.guess}`);
    snippets(g.suggestions, lines);
  }
  section("USB printers", report.usbPrinters.length, "none (/dev/usb/lp*)");
  for (const p of report.usbPrinters) {
    const who = words(p.manufacturer, p.product, p.serialNumber && `serial ${p.serialNumber}`);
    lines.push(`  ${words(p.path + usbIds(p.vendorId, p.productId), who)}`);
    for (const link of p.links) lines.push(`    = ${link}`);
    if (p.ieee1284Id) lines.push(`    IEEE 1284: ${p.ieee1284Id}`);
    lines.push(`    ${p.guess}`);
    snippets(p.suggestions, lines);
  }
  section("GPIO chips", report.gpioChips.length, "none (/dev/gpiochip*)");
  for (const c of report.gpioChips) {
    const lineCount = c.lines !== undefined ? `(${c.lines} lines)` : "";
    lines.push(`  ${words(c.path, c.label && `[${c.label}]`, lineCount)}`);
    lines.push(`    ${c.guess}`);
    snippets(c.suggestions, lines);
  }
  section("I2C buses", report.i2cBuses.length, "none (/dev/i2c-*; enable with raspi-config if needed)");
  for (const b of report.i2cBuses) lines.push(`  ${words(b.path, b.name && `(${b.name})`)}`);
  if (report.problems.length > 0) {
    lines.push("", "Could not look");
    for (const p of report.problems) lines.push(`  ${p.source}: ${p.code}: ${p.message}`);
  }
  lines.push(
    "",
    "Paste a snippet under its key in office.yaml, replace the placeholder ids, then run",
    "  vooru check --config office.yaml --try-devices",
  );
  return lines.join("\n").replace(/^\n/, "");
}
