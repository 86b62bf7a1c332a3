// The Linux USB printer class device (/dev/usb/lp0, the usblp driver) as a ByteTransport. usblp also
// reads the printer's back channel, so DLE EOT / ASB / barrier replies come back through the same file.
//
// The file is opened non-blocking and read by polling: a blocking read would hold one of libuv's
// four pool threads for as long as the printer stays silent, and could not be interrupted by close().

import { constants } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { isatty } from "node:tty";
import type { ByteTransport } from "../transport.js";

export interface UsbPrinterTransportOptions {
  path?: string;
  /** Pause between reads while the printer has nothing to say. */
  pollMs?: number;
}

/** errno codes that mean the device is gone (unplugged, powered off, pty peer closed). */
const GONE = new Set(["ENODEV", "EIO", "ENXIO", "EBADF", "EPIPE"]);

export function usbPrinterTransport(options: UsbPrinterTransportOptions = {}): ByteTransport {
  const { path = "/dev/usb/lp0", pollMs = 20 } = options;
  const description = `usb ${path}`;
  const dataHandlers: ((chunk: Uint8Array) => void)[] = [];
  const closeHandlers: ((error?: Error) => void)[] = [];
  let file: FileHandle | null = null;
  // Writes run one after another: a non-blocking write may take only part of the bytes.
  let writeChain: Promise<void> = Promise.resolve();

  const lost = (fh: FileHandle, error: Error) => {
    if (file !== fh) return; // closed on purpose, or already reported
    file = null;
    fh.close().catch(() => {});
    for (const handler of closeHandlers) handler(error);
  };

  const readLoop = async (fh: FileHandle) => {
    const buffer = Buffer.alloc(512);
    // usblp may answer 0 bytes while the printer is silent; a tty (a pty standing in for the device)
    // does so only after a hang-up, which is how an unplugged USB-serial pty shows.
    const zeroMeansGone = isatty(fh.fd);
    while (file === fh) {
      let bytesRead = 0;
      try {
        ({ bytesRead } = await fh.read(buffer, 0, buffer.length, null));
        if (bytesRead === 0 && zeroMeansGone) {
          lost(fh, new Error(`${description} went away (hang-up)`));
          return;
        }
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? "";
        if (code !== "EAGAIN" && code !== "EWOULDBLOCK") {
          lost(fh, new Error(`${description} went away (${code || (error as Error).message})`));
          return;
        }
      }
      if (file !== fh) return;
      if (bytesRead > 0) {
        const chunk = new Uint8Array(buffer.subarray(0, bytesRead)); // a copy: the buffer is reused
        for (const handler of dataHandlers) handler(chunk);
      } else {
        await sleep(pollMs); // usblp answers 0 bytes, a pty EAGAIN, when the printer is silent
      }
    }
  };

  const writeAll = async (fh: FileHandle, bytes: Uint8Array) => {
    let offset = 0;
    while (offset < bytes.length) {
      if (file !== fh) throw new Error(`${description} closed`);
      try {
        const { bytesWritten } = await fh.write(bytes, offset, bytes.length - offset, null);
        offset += bytesWritten;
        if (bytesWritten === 0) await sleep(pollMs);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? "";
        if (code === "EAGAIN" || code === "EWOULDBLOCK") {
          await sleep(pollMs); // the printer's buffer is full: wait for it to print
          continue;
        }
        const gone = new Error(`${description} went away (${code || (error as Error).message})`);
        if (GONE.has(code)) lost(fh, gone);
        throw gone;
      }
    }
  };

  return {
    description,

    async open() {
      if (file) return;
      try {
        // NOCTTY: a pty standing in for the device must not become our controlling terminal.
        file = await open(path, constants.O_RDWR | constants.O_NONBLOCK | constants.O_NOCTTY);
      } catch (error) {
        throw new Error(describeOpenError(error as NodeJS.ErrnoException, path));
      }
      void readLoop(file);
    },

    write(bytes) {
      const fh = file;
      if (!fh) return Promise.reject(new Error(`${description} is not open`));
      const done = writeChain.then(() => writeAll(fh, bytes));
      writeChain = done.catch(() => {});
      return done;
    },

    async close() {
      const fh = file;
      file = null;
      if (fh) await fh.close().catch(() => {});
    },

    onData(handler) {
      dataHandlers.push(handler);
    },
    onClose(handler) {
      closeHandlers.push(handler);
    },
  };
}

function describeOpenError(error: NodeJS.ErrnoException, path: string): string {
  switch (error.code) {
    case "ENOENT":
    case "ENODEV":
    case "ENXIO":
      return `no USB printer at ${path}`;
    case "EACCES":
    case "EPERM":
      return `no permission for ${path} (add the vooru user to the lp group)`;
    case "EBUSY":
      return `${path} is in use by another program (is CUPS holding it?)`;
    default:
      return `cannot open ${path}: ${error.message}`;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
