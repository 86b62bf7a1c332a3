// The far end of the transports a board driver uses: an RS-485-to-Ethernet gateway (raw TCP),
// serialport's mock binding, and a real serial path such as a socat pty end. A bus is whatever
// sits on the line (a VirtualModbusBus, a VirtualAlphaSign). serialport is imported lazily.

import {
  type Attachment,
  attachByteDeviceToMockPort,
  attachByteDeviceToPath,
  type ByteDevice,
  serveByteDeviceTcp,
} from "../shared/attach.js";

export type { Attachment };
export type BoardBus = ByteDevice;

/**
 * An RS-485-to-Ethernet gateway in transparent TCP server mode: bytes pass both ways unchanged.
 * One host at a time; a new connection replaces the old (a reconnecting controller must win).
 */
export function serveBoardBusTcp(
  bus: BoardBus,
  options: { host?: string; port?: number } = {},
): Promise<{ port: number; close(): Promise<void> }> {
  return serveByteDeviceTcp(bus, options);
}

/** Puts the bus behind `SerialPortMock` at `path`; a host that opens that path talks to it. */
export function attachBoardBusToMockPort(bus: BoardBus, path: string): Promise<Attachment> {
  return attachByteDeviceToMockPort(bus, path);
}

/** Connects the bus to a real serial device path (e.g. a socat pty end) at `baudRate`. */
export function attachBoardBusToPath(bus: BoardBus, path: string, baudRate: number): Promise<Attachment> {
  return attachByteDeviceToPath(bus, path, baudRate);
}
