// The driver over real serial I/O: a socat pty pair, the VirtualPrinter on the far end through
// serialport's native binding. Skipped where socat is not installed (CI installs it).
import { afterEach, describe, expect, it } from "vitest";
import { serialTransport } from "../../device/transports/serial.js";
import { usbPrinterTransport } from "../../device/transports/usb-lp.js";
import { type Attachment, attachVirtualPrinterToPath } from "../../simulators/printer/attach.js";
import { waitFor } from "./support/health.js";
import { makeDriver, printerFor, ticketBytes } from "./support/printer-harness.js";
import { type PtyPair, socatAvailable, startPtyPair } from "./support/pty.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

async function ptyWithPrinter(profileId: string, baudRate: number) {
  const pair: PtyPair = await startPtyPair();
  cleanups.push(() => pair.stop());
  const printer = printerFor(profileId);
  const attachment: Attachment = await attachVirtualPrinterToPath(printer, pair.b, baudRate);
  cleanups.push(() => attachment.close());
  return { pair, printer };
}

describe.skipIf(!socatAvailable())("EscPosPrinter over a socat pty", () => {
  it("prints and confirms over a real serial port at 9600 baud (process id)", async () => {
    const { pair, printer } = await ptyWithPrinter("epson-tm-t20iii", 9600);
    const { driver, health } = makeDriver(
      serialTransport({ path: pair.a, baudRate: 9600 }),
      "epson-tm-t20iii",
    );
    cleanups.push(() => driver.stop());
    driver.start();
    await waitFor(() => health.last()?.status === "ok", "ok over the pty");
    expect(await driver.print({ id: "0001", bytes: ticketBytes("A001") })).toEqual({
      ok: true,
      confirmedBy: "process_id",
    });
    expect(printer.tickets()).toHaveLength(1);
    await waitFor(() => driver.status().raw.dleEot4 !== undefined, "DLE EOT 4 answered");
    expect(driver.status().raw.dleEot4).toEqual([0x12]);
  });

  it("goes offline when the line goes away (socat killed)", async () => {
    const { pair } = await ptyWithPrinter("epson-tm-t20iii", 9600);
    const { driver, health } = makeDriver(
      serialTransport({ path: pair.a, baudRate: 9600 }),
      "epson-tm-t20iii",
    );
    cleanups.push(() => driver.stop());
    driver.start();
    await waitFor(() => health.last()?.status === "ok", "ok over the pty");
    await pair.stop();
    await waitFor(() => health.active.has("PRINTER_OFFLINE"), "PRINTER_OFFLINE");
    expect(driver.status().state).toBe("offline");
  });

  it("drives the printer through the USB printer class transport (GS r), and sees it unplugged", async () => {
    const { pair, printer } = await ptyWithPrinter("generic-58mm", 115200);
    const { driver, health } = makeDriver(usbPrinterTransport({ path: pair.a, pollMs: 5 }), "generic-58mm");
    cleanups.push(() => driver.stop());
    driver.start();
    await waitFor(() => health.last()?.status === "ok", "ok over usb-lp");
    expect(await driver.print({ id: "0001", bytes: ticketBytes("B001") })).toEqual({
      ok: true,
      confirmedBy: "gs_r",
    });
    expect(printer.tickets()).toHaveLength(1);
    await pair.stop();
    await waitFor(() => health.active.has("PRINTER_OFFLINE"), "PRINTER_OFFLINE");
    expect(health.last()).toEqual({ status: "offline", faults: ["unreachable"] });
  });
});
