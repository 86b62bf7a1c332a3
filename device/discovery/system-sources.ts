// The real DeviceSources: serialport's list (udev) plus /dev/serial/by-id, node-hid, /dev/usb/lp*
// with sysfs, /dev/gpiochip* with gpiodetect or sysfs, /dev/i2c-*. serialport and node-hid are
// imported lazily, and a module that cannot load its native binding is a DiscoveryError for its
// own list only: the other lists still come.
//
// `root` stands for "/" so tests can build a fake /dev and /sys; the native listers are injected.

import { execFile } from "node:child_process";
import { readdir, readFile, readlink, realpath } from "node:fs/promises";
import { posix } from "node:path";
import { type HidBackend, type HidDeviceInfo, HidError } from "../panels/hid-backend.js";
import { nodeHidBackend } from "../panels/node-hid-backend.js";
import {
  type DeviceSources,
  DiscoveryError,
  type GpioChipEntry,
  type HidDeviceEntry,
  hex4,
  type I2cBusEntry,
  type SerialPortEntry,
  type UsbPrinterEntry,
} from "./types.js";

/** What serialport's SerialPort.list() gives (ids as hex strings). */
export interface ListedSerialPort {
  path: string;
  manufacturer?: string | undefined;
  serialNumber?: string | undefined;
  vendorId?: string | undefined;
  productId?: string | undefined;
}

export interface SystemSourcesOptions {
  /** Where "/" is; default "/". */
  root?: string;
  listSerialPorts?: () => Promise<ListedSerialPort[]>;
  listHidDevices?: () => Promise<HidDeviceEntry[]>;
  /** Where HID devices are listed from when listHidDevices is not given; default node-hid. */
  hidBackend?: HidBackend;
  /** gpiodetect's output, or null when it is not installed; default: run it (only when root is "/"). */
  gpiodetect?: () => Promise<string | null>;
}

