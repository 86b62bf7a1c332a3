// The far end of the transports a driver uses, for any simulated device that takes bytes in and
// sends bytes out: raw TCP (a network printer, an RS-485-to-Ethernet gateway), serialport's mock
// binding, and a real serial path such as one end of a socat pty pair. serialport is imported
// lazily, so loading a simulator never loads its native module unless a serial attachment is
// asked for.

import { createServer, type Socket } from "node:net";
import type { SerialPortMock } from "serialport";

type MockPortBinding = Awaited<ReturnType<typeof SerialPortMock.binding.open>>;

/** Anything that takes bytes from the host and may send bytes back. */
export interface ByteDevice {
  receive(chunk: Uint8Array): void;
  /** Returns an unsubscribe function. */
  onOutput(handler: (bytes: Uint8Array) => void): () => void;
}

export interface Attachment {
  close(): Promise<void>;
}

/**
 * Serves the device on raw TCP. It talks to one host at a time; a new connection replaces the
 * old one (a host that reconnects after a network blip must win over its own half-open socket).
 */
export async function serveByteDeviceTcp(
  device: ByteDevice,
  options: { host?: string; port?: number } = {},
): Promise<{ port: number; close(): Promise<void> }> {
  let current: Socket | undefined;
  const server = createServer((socket) => {
    current?.destroy();
    current = socket;
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => {
      if (current === socket) device.receive(new Uint8Array(chunk));
    });
    socket.on("error", () => socket.destroy()); // a host that vanishes mid-write is normal
    socket.on("close", () => {
      if (current === socket) current = undefined;
    });
  });
  const off = device.onOutput((bytes) => {
    if (current && !current.destroyed) current.write(bytes);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        off();
        current?.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * Puts the device behind `SerialPortMock` at `path`: creates the mock port, and when a host
 * opens it, hooks that port binding's write (host -> device) and answers through its emitData
 * (device -> host). The mock binding has no write hook of its own, so `open` is wrapped.
 */
export async function attachByteDeviceToMockPort(device: ByteDevice, path: string): Promise<Attachment> {
  const { SerialPortMock } = await import("serialport");
  const binding = SerialPortMock.binding;
  binding.createPort(path, { record: false });
  const originalOpen = binding.open;
  let active = true;
  let current: MockPortBinding | undefined;
  const wrappedOpen: typeof binding.open = async (openOptions) => {
    const port = await originalOpen.call(binding, openOptions);
    if (active && openOptions.path === path) {
      current = port;
      const write = port.write.bind(port);
      port.write = async (buffer: Buffer) => {
        await write(buffer);
        // Delivered once the binding accepted it, as the bytes would be on the wire by then.
        if (active && current === port) device.receive(new Uint8Array(buffer));
      };
    }
    return port;
  };
  binding.open = wrappedOpen;
  const off = device.onOutput((bytes) => {
    // Like a serial line: what the device sends while nobody has the port open is lost.
    if (current?.isOpen) current.emitData(Buffer.from(bytes));
  });
  return {
    close: async () => {
      active = false;
      off();
      current = undefined;
      // Another attachment may have wrapped open after us; then ours stays as a pass-through.
      if (binding.open === wrappedOpen) binding.open = originalOpen;
    },
  };
}

/** Connects the device to a real serial device path (e.g. a socat pty end) at `baudRate`. */
export async function attachByteDeviceToPath(
  device: ByteDevice,
  path: string,
  baudRate: number,
): Promise<Attachment> {
  const { SerialPort } = await import("serialport");
  const port = new SerialPort({ path, baudRate, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  port.on("data", (chunk: Buffer) => device.receive(new Uint8Array(chunk)));
  port.on("error", () => {}); // the host end going away is not the device's problem
  const off = device.onOutput((bytes) => {
    if (port.isOpen) port.write(Buffer.from(bytes));
  });
  return {
    close: async () => {
      off();
      if (!port.isOpen) return;
      await new Promise<void>((resolve) => port.close(() => resolve()));
    },
  };
}
