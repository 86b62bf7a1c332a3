// A johnny-five IO plugin for an Arduino running StandardFirmata: firmata-io (johnny-five's own
// Firmata client) over one of our ByteTransports, so the serial port is the project's serialport
// 13 (serialTransport, 57600 baud for StandardFirmata) or a TCP link (tcpTransport: an Arduino
// behind a serial-to-Ethernet adapter, or the virtual board in tests and simulated offices).
//
// firmata-io takes a "transport instance": an emitter of data/close/error with write(buffer, cb).
// A small stream-like object adapts the ByteTransport to that. firmata-io is imported only when a
// board connects, and this module imports no serialport (the transport does that lazily itself).

import { EventEmitter } from "node:events";
import { createRequire } from "node:module";
import type { ByteTransport } from "../transport.js";
import type { JohnnyFiveIo } from "./led-digits-five.js";

export interface FirmataIoOptions {
  /** The link to the Arduino; opened for each connection attempt, closed when the plugin is let go. */
  transport: ByteTransport;
  /**
   * How long firmata-io waits for the board to report its version on its own before asking for
   * it. An Arduino reset by the serial port opening announces itself after its bootloader
   * (about 2 s); one that is not reset (over TCP) never does. Default 5000 ms.
   */
  reportVersionTimeoutMs?: number;
}

interface FirmataInstance extends JohnnyFiveIo {
  reportVersionTimeoutId?: ReturnType<typeof setTimeout>;
  close?(): void;
}

type FirmataClass = new (transport: EventEmitter, options?: Record<string, unknown>) => FirmataInstance;

let firmataClass: FirmataClass | null = null;

/** Loads firmata-io (CommonJS) once, on first use. */
function loadFirmata(): FirmataClass {
  if (!firmataClass) {
    const require = createRequire(import.meta.url);
    const mod = require("firmata-io") as { Firmata?: FirmataClass };
    if (typeof mod.Firmata !== "function") throw new Error("firmata-io has no Firmata class");
    firmataClass = mod.Firmata;
  }
  return firmataClass;
}

/**
 * The stream firmata-io writes to and listens on: writes go to the transport, its bytes and its
 * loss come back as "data" and "close" events.
 */
class TransportStream extends EventEmitter {
  isOpen = true;

  constructor(private readonly transport: ByteTransport) {
    super();
  }

  write(buffer: Buffer, callback?: (error?: Error | null) => void): boolean {
    if (!this.isOpen) {
      callback?.(new Error(`${this.transport.description} is closed`));
      return false;
    }
    this.transport.write(new Uint8Array(buffer)).then(
      () => callback?.(null),
      (error: Error) => {
        callback?.(error);
        this.lost(error);
      },
    );
    return true;
  }

  /** The link went away: firmata-io hears "close" (and the error, if there is one), once. */
  lost(error?: Error): void {
    if (!this.isOpen) return;
    this.isOpen = false;
    if (error && this.listenerCount("error") > 0) this.emit("error", error);
    this.emit("close");
  }

  /** Let go on purpose: silent. */
  release(): void {
    this.isOpen = false;
  }
}

/**
 * The `io` factory of a LedDigitsBoard for an Arduino with StandardFirmata: each call opens the
 * transport and resolves with a firmata-io instance (ready later, when the board has answered the
 * handshake). Its close() closes the transport.
 */
export function firmataIoFactory(options: FirmataIoOptions): () => Promise<JohnnyFiveIo> {
  const { transport } = options;
  let current: TransportStream | null = null;
  // ByteTransport handlers stay registered for good: they reach whichever stream is current.
  transport.onData((chunk) => current?.emit("data", Buffer.from(chunk)));
  transport.onClose((error) => {
    const stream = current;
    current = null;
    stream?.lost(error ?? new Error(`${transport.description} closed`));
  });

  return async () => {
    const Firmata = loadFirmata();
    if (current) {
      current.release();
      current = null;
      await transport.close().catch(() => {});
    }
    await transport.open();
    const stream = new TransportStream(transport);
    current = stream;
    const firmata = new Firmata(stream, { reportVersionTimeout: options.reportVersionTimeoutMs ?? 5000 });
    // firmata-io has no close(); the driver calls this when it lets the plugin go.
    firmata.close = () => {
      clearTimeout(firmata.reportVersionTimeoutId);
      if (current !== stream) return;
      current = null;
      stream.release();
      void transport.close().catch(() => {});
    };
    return firmata;
  };
}