export function systemDeviceSources(options: SystemSourcesOptions = {}): DeviceSources {
  const root = options.root ?? "/";
  // Concatenated, not joined: "device/../idVendor" must go up from where the symlink points, which
  // only the kernel knows (a lexical join would drop the "device/.." pair).
  const base = root.replace(/\/+$/, "");
  const at = (path: string) => `${base}${path}`;
  const listSerial = options.listSerialPorts ?? listWithSerialport;
  const listHid = options.listHidDevices ?? (() => listHidDevices(options.hidBackend ?? nodeHidBackend()));
  const gpiodetect = options.gpiodetect ?? (root === "/" ? runGpiodetect : async () => null);

  /** Where a symlink under /dev points, as a path under /dev (not under root). */
  const linkTarget = async (path: string): Promise<string | null> => {
    try {
      return posix.resolve(posix.dirname(path), await readlink(at(path)));
    } catch {
      return null;
    }
  };

  /** Links in `dir` (e.g. /dev/serial/by-id) by the device they point to. */
  const linksIn = async (dir: string): Promise<Map<string, string[]>> => {
    const byTarget = new Map<string, string[]>();
    for (const name of await names(at(dir))) {
      const link = posix.join(dir, name);
      const target = await linkTarget(link);
      if (target) byTarget.set(target, [...(byTarget.get(target) ?? []), link]);
    }
    return byTarget;
  };

  return {
    async serialPorts() {
      const listed = await listSerial();
      const byId = await linksIn("/dev/serial/by-id");
      const aliases = new Map<string, string[]>();
      for (const alias of ["/dev/serial0", "/dev/serial1"]) {
        const target = await linkTarget(alias);
        if (target) aliases.set(target, [...(aliases.get(target) ?? []), alias]);
      }
      const entries = new Map<string, SerialPortEntry>();
      for (const port of listed) {
        entries.set(port.path, {
          path: port.path,
          byId: (byId.get(port.path) ?? []).sort(),
          aliases: aliases.get(port.path) ?? [],
          ...(port.vendorId ? { vendorId: hex4(port.vendorId) } : {}),
          ...(port.productId ? { productId: hex4(port.productId) } : {}),
          ...(port.manufacturer ? { manufacturer: port.manufacturer } : {}),
          ...(port.serialNumber ? { serialNumber: port.serialNumber } : {}),
        });
      }
      // A by-id link whose port udev did not report (a list filtered by the binding) still counts.
      for (const [path, links] of byId) {
        if (!entries.has(path))
          entries.set(path, { path, byId: links.sort(), aliases: aliases.get(path) ?? [] });
      }
      return [...entries.values()].sort((a, b) => a.path.localeCompare(b.path));
    },

    hidDevices: () => listHid(),

    async usbPrinters() {
      const links = await linksIn("/dev/vooru");
      const printers: UsbPrinterEntry[] = [];
      for (const name of (await names(at("/dev/usb"))).filter((n) => /^lp\d+$/.test(n))) {
        const path = `/dev/usb/${name}`;
        // usbmisc/lpN/device is the USB interface; its parent directory is the USB device.
        const sys = `/sys/class/usbmisc/${name}/device`;
        const attr = (file: string) => readText(at(`${sys}/../${file}`));
        const [vendorId, productId, manufacturer, product, serialNumber, ieee1284Id] = await Promise.all([
          attr("idVendor"),
          attr("idProduct"),
          attr("manufacturer"),
          attr("product"),
          attr("serial"),
          readText(at(`${sys}/ieee1284_id`)),
        ]);
        printers.push({
          path,
          links: links.get(path) ?? [],
          ...(vendorId ? { vendorId: hex4(vendorId) } : {}),
          ...(productId ? { productId: hex4(productId) } : {}),
          ...(manufacturer ? { manufacturer } : {}),
          ...(product ? { product } : {}),
          ...(serialNumber ? { serialNumber } : {}),
          ...(ieee1284Id ? { ieee1284Id } : {}),
        });
      }
      return printers.sort((a, b) => a.path.localeCompare(b.path, undefined, { numeric: true }));
    },

    async gpioChips() {
      const chips = (await names(at("/dev")))
        .filter((n) => /^gpiochip\d+$/.test(n))
        .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
      if (chips.length === 0) return [];
      const detected = parseGpiodetect((await gpiodetect()) ?? "");
      const fromSysfs = detected.size === 0 ? await sysfsGpioLabels(at, chips) : new Map();
      return chips.map((name): GpioChipEntry => {
        const info = detected.get(name) ?? fromSysfs.get(name);
        return {
          name,
          path: `/dev/${name}`,
          ...(info?.label ? { label: info.label } : {}),
          ...(info?.lines !== undefined ? { lines: info.lines } : {}),
        };
      });
    },

    async i2cBuses() {
      const buses = (await names(at("/dev")))
        .filter((n) => /^i2c-\d+$/.test(n))
        .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
      const result: I2cBusEntry[] = [];
      for (const bus of buses) {
        const name = await readText(at(`/sys/class/i2c-dev/${bus}/name`));
        result.push({ path: `/dev/${bus}`, ...(name ? { name } : {}) });
      }
      return result;
    },
  };
}

async function names(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return []; // no such folder: no such devices
  }
}

async function readText(path: string): Promise<string | undefined> {
  try {
    const text = (await readFile(path, "utf8")).replace(/\0/g, "").trim();
    return text === "" ? undefined : text;
  } catch {
    return undefined;
  }
}

/** Lines like "gpiochip0 [pinctrl-bcm2711] (58 lines)" (libgpiod 1 and 2 alike). */
export function parseGpiodetect(output: string): Map<string, { label: string; lines?: number }> {
  const chips = new Map<string, { label: string; lines?: number }>();
  for (const line of output.split("\n")) {
    const m = /^(gpiochip\d+)\s+\[([^\]]*)\](?:\s+\((\d+) lines\))?/.exec(line.trim());
    if (m?.[1] && m[2] !== undefined)
      chips.set(m[1], { label: m[2], ...(m[3] ? { lines: Number(m[3]) } : {}) });
  }
  return chips;
}

