// The printer side of device/: the driver, and the transport a printer's configuration names.
// Building a transport loads nothing native: serialport is imported only when a serial port opens.

import type { ByteTransport } from "../transport.js";
import { type SerialTransportOptions, serialTransport } from "../transports/serial.js";
import { tcpTransport } from "../transports/tcp.js";
import { usbPrinterTransport } from "../transports/usb-lp.js";

export { EscPosPrinter, type EscPosPrinterOptions, type PrinterStats } from "./escpos-printer.js";
export type * from "./types.js";

export type PrinterTransportConfig =
  | ({ type: "serial" } & Omit<SerialTransportOptions, "binding">)
  | { type: "tcp"; host: string; port?: number; connectTimeoutMs?: number; keepAlive?: boolean }
  | { type: "usb"; path?: string };

export function createPrinterTransport(config: PrinterTransportConfig): ByteTransport {
  switch (config.type) {
    case "serial": {
      const { type: _, ...options } = config;
      return serialTransport(options);
    }
    case "tcp": {
      const { type: _, ...options } = config;
      return tcpTransport(options);
    }
    case "usb":
      return usbPrinterTransport(config.path !== undefined ? { path: config.path } : {});
  }
}
