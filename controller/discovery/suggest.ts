// What a found device probably is, by its USB vendor id or its kernel label, and the config
// snippet that would drive it. Snippets are YAML text in the shape of the office config
// (controller/config/devices-schema.ts, controller/panels/panel-schema.ts), written by hand so they can carry
// comments; ids and service names in them are placeholders to replace.

import type {
  GpioChipEntry,
  HidDeviceEntry,
  SerialPortEntry,
  UsbPrinterEntry,
} from "../../device/discovery/types.js";
import { hex4 } from "../../device/discovery/types.js";

export interface Suggestion {
  /** Where the snippet goes in office.yaml: "devices.printers", "devices.panels", ... */
  key: string;
  /** One list item (starting "- "), to paste under `key`. */
  yaml: string;
}

type Role = "printer" | "xkeys" | "usb-serial" | "arduino";

/** USB vendors vooru knows something about. */
export const KNOWN_VENDORS: Record<string, { name: string; role: Role }> = {
  "04b8": { name: "Epson", role: "printer" },
  "0519": { name: "Star Micronics", role: "printer" },
  "0dd4": { name: "Custom", role: "printer" },
  "0416": { name: "Winbond (receipt printer clones)", role: "printer" },
  "0fe6": { name: "ICS Advent (receipt printer clones)", role: "printer" },
  "05f3": { name: "P.I. Engineering X-keys", role: "xkeys" },
  "0403": { name: "FTDI", role: "usb-serial" },
  "1a86": { name: "QinHeng CH340", role: "usb-serial" },
  "10c4": { name: "Silicon Labs CP210x", role: "usb-serial" },
  "067b": { name: "Prolific PL2303", role: "usb-serial" },
  "2341": { name: "Arduino", role: "arduino" },
  "2a03": { name: "Arduino", role: "arduino" },
};

/** Raspberry Pi GPIO controllers: the 40-pin header. */
const PI_GPIO_LABELS: Record<string, string> = {
  "pinctrl-rp1": "Raspberry Pi 5",
  "pinctrl-bcm2711": "Raspberry Pi 4",
  "pinctrl-bcm2835": "Raspberry Pi 3 / Zero",
};

export function vendorName(vendorId: string | undefined): string | undefined {
  return vendorId ? KNOWN_VENDORS[hex4(vendorId)]?.name : undefined;
}

const SERVICE = "your-service-id";
const PRINTER = "kiosk-1";

/** The printer profile for what a printer says it is; the comment names the alternatives. */
export function profileFor(vendorId: string | undefined, model: string | undefined): string {
  if (vendorId && hex4(vendorId) === "04b8")
    return /T88/i.test(model ?? "") ? "epson-tm-t88vi" : "epson-tm-t20iii";
  return "generic-80mm";
}

const PROFILE_NOTE = "# epson-tm-t20iii, epson-tm-t88vi, generic-80mm or generic-58mm";

function printerSnippet(id: string, profile: string, transport: string): Suggestion {
  return {
    key: "devices.printers",
    yaml: [`- id: ${id}`, `  profile: ${profile}   ${PROFILE_NOTE}`, `  transport: ${transport}`].join("\n"),
  };
}

function boardBusSnippet(id: string, path: string): Suggestion {
  return {
    key: "devices.boardBuses",
    yaml: [
      `- id: ${id}`,
      "  protocol: modbus-7seg   # or alpha (Alpha signs, 9600 7E1)",
      `  transport: {type: serial, path: ${path}, baudRate: 9600}`,
      "  boards:",
      "    - {id: board-1, address: 1, counter: '1'}   # Modbus slave address; counter or zone",
    ].join("\n"),
  };
}

function firmataSnippets(n: number, path: string): Suggestion[] {
  return [
    {
      key: "devices.ledDisplays",
      yaml: [
        `- id: display-${n}`,
        "  controller: HT16K33   # or MAX7219 with pins: {data: 2, clock: 3, cs: 4}",
        "  counter: '1'          # or zone: main",
        `  io: {type: firmata, path: ${path}, baudRate: 57600}`,
      ].join("\n"),
    },
    panelSnippet(n, "firmata", `{type: firmata, path: ${path}, baudRate: 57600}`, "'2'", "'13'"),
  ];
}

function panelSnippet(n: number, kind: string, io: string, button: string, led?: string): Suggestion {
  const ledPart = led ? `, led: ${led}` : "";
  return {
    key: "devices.panels",
    yaml: [
      `- id: panel-${n}`,
      `  kind: ${kind}`,
      `  printer: ${PRINTER}   # the kiosk printer its tickets come out of`,
      `  io: ${io}`,
      "  buttons:",
      `    - {button: ${button}, service: ${SERVICE}${ledPart}}`,
    ].join("\n"),
  };
}

/** The path to put in the config: a by-id link survives replugging; /dev/serial0 is the Pi's UART. */
export function preferredSerialPath(port: SerialPortEntry): string {
  return port.byId[0] ?? port.aliases[0] ?? port.path;
}

export interface Described {
  /** What it probably is, for a person. */
  guess: string;
  suggestions: Suggestion[];
}

