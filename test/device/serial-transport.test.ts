import { SerialPortMock } from "serialport";
import { afterEach, describe, expect, it } from "vitest";
import { describeOpenError, serialTransport } from "../../device/transports/serial.js";
import { waitFor } from "./support/health.js";
import { trackingMockBinding } from "./support/mock-serial.js";

afterEach(() => SerialPortMock.binding.reset());

describe("serialTransport over SerialPortMock", () => {
  it("opens, writes, reads and closes", async () => {
    const mock = trackingMockBinding();
    mock.binding.createPort("/dev/ttyMOCK0", { record: true });
    const transport = serialTransport({ path: "/dev/ttyMOCK0", baudRate: 19200, binding: mock.binding });
    expect(transport.description).toBe("serial /dev/ttyMOCK0 @ 19200");
    expect(transport.bytesPerSecond).toBe(1920); // 8N1: ten bits a byte
    const data: number[] = [];
    const closes: (Error | undefined)[] = [];
    transport.onData((chunk) => data.push(...chunk));
    transport.onClose((error) => closes.push(error));
    await transport.open();
    const port = mock.opened[0]!;
    expect(port.openOptions.baudRate).toBe(19200);
    await transport.write(Uint8Array.of(0x10, 0x04, 0x04));
    expect([...port.recording]).toEqual([0x10, 0x04, 0x04]);
    port.emitData(Buffer.from([0x12, 0x12]));
    await waitFor(() => data.length === 2, "bytes from the port");
    await transport.close();
    expect(port.isOpen).toBe(false);
    expect(closes).toEqual([]);
    await expect(transport.write(Uint8Array.of(1))).rejects.toThrow(/not open/);
  });

  it("says which port is missing", async () => {
    const transport = serialTransport({ path: "/dev/ttyUSB0", binding: SerialPortMock.binding });
    await expect(transport.open()).rejects.toThrow("no serial port /dev/ttyUSB0");
  });

  it("reports an unplugged adapter through onClose, and opens again once it is back", async () => {
    const mock = trackingMockBinding();
    mock.binding.createPort("/dev/ttyMOCK1");
    const transport = serialTransport({ path: "/dev/ttyMOCK1", binding: mock.binding });
    const closes: (Error | undefined)[] = [];
    transport.onClose((error) => closes.push(error));
    await transport.open();
    mock.unplug(mock.opened[0]!);
    await waitFor(() => closes.length === 1, "onClose");
    expect(closes[0]?.message).toMatch(/returned no data/);
    await transport.open();
    expect(mock.opened).toHaveLength(2);
    await transport.close();
  });

  it("turns the bindings' errno texts into advice", () => {
    const enoent = new Error("Error: No such file or directory, cannot open /dev/ttyUSB0");
    const eacces = new Error("Error: Permission denied, cannot open /dev/ttyUSB0");
    const ebusy = new Error("Error Resource temporarily unavailable Cannot lock port");
    expect(describeOpenError(enoent, "/dev/ttyUSB0")).toBe("no serial port /dev/ttyUSB0");
    expect(describeOpenError(eacces, "/dev/ttyUSB0")).toBe(
      "no permission for /dev/ttyUSB0 (add the vooru user to the dialout group)",
    );
    expect(describeOpenError(ebusy, "/dev/ttyUSB0")).toMatch(/in use/);
  });
});