/**
 * Without gpiodetect: the legacy sysfs class (/sys/class/gpio/gpiochipBASE) has the label, and
 * sits under /sys/bus/gpio/devices/gpiochipN (kernel 6.x) or beside it under the same parent.
 */
async function sysfsGpioLabels(
  at: (path: string) => string,
  chips: string[],
): Promise<Map<string, { label: string; lines?: number }>> {
  const found = new Map<string, { label: string; lines?: number }>();
  const legacy = (await names(at("/sys/class/gpio"))).filter((n) => /^gpiochip\d+$/.test(n));
  const real = async (path: string) => realpath(at(path)).catch(() => null);
  for (const chip of chips) {
    const busReal = await real(`/sys/bus/gpio/devices/${chip}`);
    if (!busReal) continue;
    for (const entry of legacy) {
      const classReal = await real(`/sys/class/gpio/${entry}`);
      const parentReal = await real(`/sys/class/gpio/${entry}/device`);
      const mine =
        classReal?.startsWith(`${busReal}/`) ||
        (parentReal !== null && parentReal === posix.dirname(busReal));
      if (!mine) continue;
      const label = await readText(at(`/sys/class/gpio/${entry}/label`));
      const lines = Number(await readText(at(`/sys/class/gpio/${entry}/ngpio`)));
      if (label) found.set(chip, { label, ...(Number.isInteger(lines) ? { lines } : {}) });
      break;
    }
  }
  return found;
}

function runGpiodetect(): Promise<string | null> {
  return new Promise((resolve) => {
    execFile("gpiodetect", [], { timeout: 5000 }, (error, stdout) => resolve(error ? null : stdout));
  });
}

async function listWithSerialport(): Promise<ListedSerialPort[]> {
  let SerialPort: { list(): Promise<ListedSerialPort[]> };
  try {
    ({ SerialPort } = await import("serialport"));
  } catch (error) {
    throw new DiscoveryError(
      "NATIVE_MODULE_UNAVAILABLE",
      `serialport cannot load its native binding (${(error as Error).message}); reinstall with npm ci`,
      { cause: error },
    );
  }
  try {
    return await SerialPort.list();
  } catch (error) {
    throw new DiscoveryError(
      "LISTING_FAILED",
      `cannot list serial ports (${(error as Error).message}); is udev (udevadm) installed?`,
      { cause: error },
    );
  }
}

/** The panels' own node-hid backend lists them: one lazy load of node-hid, one way to fail. */
async function listHidDevices(backend: HidBackend): Promise<HidDeviceEntry[]> {
  let devices: HidDeviceInfo[];
  try {
    devices = await backend.devices();
  } catch (error) {
    const unavailable = error instanceof HidError && error.code === "HID_UNAVAILABLE";
    throw new DiscoveryError(
      unavailable ? "NATIVE_MODULE_UNAVAILABLE" : "LISTING_FAILED",
      unavailable ? (error as Error).message : `cannot list HID devices: ${(error as Error).message}`,
      { cause: error },
    );
  }
  return devices.map(
    (d): HidDeviceEntry => ({
      vendorId: d.vendorId,
      productId: d.productId,
      ...(d.path ? { path: d.path } : {}),
      ...(d.manufacturer ? { manufacturer: d.manufacturer } : {}),
      ...(d.product ? { product: d.product } : {}),
      ...(d.serialNumber ? { serialNumber: d.serialNumber } : {}),
      ...(d.usagePage !== undefined ? { usagePage: d.usagePage } : {}),
      ...(d.usage !== undefined ? { usage: d.usage } : {}),
      ...(d.interface !== undefined && d.interface >= 0 ? { interface: d.interface } : {}),
    }),
  );
}
