// The USB printer class transport against a pty standing in for /dev/usb/lp0 (socat joins it to a
// second pty, where the test plays the printer through the real serial transport).
import { afterEach, describe, expect, it } from "vitest";
import { serialTransport } from "../../device/transports/serial.js";
import { usbPrinterTransport } from "../../device/transports/usb-lp.js";
import { waitFor } from "./support/health.js";
import { type PtyPair, socatAvailable, startPtyPair } from "./support/pty.js";

describe("usbPrinterTransport", () => {
  it("says which device file is missing", async () => {
    const transport = usbPrinterTransport({ path: "/nonexistent/usb/lp7" });
    expect(transport.description).toBe("usb /nonexistent/usb/lp7");
    await expect(transport.open()).rejects.toThrow("no USB printer at /nonexistent/usb/lp7");
  });
});

describe.skipIf(!socatAvailable())("usbPrinterTransport over a socat pty", () => {
  let pair: PtyPair | undefined;
  afterEach(async () => {
    await pair?.stop();
    pair = undefined;
  });

  it("writes, reads the back channel, and closes without reporting a loss", async () => {
    pair = await startPtyPair();
    const usb = usbPrinterTransport({ path: pair.a, pollMs: 5 });
    const far = serialTransport({ path: pair.b, baudRate: 115200 });
    const atPrinter: number[] = [];
    const atHost: number[] = [];
    const closes: (Error | undefined)[] = [];
    far.onData((chunk) => atPrinter.push(...chunk));
    usb.onData((chunk) => atHost.push(...chunk));
    usb.onClose((error) => closes.push(error));
    await far.open();
    await usb.open();
    const ticket = new Uint8Array(3000).map((_, i) => i & 0x7f);
    await usb.write(ticket);
    await usb.write(Uint8Array.of(0x10, 0x04, 0x01));
    await waitFor(() => atPrinter.length === 3003, "the bytes at the printer");
    expect(atPrinter.slice(0, 3000)).toEqual([...ticket]);
    expect(atPrinter.slice(3000)).toEqual([0x10, 0x04, 0x01]);
    await far.write(Uint8Array.of(0x12));
    await waitFor(() => atHost.length === 1, "the status byte at the host");
    expect(atHost).toEqual([0x12]);
    await usb.close();
    await far.close();
    expect(closes).toEqual([]);
  });

  it("reports the device going away (pty hang-up) through onClose", async () => {
    pair = await startPtyPair();
    const usb = usbPrinterTransport({ path: pair.a, pollMs: 5 });
    const closes: (Error | undefined)[] = [];
    usb.onClose((error) => closes.push(error));
    await usb.open();
    await pair.stop();
    await waitFor(() => closes.length === 1, "onClose");
    expect(closes[0]?.message).toMatch(/went away/);
    await expect(usb.write(Uint8Array.of(1))).rejects.toThrow(/not open/);
  });
});
