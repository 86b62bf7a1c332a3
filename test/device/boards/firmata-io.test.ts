// LedDigitsBoard on an Arduino with StandardFirmata: the real johnny-five and the real firmata-io,
// over TCP (tcpTransport) to a virtual StandardFirmata board whose chips decode the display.
import { afterEach, describe, expect, it } from "vitest";
import { firmataIoFactory } from "../../../device/boards/firmata-io.js";
import { LedDigitsBoard, type LedDigitsBoardOptions } from "../../../device/boards/led-digits-board.js";
import { tcpTransport } from "../../../device/transports/tcp.js";
import { VirtualFirmata } from "../../../simulators/boards/virtual-firmata.js";
import { serveByteDeviceTcp } from "../../../simulators/shared/attach.js";
import { recordingHealthSink, waitFor } from "../support/health.js";

const SPI = { data: 2, clock: 3, cs: 4 };
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function arduino(
  firmata: VirtualFirmata,
  options: Partial<LedDigitsBoardOptions> & Pick<LedDigitsBoardOptions, "controller">,
) {
  const server = await serveByteDeviceTcp(firmata);
  cleanups.push(() => server.close());
  const health = recordingHealthSink();
  const b = new LedDigitsBoard({
    id: "counter-1",
    io: firmataIoFactory({
      transport: tcpTransport({ host: "127.0.0.1", port: server.port }),
      reportVersionTimeoutMs: 20,
    }),
    health,
    random: () => 0.5,
    backoffInitialMs: 20,
    backoffMaxMs: 80,
    ...options,
  });
  cleanups.push(() => b.stop());
  return { b, health, server };
}

describe("LedDigitsBoard over firmata-io to a virtual StandardFirmata", () => {
  it("shows A123 on an HT16K33 through I2C requests", async () => {
    const firmata = new VirtualFirmata({ ht16k33: [0x70] });
    const { b, health } = await arduino(firmata, { controller: "HT16K33" });
    b.start();
    await waitFor(() => b.status === "open", "open");
    expect(firmata.queries).toEqual(expect.arrayContaining(["version", "firmware", "capabilities"]));
    expect(await b.show("A123")).toEqual({ ok: true });
    const chip = firmata.wiring.ht16k33(0x70);
    await waitFor(() => chip.view().shown === "A123", "A123 on the HT16K33");
    expect(chip).toMatchObject({ oscillator: true, displayOn: true, blinkRate: 0 });
    expect(firmata.i2cWrites.at(-1)).toEqual({
      address: 0x70,
      bytes: [0x00, 0x77, 0, 0x06, 0, 0, 0, 0x5b, 0, 0x4f, 0, 0, 0, 0, 0, 0, 0],
    });
    expect(health.last()).toEqual({ status: "ok", faults: [] });
  });

  it("shows A123 on a MAX7219 bit-banged through digital pin writes", async () => {
    const firmata = new VirtualFirmata({ max7219: [{ pins: SPI, digits: 4 }] });
    const { b } = await arduino(firmata, { controller: "MAX7219", pins: SPI, digits: 4 });
    b.start();
    await waitFor(() => b.status === "open", "open");
    expect(await b.show("A123")).toEqual({ ok: true });
    const chip = firmata.wiring.max7219(SPI.cs);
    await waitFor(() => chip.view().shown === "A123", "A123 on the MAX7219");
    expect(chip).toMatchObject({ decodeMode: 0, scanLimit: 3, shutdown: false, displayTest: false });
    expect(firmata.pinModes.get(SPI.data)).toBe(1);
    expect(firmata.pinModes.get(SPI.cs)).toBe(1);
  });

  it("goes offline when the link drops and shows the last text again once it is back", async () => {
    const firmata = new VirtualFirmata({ ht16k33: [0x70] });
    const { b, health, server } = await arduino(firmata, { controller: "HT16K33" });
    b.start();
    await waitFor(() => b.status === "open", "open");
    await b.show("A123");
    const chip = firmata.wiring.ht16k33(0x70);
    await waitFor(() => chip.view().shown === "A123", "A123");
    await server.close();
    await waitFor(() => b.status !== "open", "offline");
    expect(health.active.has("BOARD_OFFLINE")).toBe(true);
    chip.ram.fill(0); // the board was power-cycled meanwhile
    const again = await serveByteDeviceTcp(firmata, { port: server.port });
    cleanups.push(() => again.close());
    await waitFor(() => b.status === "open", "open again", 5000);
    await waitFor(() => chip.view().shown === "A123", "A123 again");
    expect(health.active.size).toBe(0);
  });
});
