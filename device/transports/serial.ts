// A serial port (RS-232, USB-serial adapter, RS-485, or a pty) as a ByteTransport, over serialport 13.
// serialport is imported lazily so the native binding loads only when a serial device is configured.

import { existsSync } from "node:fs";
import type { OpenOptions, SerialPortStream } from "@serialport/stream";
import type { ByteTransport } from "../transport.js";
import { hangupAwareBinding } from "./serial-hangup.js";

/** Reopen attempts at most this far apart: a replugged panel or printer is back within seconds. */
export const SERIAL_REOPEN_CAP_MS = 2000;
/** How often an open port's path is checked: a by-id link vanishes the moment it is unplugged. */
const PATH_CHECK_MS = 1000;

export interface SerialTransportOptions {
  path: string;
  baudRate?: number;
  dataBits?: 5 | 6 | 7 | 8;
  parity?: "none" | "even" | "odd" | "mark" | "space";
  stopBits?: 1 | 1.5 | 2;
  rtscts?: boolean;
  /** Another serialport binding, e.g. `SerialPortMock.binding` in tests; default: the native one. */
  binding?: OpenOptions["binding"];
}

export function serialTransport(options: SerialTransportOptions): ByteTransport {
  const { path, baudRate = 9600, dataBits = 8, parity = "none", stopBits = 1 } = options;
  const bitsPerChar = 1 + dataBits + (parity === "none" ? 0 : 1) + stopBits;
  const description = `serial ${path} @ ${baudRate}`;
  const dataHandlers: ((chunk: Uint8Array) => void)[] = [];
  const closeHandlers: ((error?: Error) => void)[] = [];
  let port: SerialPortStream | null = null;
  // Writes still waiting for drain: they fail when the port goes away instead of hanging.
  const pending = new Set<(error: Error) => void>();

  const lost = (p: SerialPortStream, error: Error) => {
    if (port !== p) return; // a deliberate close, or already reported
    port = null;
    for (const reject of pending) reject(error);
    pending.clear();
    if (p.isOpen) p.close(() => {});
    for (const handler of closeHandlers) handler(error);
  };

  return {
    description,
    bytesPerSecond: baudRate / bitsPerChar,
    reopenCapMs: SERIAL_REOPEN_CAP_MS,

    async open() {
      if (port) return;
      const p = await createPort(options, baudRate);
      await new Promise<void>((resolve, reject) => {
        p.open((error) => (error ? reject(new Error(describeOpenError(error, path))) : resolve()));
      });
      port = p;
      // Real ports only (a mock binding has no file): the path gone means the device is gone,
      // even if the tty has not said so yet.
      if (!options.binding) {
        const watch = setInterval(() => {
          if (port !== p) clearInterval(watch);
          else if (!existsSync(path)) {
            clearInterval(watch);
            lost(p, new Error(`${path} is gone (unplugged)`));
          }
        }, PATH_CHECK_MS);
        watch.unref();
      }
      p.on("data", (chunk: Buffer) => {
        for (const handler of dataHandlers) handler(chunk);
      });
      p.on("close", (error?: Error | null) => lost(p, error ?? new Error(`${path} closed`)));
      p.on("error", (error: Error) => lost(p, error));
    },

    write(bytes) {
      const p = port;
      if (!p) return Promise.reject(new Error(`${description} is not open`));
      return new Promise<void>((resolve, reject) => {
        const fail = (error: Error) => {
          pending.delete(fail);
          reject(error);
        };
        pending.add(fail);
        p.write(Buffer.from(bytes), (error) => {
          if (error) fail(error);
        });
        // drain() waits for tcdrain: the bytes have left the UART, not just our buffer.
        p.drain((error) => {
          if (!pending.has(fail)) return;
          pending.delete(fail);
          if (error) reject(error);
          else resolve();
        });
      });
    },

    async close() {
      const p = port;
      port = null;
      for (const reject of pending) reject(new Error(`${description} closed`));
      pending.clear();
      if (!p?.isOpen) return;
      await new Promise<void>((resolve) => p.close(() => resolve()));
    },

    onData(handler) {
      dataHandlers.push(handler);
    },
    onClose(handler) {
      closeHandlers.push(handler);
    },
  };
}

async function createPort(options: SerialTransportOptions, baudRate: number): Promise<SerialPortStream> {
  const settings = {
    path: options.path,
    baudRate,
    autoOpen: false,
    ...(options.dataBits ? { dataBits: options.dataBits } : {}),
    ...(options.parity ? { parity: options.parity } : {}),
    ...(options.stopBits ? { stopBits: options.stopBits } : {}),
    ...(options.rtscts !== undefined ? { rtscts: options.rtscts } : {}),
  };
  if (options.binding) {
    const { SerialPortStream } = await import("@serialport/stream");
    return new SerialPortStream({ ...settings, binding: options.binding });
  }
  const [{ SerialPort }, { SerialPortStream }] = await Promise.all([
    import("serialport"),
    import("@serialport/stream"),
  ]);
  return new SerialPortStream({ ...settings, binding: hangupAwareBinding(SerialPort.binding) });
}

/** The bindings' messages name errno in words ("No such file or directory, cannot open ..."). */
export function describeOpenError(error: Error & { code?: string }, path: string): string {
  const text = `${error.code ?? ""} ${error.message}`;
  if (/ENOENT|No such file|does not exist/i.test(text)) return `no serial port ${path}`;
  if (/EACCES|Permission denied/i.test(text)) {
    return `no permission for ${path} (add the vooru user to the dialout group)`;
  }
  if (/EBUSY|busy|locked|Cannot lock/i.test(text)) return `serial port ${path} is in use by another program`;
  return `cannot open serial port ${path}: ${error.message}`;
}
