// The real DeviceSources over a fake /dev and /sys tree (symlinks like udev and sysfs make them).
// serialport's list is injected: the real one spawns udevadm. node-hid's loader is injected so that
// it fails, as it does on a Pi without libusb.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseGpiodetect, systemDeviceSources } from "../../../device/discovery/system-sources.js";
import { DiscoveryError } from "../../../device/discovery/types.js";
import { nodeHidBackend } from "../../../device/panels/node-hid-backend.js";

const hidWithoutLibusb = nodeHidBackend({
  load: () => {
    throw new Error("libusb-1.0.so.0: cannot open shared object file: No such file or directory");
  },
});

const root = mkdtempSync(join(tmpdir(), "vooru-sys-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function file(path: string, text = ""): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}
function link(path: string, target: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  symlinkSync(target, join(root, path));
}

// Serial: a by-id link udev made, and the Pi's serial0 alias.
file("dev/ttyUSB0");
file("dev/ttyAMA0");
file("dev/ttyACM0");
link("dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A10K3XYZ-if00-port0", "../../ttyUSB0");
link("dev/serial/by-id/usb-1a86_USB_Serial-if00-port0", "../../ttyACM0");
link("dev/serial0", "ttyAMA0");
// A USB printer: the usbmisc class links to the USB interface, whose parent is the device.
const usbDevice = "sys/devices/platform/usb1/1-1";
file("dev/usb/lp0");
for (const [name, value] of Object.entries({
  idVendor: "04b8\n",
  idProduct: "0e28\n",
  manufacturer: "EPSON\n",
  product: "TM-T20III\n",
  serial: "X7NZ012345\n",
}))
  file(`${usbDevice}/${name}`, value);
file(`${usbDevice}/1-1:1.0/ieee1284_id`, "MFG:EPSON;CMD:ESC/POS;MDL:TM-T20III;\n");
mkdirSync(join(root, "sys/class/usbmisc/lp0"), { recursive: true });
symlinkSync(join(root, usbDevice, "1-1:1.0"), join(root, "sys/class/usbmisc/lp0/device"));
link("dev/vooru/usb-printer-X7NZ012345", "../usb/lp0");
// GPIO: kernel 6.x puts the legacy sysfs chip under the gpio device.
file("dev/gpiochip0");
file("dev/gpiochip4");
const gpioDevice = join(root, "sys/devices/platform/soc/1f000d0000.gpio/gpiochip0");
file("sys/devices/platform/soc/1f000d0000.gpio/gpiochip0/gpio/gpiochip512/label", "pinctrl-rp1\n");
file("sys/devices/platform/soc/1f000d0000.gpio/gpiochip0/gpio/gpiochip512/ngpio", "54\n");
mkdirSync(join(root, "sys/bus/gpio/devices"), { recursive: true });
symlinkSync(gpioDevice, join(root, "sys/bus/gpio/devices/gpiochip0"));
mkdirSync(join(root, "sys/class/gpio"), { recursive: true });
symlinkSync(join(gpioDevice, "gpio/gpiochip512"), join(root, "sys/class/gpio/gpiochip512"));
// I2C
file("dev/i2c-1");
file("sys/class/i2c-dev/i2c-1/name", "bcm2835 (i2c@7e804000)\n");

describe("system device sources over a fake /dev and /sys", () => {
  const sources = systemDeviceSources({
    root,
    hidBackend: hidWithoutLibusb,
    listSerialPorts: async () => [
      {
        path: "/dev/ttyUSB0",
        vendorId: "0403",
        productId: "6001",
        manufacturer: "FTDI",
        serialNumber: "A10K3XYZ",
      },
      { path: "/dev/ttyAMA0" },
    ],
  });

  it("serial ports carry their by-id links and aliases; a by-id port udev did not list is kept", async () => {
    expect(await sources.serialPorts()).toEqual([
      { path: "/dev/ttyACM0", byId: ["/dev/serial/by-id/usb-1a86_USB_Serial-if00-port0"], aliases: [] },
      { path: "/dev/ttyAMA0", byId: [], aliases: ["/dev/serial0"] },
      {
        path: "/dev/ttyUSB0",
        byId: ["/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A10K3XYZ-if00-port0"],
        aliases: [],
        vendorId: "0403",
        productId: "6001",
        manufacturer: "FTDI",
        serialNumber: "A10K3XYZ",
      },
    ]);
  });

  it("USB printers read their ids, strings and IEEE 1284 id from sysfs, and their udev links", async () => {
    expect(await sources.usbPrinters()).toEqual([
      {
        path: "/dev/usb/lp0",
        links: ["/dev/vooru/usb-printer-X7NZ012345"],
        vendorId: "04b8",
        productId: "0e28",
        manufacturer: "EPSON",
        product: "TM-T20III",
        serialNumber: "X7NZ012345",
        ieee1284Id: "MFG:EPSON;CMD:ESC/POS;MDL:TM-T20III;",
      },
    ]);
  });

  it("GPIO chips get their label from sysfs without gpiodetect, or from gpiodetect", async () => {
    expect(await sources.gpioChips()).toEqual([
      { name: "gpiochip0", path: "/dev/gpiochip0", label: "pinctrl-rp1", lines: 54 },
      { name: "gpiochip4", path: "/dev/gpiochip4" },
    ]);
    const withTool = systemDeviceSources({
      root,
      gpiodetect: async () =>
        "gpiochip0 [pinctrl-rp1] (54 lines)\ngpiochip4 [gpio-brcmstb@107d508500] (32 lines)\n",
    });
    expect((await withTool.gpioChips())[1]).toEqual({
      name: "gpiochip4",
      path: "/dev/gpiochip4",
      label: "gpio-brcmstb@107d508500",
      lines: 32,
    });
  });

  it("I2C buses with their adapter names", async () => {
    expect(await sources.i2cBuses()).toEqual([{ path: "/dev/i2c-1", name: "bcm2835 (i2c@7e804000)" }]);
  });

  it("node-hid that cannot load is a DiscoveryError NATIVE_MODULE_UNAVAILABLE, not a crash", async () => {
    const error = await sources.hidDevices().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscoveryError);
    expect((error as DiscoveryError).code).toBe("NATIVE_MODULE_UNAVAILABLE");
    expect((error as Error).message).toMatch(
      /^node-hid cannot be loaded \(libusb-1\.0\.so\.0: cannot open .*\): .*apt install libusb-1\.0-0 libudev1/,
    );
  });

  it("parses gpiodetect output of libgpiod 1 and 2", () => {
    expect(
      parseGpiodetect("gpiochip0 [pinctrl-bcm2711] (58 lines)\ngpiochip1 [raspberrypi-exp-gpio] (8 lines)\n"),
    ).toEqual(
      new Map([
        ["gpiochip0", { label: "pinctrl-bcm2711", lines: 58 }],
        ["gpiochip1", { label: "raspberrypi-exp-gpio", lines: 8 }],
      ]),
    );
  });
});
