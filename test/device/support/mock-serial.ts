// SerialPortMock's binding, wrapped so a test can reach the port objects it opened (to read what
// was written, to answer, to pull the cable). The mock itself only records and echoes.
import { SerialPortMock } from "serialport";

// Types taken through serialport: @serialport/binding-mock's own types do not resolve under NodeNext.
export type MockBindingInterface = typeof SerialPortMock.binding;
export type MockPortBinding = Awaited<ReturnType<MockBindingInterface["open"]>>;

export interface TrackingMockBinding {
  readonly binding: MockBindingInterface;
  /** Ports opened through this binding, newest last. */
  readonly opened: MockPortBinding[];
  /** Makes the port's pending read fail as the OS does when a USB-serial adapter is unplugged. */
  unplug(port: MockPortBinding): void;
}

export function trackingMockBinding(): TrackingMockBinding {
  const mock = SerialPortMock.binding;
  const opened: MockPortBinding[] = [];
  const failers = new WeakMap<MockPortBinding, (error: Error) => void>();
  // The stream may not have a read pending yet: then the next read fails.
  const unplugged = new WeakSet<MockPortBinding>();
  const disconnected = () =>
    Object.assign(new Error("device reports readiness to read but returned no data"), { disconnected: true });
  const binding: MockBindingInterface = {
    reset: () => mock.reset(),
    createPort: (path, options) => mock.createPort(path, options),
    list: () => mock.list(),
    async open(options) {
      const port = await mock.open(options);
      const read = port.read.bind(port);
      port.read = (buffer, offset, length) =>
        new Promise((resolve, reject) => {
          if (unplugged.has(port)) return reject(disconnected());
          failers.set(port, reject);
          read(buffer, offset, length).then(resolve, reject);
        });
      opened.push(port);
      return port;
    },
  };
  return {
    binding,
    opened,
    unplug(port) {
      unplugged.add(port);
      failers.get(port)?.(disconnected());
    },
  };
}
