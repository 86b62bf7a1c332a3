// The printer's far end of the transports a driver uses: raw TCP (port 9100 style), serialport's
// mock binding, and a real serial path. The byte plumbing is shared with the other simulated
// devices (simulators/shared/attach.ts); these names stay for the printer's callers.

import {
  type Attachment,
  attachByteDeviceToMockPort,
  attachByteDeviceToPath,
  serveByteDeviceTcp,
} from "../shared/attach.js";
import type { VirtualPrinter } from "./virtual-printer.js";

export type { Attachment };

/**
 * Serves the printer on raw TCP. Like a real network printer it talks to one host at a time; a
 * new connection replaces the old one (a host that reconnects after a network blip must win).
 */
export function serveVirtualPrinterTcp(
  printer: VirtualPrinter,
  options: { host?: string; port?: number } = {},
): Promise<{ port: number; close(): Promise<void> }> {
  return serveByteDeviceTcp(printer, options);
}

/** Puts the printer behind `SerialPortMock` at `path`; a host that opens that path talks to it. */
export function attachVirtualPrinterToMockPort(printer: VirtualPrinter, path: string): Promise<Attachment> {
  return attachByteDeviceToMockPort(printer, path);
}

/** Connects the printer to a real serial device path (e.g. a socat pty end) at `baudRate`. */
export function attachVirtualPrinterToPath(
  printer: VirtualPrinter,
  path: string,
  baudRate: number,
): Promise<Attachment> {
  return attachByteDeviceToPath(printer, path, baudRate);
}
