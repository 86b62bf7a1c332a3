import { describe, expect, it } from "vitest";
import { createPrinterTransport } from "../../device/printer/index.js";

describe("createPrinterTransport", () => {
  it("builds the transport a printer's configuration names, opening nothing yet", () => {
    const serial = createPrinterTransport({ type: "serial", path: "/dev/ttyUSB0", baudRate: 19200 });
    expect(serial.description).toBe("serial /dev/ttyUSB0 @ 19200");
    expect(serial.bytesPerSecond).toBe(1920);
    expect(createPrinterTransport({ type: "tcp", host: "10.0.0.5" }).description).toBe("tcp 10.0.0.5:9100");
    expect(createPrinterTransport({ type: "tcp", host: "10.0.0.5", port: 9101 }).description).toBe(
      "tcp 10.0.0.5:9101",
    );
    expect(createPrinterTransport({ type: "usb" }).description).toBe("usb /dev/usb/lp0");
    expect(createPrinterTransport({ type: "usb", path: "/dev/usb/lp1" }).description).toBe(
      "usb /dev/usb/lp1",
    );
  });
});
