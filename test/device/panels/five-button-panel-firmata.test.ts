// An Arduino button panel running StandardFirmata through the real johnny-five and firmata-io:
// over TCP (tcpTransport) to the virtual StandardFirmata board, and once over a real pty pair
// (socat) with serialTransport. Buttons to ground with the Arduino's pull-ups, LEDs on pins.
import { afterEach, describe, expect, it } from "vitest";
import { firmataIoFactory } from "../../../device/boards/firmata-io.js";
import { FiveButtonPanel } from "../../../device/panels/five-button-panel.js";
import type { ByteTransport } from "../../../device/transport.js";
import { serialTransport } from "../../../device/transports/serial.js";
import { tcpTransport } from "../../../device/transports/tcp.js";
import { VirtualFirmata } from "../../../simulators/boards/virtual-firmata.js";
import { attachByteDeviceToPath, serveByteDeviceTcp } from "../../../simulators/shared/attach.js";
import { waitFor } from "../support/health.js";
import { socatAvailable, startPtyPair } from "../support/pty.js";
import { detailedHealthSink, edgeLog } from "./five-support.js";

const PULLUP = 0x0b;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function arduinoPanel(transport: ByteTransport, reportVersionTimeoutMs = 20) {
  const health = detailedHealthSink();
  const log = edgeLog();
  let now = 5_000;
  const p = new FiveButtonPanel({
    id: "desk-panel",
    io: firmataIoFactory({ transport, reportVersionTimeoutMs }),
    buttons: [
      { button: "pensions", pin: 2, led: 8 },
      { button: "benefits", pin: 3, led: 9 },
    ],
    health,
    clock: () => now++,
    supervision: { random: () => 0.5, backoffInitialMs: 20, backoffMaxMs: 80 },
  });
  p.onEdge(log.push);
  cleanups.push(() => p.stop());
  return { p, health, log };
}

describe("FiveButtonPanel on an Arduino with StandardFirmata over TCP", () => {
  it("pull-up inputs reported by port; press and release edges; LEDs on their pins", async () => {
    const firmata = new VirtualFirmata();
    const server = await serveByteDeviceTcp(firmata);
    cleanups.push(() => server.close());
    const { p, health, log } = arduinoPanel(tcpTransport({ host: "127.0.0.1", port: server.port }));
    p.start();
    await waitFor(() => p.connected, "connected");
    await waitFor(() => firmata.pinModes.get(3) === PULLUP, "pin modes over the wire");
    expect(firmata.pinModes.get(2)).toBe(PULLUP);
    expect(firmata.pinModes.get(3)).toBe(PULLUP);
    expect(firmata.pinModes.get(8)).toBe(1);
    expect(firmata.inputLevel(2)).toBe(1);
    expect(health.details.at(-1)).toEqual({ io: "firmata", edges: 0, reconnects: 0 });
    await waitFor(() => firmata.reports(2) && firmata.reports(3), "digital reports on");

    firmata.press(2);
    await waitFor(() => log.edges.length === 1, "down");
    firmata.release(2);
    await waitFor(() => log.edges.length === 2, "up");
    firmata.press(3);
    await waitFor(() => log.edges.length === 3, "benefits down");
    expect(log.brief()).toEqual(["pensions down", "pensions up", "benefits down"]);

    p.setLed("pensions", "on");
    await waitFor(() => firmata.outputLevel(8) === 1, "LED 8 lit");
    p.setLed("benefits", "on");
    await waitFor(() => firmata.outputLevel(9) === 1, "LED 9 lit");
    p.setLed("pensions", "off");
    await waitFor(() => firmata.outputLevel(8) === 0, "LED 8 dark");
    // an LED write on the buttons' port must not undo their pull-ups (PULLUP mode, not INPUT + HIGH)
    firmata.release(3);
    await waitFor(() => log.edges.length === 4, "benefits up");
    expect(firmata.inputLevel(2)).toBe(1);
  });

  it("link dropped: offline, releases, PANEL_OFFLINE; back: ok and the LEDs as they should be now", async () => {
    const firmata = new VirtualFirmata();
    const server = await serveByteDeviceTcp(firmata);
    const { p, health, log } = arduinoPanel(tcpTransport({ host: "127.0.0.1", port: server.port }));
    p.start();
    await waitFor(() => p.connected, "connected");
    p.setLed("pensions", "on");
    await waitFor(() => firmata.outputLevel(8) === 1, "lit");
    firmata.press(2);
    await waitFor(() => log.edges.length === 1, "down");

    await server.close();
    await waitFor(() => !p.connected, "offline");
    expect(log.brief()).toEqual(["pensions down", "pensions up"]);
    expect(health.active.get("PANEL_OFFLINE")).toBe("warning");
    expect(health.last()).toEqual({ status: "offline", faults: ["io_lost"] });
    // changed while the panel is away: sent when it is back
    p.setLed("pensions", "off");
    p.setLed("benefits", "on");
    firmata.release(2);

    const again = await serveByteDeviceTcp(firmata, { port: server.port });
    cleanups.push(() => again.close());
    await waitFor(() => p.connected, "back", 5000);
    await waitFor(() => firmata.outputLevel(9) === 1 && firmata.outputLevel(8) === 0, "LEDs restored");
    expect(health.active.size).toBe(0);
    expect(health.details.at(-1)).toMatchObject({ io: "firmata", reconnects: 1 });
    firmata.press(3);
    await waitFor(() => log.edges.length === 3, "a press after the reconnect");
    expect(log.brief()).toEqual(["pensions down", "pensions up", "benefits down"]);
  });
});

describe.skipIf(!socatAvailable())("FiveButtonPanel on an Arduino over a real serial line (pty pair)", () => {
  it("edges and LEDs through serialTransport at 57600 baud", async () => {
    const pair = await startPtyPair();
    cleanups.push(() => pair.stop());
    const firmata = new VirtualFirmata();
    const arduino = await attachByteDeviceToPath(firmata, pair.b, 57600);
    cleanups.push(() => arduino.close());
    const { p, log } = arduinoPanel(serialTransport({ path: pair.a, baudRate: 57600 }), 100);
    p.start();
    await waitFor(() => p.connected, "connected", 20_000);
    // The host's REPORT_DIGITAL may still be in the pty: a press before it would not be reported.
    await waitFor(() => firmata.reports(2), "digital reports on", 20_000);
    firmata.press(2);
    await waitFor(() => log.edges.length === 1, "down", 20_000);
    firmata.release(2);
    await waitFor(() => log.edges.length === 2, "up", 20_000);
    p.setLed("benefits", "on");
    await waitFor(() => firmata.outputLevel(9) === 1, "LED lit", 20_000);
    expect(log.brief()).toEqual(["pensions down", "pensions up"]);
  }, 90_000);
});
