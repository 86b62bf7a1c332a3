// What the operating system shows of the devices vooru can drive: serial ports, HID devices, USB
// printer class devices, GPIO chips and I2C buses. `vooru devices` lists them and `vooru check`
// looks configured devices up in them. Behind an interface, so tests hand in a fake machine and
// never spawn udevadm (SerialPort.list() does) or load a native module.

export interface SerialPortEntry {
  /** The kernel's device node: /dev/ttyUSB0, /dev/ttyACM0, /dev/ttyAMA0. */
  path: string;
  /** /dev/serial/by-id/... links to it: they survive replugging into another USB port. */
  byId: string[];
  /** Other links to it, e.g. /dev/serial0 on a Raspberry Pi. */
  aliases: string[];
  /** USB ids as 4 lower-case hex digits, when the port is on USB. */
  vendorId?: string;
  productId?: string;
  manufacturer?: string;
  serialNumber?: string;
}

export interface HidDeviceEntry {
  vendorId: number;
  productId: number;
  /** hidraw path (/dev/hidraw3) on Linux. */
  path?: string;
  manufacturer?: string;
  product?: string;
  serialNumber?: string;
  usagePage?: number;
  usage?: number;
  interface?: number;
}

export interface UsbPrinterEntry {
  /** /dev/usb/lp0 */
  path: string;
  /** Stable links to it made by deploy/udev/60-vooru.rules (/dev/vooru/usb-printer-SERIAL). */
  links: string[];
  vendorId?: string;
  productId?: string;
  manufacturer?: string;
  product?: string;
  serialNumber?: string;
  /** The printer's IEEE 1284 device id ("MFG:EPSON;CMD:ESC/POS;MDL:TM-T20III;..."), when usblp read it. */
  ieee1284Id?: string;
}

export interface GpioChipEntry {
  /** gpiochip0 */
  name: string;
  /** /dev/gpiochip0 */
  path: string;
  /** The kernel driver's label: pinctrl-rp1 (Pi 5), pinctrl-bcm2711 (Pi 4), pinctrl-bcm2835. */
  label?: string;
  lines?: number;
}

export interface I2cBusEntry {
  /** /dev/i2c-1 */
  path: string;
  /** The adapter's name from sysfs ("bcm2835 (i2c@7e804000)"). */
  name?: string;
}

/** A source that cannot list (a native module that does not load, a missing tool) throws this. */
export class DiscoveryError extends Error {
  readonly code: "NATIVE_MODULE_UNAVAILABLE" | "LISTING_FAILED";

  constructor(code: DiscoveryError["code"], message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DiscoveryError";
    this.code = code;
  }
}

export interface DeviceSources {
  serialPorts(): Promise<SerialPortEntry[]>;
  hidDevices(): Promise<HidDeviceEntry[]>;
  usbPrinters(): Promise<UsbPrinterEntry[]>;
  gpioChips(): Promise<GpioChipEntry[]>;
  i2cBuses(): Promise<I2cBusEntry[]>;
}

/** "04b8" from 0x04b8, 1208 or "04B8". */
export function hex4(id: number | string): string {
  const n = typeof id === "number" ? id : Number.parseInt(id, 16);
  return n.toString(16).padStart(4, "0");
}
