// An RS-485 adapter without automatic direction control hears its own transmission (issue #20):
// every frame comes back before the board's reply. With `localEcho` the bus drops the echo, so
// the replies are read clean and a line's garbage count means real noise. Over a real pty pair
// (socat) with an echoing far end.
import { afterEach, describe, expect, it } from "vitest";
import { serialTransport } from "../../../device/transports/serial.js";
import { boardCodec } from "../../../protocols/boards/index.js";
import { attachByteDeviceToPath, type ByteDevice } from "../../../simulators/shared/attach.js";
import { makeBus, modbusBus } from "../support/board-harness.js";
import { waitFor } from "../support/health.js";
import { socatAvailable, startPtyPair } from "../support/pty.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

/** The adapter's echo: what the host sends comes straight back, then the device answers. */
function echoing(device: ByteDevice): ByteDevice {
  const handlers = new Set<(bytes: Uint8Array) => void>();
  device.onOutput((bytes) => {
    for (const handler of handlers) handler(bytes);
  });
  return {
    receive(chunk) {
      for (const handler of handlers) handler(Uint8Array.from(chunk));
      device.receive(chunk);
    },
    onOutput(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
  };
}

async function echoBus(localEcho: boolean) {
  const pair = await startPtyPair();
  cleanups.push(() => pair.stop());
  const sim = modbusBus();
  const attachment = await attachByteDeviceToPath(echoing(sim), pair.b, 9600);
  cleanups.push(() => attachment.close());
  const rig = makeBus(serialTransport({ path: pair.a, baudRate: 9600 }), boardCodec("modbus-7seg"), {
    replyTimeoutMs: 80,
    localEcho,
  });
  cleanups.push(() => rig.driver.stop());
  rig.driver.start();
  return { sim, rig };
}

describe.skipIf(!socatAvailable())("a board bus on an echoing RS-485 adapter", () => {
  it("with localEcho: shows, and a dead board is still seen dead", async () => {
    const { sim, rig } = await echoBus(true);
    await waitFor(() => rig.sink("counter-1").last()?.status === "ok", "modules ok");
    expect(await rig.driver.show("counter-1", "A023")).toEqual({ ok: true });
    expect(sim.display(1)).toBe("A023");
    sim.setDead(2, true);
    await rig.driver.show("counter-2", "B105");
    await waitFor(() => rig.sink("counter-2").active.has("BOARD_OFFLINE"), "BOARD_OFFLINE despite the echo");
    expect(rig.driver.stats().echoed).toBeGreaterThan(0);
  });

  it("without it, every echo is read as line garbage: what the option keeps out of the counts", async () => {
    const plain = await echoBus(false);
    await waitFor(() => plain.rig.sink("counter-1").last()?.status === "ok", "modules ok");
    expect(await plain.rig.driver.show("counter-1", "A023")).toEqual({ ok: true });
    expect(plain.rig.driver.stats().garbage).toBeGreaterThan(0);
    const dropped = await echoBus(true);
    await waitFor(() => dropped.rig.sink("counter-1").last()?.status === "ok", "modules ok");
    expect(await dropped.rig.driver.show("counter-1", "A023")).toEqual({ ok: true });
    expect(dropped.rig.driver.stats().garbage).toBe(0);
  });
});
