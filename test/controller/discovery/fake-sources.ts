// A fake machine for discovery tests: a Pi 5 with an Epson on USB, an FTDI RS-485 adapter, an
// Arduino, an X-keys (three interfaces), a USB keypad and a mouse.
import {
  type DeviceSources,
  DiscoveryError,
  type GpioChipEntry,
  type HidDeviceEntry,
  type I2cBusEntry,
  type SerialPortEntry,
  type UsbPrinterEntry,
} from "../../../device/discovery/types.js";

export const FTDI_BY_ID = "/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A10K3XYZ-if00-port0";
export const ARDUINO_BY_ID = "/dev/serial/by-id/usb-Arduino__www.arduino.cc__0043_7563-if00";

export const serialPorts: SerialPortEntry[] = [
  { path: "/dev/ttyAMA0", byId: [], aliases: ["/dev/serial0"] },
  {
    path: "/dev/ttyUSB0",
    byId: [FTDI_BY_ID],
    aliases: [],
    vendorId: "0403",
    productId: "6001",
    manufacturer: "FTDI",
    serialNumber: "A10K3XYZ",
  },
  {
    path: "/dev/ttyACM0",
    byId: [ARDUINO_BY_ID],
    aliases: [],
    vendorId: "2341",
    productId: "0043",
    manufacturer: "Arduino (www.arduino.cc)",
  },
];

export const hidDevices: HidDeviceEntry[] = [
  {
    vendorId: 0x05f3,
    productId: 0x0405,
    path: "/dev/hidraw0",
    product: "XK-24",
    usagePage: 0x0c,
    usage: 1,
    interface: 0,
  },
  {
    vendorId: 0x05f3,
    productId: 0x0405,
    path: "/dev/hidraw1",
    product: "XK-24",
    usagePage: 1,
    usage: 6,
    interface: 1,
  },
  {
    vendorId: 0x05f3,
    productId: 0x0405,
    path: "/dev/hidraw2",
    product: "XK-24",
    usagePage: 1,
    usage: 2,
    interface: 2,
  },
  {
    vendorId: 0x04d9,
    productId: 0x1203,
    path: "/dev/hidraw3",
    product: "USB Keypad",
    usagePage: 1,
    usage: 6,
    interface: 0,
  },
  {
    vendorId: 0x046d,
    productId: 0xc077,
    path: "/dev/hidraw4",
    product: "USB Optical Mouse",
    usagePage: 1,
    usage: 2,
    interface: 0,
  },
];

export const usbPrinters: UsbPrinterEntry[] = [
  {
    path: "/dev/usb/lp0",
    links: [],
    vendorId: "04b8",
    productId: "0e28",
    manufacturer: "EPSON",
    product: "TM-T20III",
    serialNumber: "X7NZ012345",
    ieee1284Id: "MFG:EPSON;CMD:ESC/POS;MDL:TM-T20III;CLS:PRINTER;",
  },
];

export const gpioChips: GpioChipEntry[] = [
  { name: "gpiochip0", path: "/dev/gpiochip0", label: "pinctrl-rp1", lines: 54 },
  { name: "gpiochip10", path: "/dev/gpiochip10", label: "gpio-brcmstb@107d508500", lines: 32 },
];

export const i2cBuses: I2cBusEntry[] = [{ path: "/dev/i2c-1", name: "Synopsys DesignWare I2C adapter" }];

export function fakeSources(overrides: Partial<DeviceSources> = {}): DeviceSources {
  return {
    serialPorts: async () => serialPorts,
    hidDevices: async () => hidDevices,
    usbPrinters: async () => usbPrinters,
    gpioChips: async () => gpioChips,
    i2cBuses: async () => i2cBuses,
    ...overrides,
  };
}

export const hidUnavailable = async (): Promise<never> => {
  throw new DiscoveryError(
    "NATIVE_MODULE_UNAVAILABLE",
    "node-hid cannot load (libusb-1.0.so.0: cannot open shared object file); install libusb-1.0-0 and libudev1, then npm ci",
  );
};
