// A serialport binding that sees a hangup. After a USB-serial device is pulled (or a pty's far end
// closes), read() on the tty returns 0 bytes: end of file. @serialport/bindings-cpp 13 retries such
// a read for ever (serialport/bindings-cpp#162; the fix, PR 164, is unmerged), so the port never
// closes, the driver never hears of it and the process spins at high CPU. Here a 0-byte read is a
// disconnect, as EBADF/ENXIO/EIO are: the stream closes with the error and the driver reconnects.
import { read } from "node:fs";
import { promisify } from "node:util";
import type { OpenOptions } from "@serialport/stream";

type BindingInterface = OpenOptions["binding"];

const readAsync = promisify(read);

/** The parts of bindings-cpp's unix port binding the read loop needs. */
interface UnixPort {
  fd: number | null;
  readonly isOpen: boolean;
  poller?: { once(event: "readable", listener: (error?: Error | null) => void): void };
  read(buffer: Buffer, offset: number, length: number): Promise<{ bytesRead: number; buffer: Buffer }>;
}

type CodedError = Error & { code?: string; errno?: number; disconnect?: boolean; canceled?: boolean };

const notOpen = (): CodedError => Object.assign(new Error("Port is not open"), { canceled: true });

/** Errors that mean the device is gone (bindings-cpp's list, plus EIO a pty master gives). */
const GONE = new Set(["EBADF", "ENXIO", "EIO", "ENODEV", "UNKNOWN"]);

export async function readOrHangup(
  port: UnixPort,
  buffer: Buffer,
  offset: number,
  length: number,
  fsRead: typeof readAsync = readAsync,
): Promise<{ bytesRead: number; buffer: Buffer }> {
  for (;;) {
    if (!port.isOpen || port.fd === null) throw notOpen();
    try {
      const { bytesRead } = await fsRead(port.fd, buffer, offset, length, null);
      if (bytesRead > 0) return { bytesRead, buffer };
      throw Object.assign(new Error("the device hung up (end of file on the tty)"), {
        code: "EOF",
        disconnect: true,
      });
    } catch (caught) {
      const error = caught as CodedError;
      if (error.code === "EAGAIN" || error.code === "EWOULDBLOCK" || error.code === "EINTR") {
        // Nothing to read yet: wait for the poller, as bindings-cpp does.
        if (!port.isOpen || !port.poller) throw notOpen();
        const poller = port.poller;
        await new Promise<void>((resolve, reject) =>
          poller.once("readable", (pollError) => (pollError ? reject(pollError) : resolve())),
        );
        continue;
      }
      if ((error.code !== undefined && GONE.has(error.code)) || error.errno === -1) error.disconnect = true;
      throw error;
    }
  }
}

/** `binding` with its ports' read replaced by one that treats end of file as a hangup. */
export function hangupAwareBinding(binding: BindingInterface): BindingInterface {
  return {
    list: () => binding.list(),
    async open(options) {
      const port = await binding.open(options);
      const unix = port as unknown as UnixPort;
      // Only the unix binding reads an fd this way; others (Windows) keep their own read.
      if (typeof unix.fd === "number" && unix.poller) {
        unix.read = (buffer, offset, length) => readOrHangup(unix, buffer, offset, length);
      }
      return port;
    },
  } as BindingInterface;
}
