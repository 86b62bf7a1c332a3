// BoardBus over real serial I/O: a socat pty pair, the VirtualModbusBus on the far end through
// serialport's native binding. Skipped where socat is not installed (CI installs it).
import { afterEach, describe, expect, it } from "vitest";
import { serialTransport } from "../../../device/transports/serial.js";
import { boardCodec } from "../../../protocols/boards/index.js";
import { type Attachment, attachBoardBusToPath } from "../../../simulators/boards/attach.js";
import { makeBus, modbusBus } from "../support/board-harness.js";
import { waitFor } from "../support/health.js";
import { socatAvailable, startPtyPair } from "../support/pty.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

describe.skipIf(!socatAvailable())("BoardBus over a socat pty", () => {
  it("shows on three modules at 9600 baud, loses one, and goes offline when the line goes away", async () => {
    const pair = await startPtyPair();
    cleanups.push(() => pair.stop());
    const sim = modbusBus();
    const attachment: Attachment = await attachBoardBusToPath(sim, pair.b, 9600);
    cleanups.push(() => attachment.close());
    // A pty does not pace bytes at the baud rate: the reply timeout only has to cover scheduling.
    const rig = makeBus(serialTransport({ path: pair.a, baudRate: 9600 }), boardCodec("modbus-7seg"), {
      replyTimeoutMs: 80,
    });
    cleanups.push(() => rig.driver.stop());
    rig.driver.start();
    await waitFor(() => rig.sink("counter-3").last()?.status === "ok", "modules ok over the pty");
    const results = await Promise.all(
      ["A023 → 4", "B105", "C007"].map((t, i) => rig.driver.show(`counter-${i + 1}`, t)),
    );
    expect(results).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    expect([sim.display(1), sim.display(2), sim.display(3)]).toEqual(["A023", "B105", "C007"]);

    sim.setDead(3, true);
    await rig.driver.show("counter-3", "C008");
    await waitFor(() => rig.sink("counter-3").active.has("BOARD_OFFLINE"), "BOARD_OFFLINE");
    expect(await rig.driver.show("counter-1", "A024")).toEqual({ ok: true });
    sim.setDead(3, false);
    await waitFor(() => sim.display(3) === "C008", "resent after the module is back", 2000);

    await pair.stop();
    await waitFor(() => rig.busHealth.active.has("BOARD_BUS_OFFLINE"), "BOARD_BUS_OFFLINE");
    expect(rig.sink("counter-1").last()).toEqual({ status: "offline", faults: ["bus_unreachable"] });
  });
});