export function describeSerialPort(port: SerialPortEntry, n: number): Described {
  const path = preferredSerialPath(port);
  const vendor = port.vendorId ? KNOWN_VENDORS[hex4(port.vendorId)] : undefined;
  if (vendor?.role === "printer")
    return {
      guess: `a ${vendor.name} printer on a (virtual) serial port`,
      suggestions: [
        printerSnippet(
          `printer-${n}`,
          profileFor(port.vendorId, port.manufacturer),
          `{type: serial, path: ${path}, baudRate: 19200}`,
        ),
      ],
    };
  if (vendor?.role === "arduino")
    return {
      guess: "an Arduino: with StandardFirmata, an LED display or a button panel",
      suggestions: firmataSnippets(n, path),
    };
  if (vendor?.role === "usb-serial")
    return {
      guess: `a ${vendor.name} USB-serial adapter: a serial printer, or an RS-485 bus of LED boards${
        hex4(port.vendorId ?? 0) === "1a86" ? " (or an Arduino clone with StandardFirmata)" : ""
      }`,
      suggestions: [
        printerSnippet(`printer-${n}`, "generic-80mm", serial(path)),
        boardBusSnippet(`bus-${n}`, path),
        // Arduino clones carry a CH340 instead of the Arduino's own USB chip.
        ...(hex4(port.vendorId ?? 0) === "1a86" ? firmataSnippets(n, path) : []),
      ],
    };
  if (/ttyAMA|ttyS\d|serial\d/.test(`${port.path} ${port.aliases.join(" ")}`))
    return {
      guess:
        "an on-board UART (on a Raspberry Pi: GPIO 14/15, /dev/serial0): an RS-485 HAT, or a serial printer through an RS-232 level shifter",
      suggestions: [
        boardBusSnippet(`bus-${n}`, path),
        printerSnippet(`printer-${n}`, "generic-80mm", serial(path)),
      ],
    };
  return { guess: "unknown serial device", suggestions: [] };
}

function serial(path: string): string {
  return `{type: serial, path: ${path}, baudRate: 19200}`;
}

/** HID interfaces of one physical device (same vendor, product, serial): one panel each. */
export interface HidGroup {
  vendorId: number;
  productId: number;
  serialNumber?: string;
  interfaces: HidDeviceEntry[];
}

export function groupHid(devices: HidDeviceEntry[]): HidGroup[] {
  const groups = new Map<string, HidGroup>();
  for (const d of devices) {
    const key = `${d.vendorId}:${d.productId}:${d.serialNumber ?? ""}`;
    const group = groups.get(key) ?? {
      vendorId: d.vendorId,
      productId: d.productId,
      ...(d.serialNumber ? { serialNumber: d.serialNumber } : {}),
      interfaces: [],
    };
    group.interfaces.push(d);
    groups.set(key, group);
  }
  return [...groups.values()];
}

const isBootKeyboard = (d: HidDeviceEntry) => d.usagePage === 1 && d.usage === 6;

export function describeHidGroup(group: HidGroup, n: number): Described {
  const ids = `vendorId: 0x${hex4(group.vendorId)}, productId: 0x${hex4(group.productId)}`;
  const serialPart = group.serialNumber ? `, serialNumber: "${group.serialNumber}"` : "";
  const vendor = KNOWN_VENDORS[hex4(group.vendorId)];
  if (vendor?.role === "xkeys") {
    // An X-keys is composite: its key data come on the vendor interface (usage page 0x0c), not on
    // the keyboard and mouse emulation interfaces.
    const data = group.interfaces.find((d) => d.usagePage === 0x0c);
    const pick = data ? ", usagePage: 0x000c" : "";
    return {
      guess: "an X-keys button panel",
      suggestions: [panelSnippet(n, "xkeys", `{type: hid, ${ids}${serialPart}${pick}}`, "'0'", "true")],
    };
  }
  const keyboard = group.interfaces.find(isBootKeyboard);
  if (keyboard) {
    const pick =
      group.interfaces.length > 1 && keyboard.interface !== undefined
        ? `, interface: ${keyboard.interface}`
        : "";
    return {
      guess: "a keyboard or USB keypad (boot keyboard): a keypad panel",
      suggestions: [panelSnippet(n, "keypad", `{type: hid, ${ids}${serialPart}${pick}}`, "KP_1")],
    };
  }
  return { guess: "a HID device vooru has no use for", suggestions: [] };
}

export function describeUsbPrinter(printer: UsbPrinterEntry, n: number): Described {
  const model = /MDL:([^;]+)/.exec(printer.ieee1284Id ?? "")?.[1] ?? printer.product;
  const vendor = vendorName(printer.vendorId) ?? printer.manufacturer ?? "a";
  // /dev/usb/lpN numbers follow plug order: a udev link by serial number stays put.
  const path = printer.links[0] ?? printer.path;
  const snippet = printerSnippet(
    `printer-${n}`,
    profileFor(printer.vendorId, model),
    `{type: usb, path: ${path}}`,
  );
  if (!printer.links[0] && printer.serialNumber)
    snippet.yaml += `\n  # with deploy/udev/60-vooru.rules: path: /dev/vooru/usb-printer-${printer.serialNumber}`;
  return { guess: `${vendor} ${model ?? "USB"} printer (USB printer class)`, suggestions: [snippet] };
}

export function describeGpioChip(chip: GpioChipEntry, n: number): Described {
  const board = chip.label ? PI_GPIO_LABELS[chip.label] : undefined;
  if (!board)
    return { guess: chip.label ? `GPIO controller ${chip.label}` : "GPIO controller", suggestions: [] };
  return {
    guess: `the ${board} 40-pin header`,
    suggestions: [panelSnippet(n, "gpio", `{type: gpio, chip: ${chip.name}}`, "'17'", "'27'")],
  };
}
