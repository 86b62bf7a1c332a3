// BoardBus through an RS-485-to-Ethernet gateway (raw TCP): Modbus modules and Alpha signs, and
// the gateway going away and coming back.
import { afterEach, describe, expect, it } from "vitest";
import { boardCodec } from "../../../protocols/boards/index.js";
import { modbusRtuGapMs } from "../../../protocols/boards/seven-segment-modbus.js";
import { VirtualAlphaSign } from "../../../simulators/boards/alpha-sign.js";
import { checkSerialised, logWire, modbusBus, tcpRig } from "../support/board-harness.js";
import { waitFor } from "../support/health.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

describe("BoardBus over TCP with Modbus modules", () => {
  it("shows on three modules, serialised, with the gap", async () => {
    const sim = modbusBus();
    const wire = logWire(sim);
    const rig = await tcpRig(sim, boardCodec("modbus-7seg"));
    cleanups.push(() => rig.dispose());
    rig.driver.start();
    const results = await waitFor(() => rig.sink("counter-3").last()?.status === "ok", "boards ok").then(() =>
      Promise.all(["A001", "B002", "C003"].map((t, i) => rig.driver.show(`counter-${i + 1}`, t))),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect([sim.display(1), sim.display(2), sim.display(3)]).toEqual(["A001", "B002", "C003"]);
    checkSerialised(wire, modbusRtuGapMs(9600));
  });

  it("transport drop: every board offline under one bus alert; back: reconnects and resends every text", async () => {
    const sim = modbusBus();
    const rig = await tcpRig(sim, boardCodec("modbus-7seg"));
    cleanups.push(() => rig.dispose());
    rig.driver.start();
    await waitFor(() => rig.sink("counter-3").last()?.status === "ok", "boards ok");
    for (const [i, text] of ["A010", "B020", "C030"].entries()) {
      expect(await rig.driver.show(`counter-${i + 1}`, text)).toEqual({ ok: true });
    }

    await rig.dropServer();
    await waitFor(() => rig.busHealth.active.has("BOARD_BUS_OFFLINE"), "bus alert");
    for (const id of ["counter-1", "counter-2", "counter-3"]) {
      await waitFor(() => rig.sink(id).last()?.status === "offline", `${id} offline`);
      expect(rig.sink(id).last()).toEqual({ status: "offline", faults: ["bus_unreachable"] });
      expect(rig.sink(id).active.size).toBe(0); // one alert for the bus, not one per board
    }
    expect(rig.busHealth.calls.filter((c) => c.kind === "raise")).toHaveLength(1);
    // Shows while the bus is down are remembered; the newest wins.
    expect(await rig.driver.show("counter-2", "B021")).toEqual({
      ok: false,
      detail: "bus hall is unreachable",
    });

    // The gateway comes back, with freshly powered (blank) modules behind it.
    const fresh = modbusBus();
    await rig.restoreServer(fresh);
    await waitFor(() => !rig.busHealth.active.has("BOARD_BUS_OFFLINE"), "bus alert cleared", 3000);
    await waitFor(() => fresh.display(3) === "C030", "texts resent", 2000);
    expect([fresh.display(1), fresh.display(2), fresh.display(3)]).toEqual(["A010", "B021", "C030"]);
    await waitFor(() => rig.sink("counter-1").last()?.status === "ok", "boards ok again");
    expect(rig.driver.stats().reconnects).toBeGreaterThanOrEqual(1);
  });
});

describe("BoardBus over TCP with Alpha signs (write-only)", () => {
  async function alphaRig() {
    const sign = new VirtualAlphaSign({ addresses: [1, 2, 3], now: () => performance.now() });
    const rig = await tcpRig(sign, boardCodec("alpha"), { blinkFor: 120 });
    cleanups.push(() => rig.dispose());
    rig.driver.start();
    await waitFor(() => rig.sink("counter-3").last()?.status === "ok", "signs ok");
    return { sign, ...rig };
  }

  it("reports ok with no lastSeen while the link is open, and writes with the gap between frames", async () => {
    const { sign, driver, sink } = await alphaRig();
    const report = sink("counter-1").calls.find((c) => c.kind === "report");
    expect(report).toEqual({ kind: "report", status: "ok", faults: [] }); // no lastSeen: signs never answer
    const results = await Promise.all(
      ["A023 → 4", "B105 → 2", "C007 → 1"].map((t, i) => driver.show(`counter-${i + 1}`, t)),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect([1, 2, 3].map((a) => sign.display(a).text)).toEqual(["A023 -> 4", "B105 -> 2", "C007 -> 1"]);
    expect(sign.display(1).mode).toBe("hold");
    const at = [1, 2, 3].map((a) => sign.history(a).at(-1)!.at);
    // 50 ms between packets (the codec's gap) plus the frame's wire time at 9600 baud.
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(49);
    expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(49);
    expect(driver.stats()).toMatchObject({ frames: 3, replies: 0, timeouts: 0 });
  });

  it("blinks with the sign's own flash mode, then holds the text", async () => {
    const { sign, driver } = await alphaRig();
    expect(await driver.show("counter-2", "A023", { blink: true })).toEqual({ ok: true });
    expect(sign.display(2)).toMatchObject({ text: "A023", mode: "flash", flashing: true });
    await waitFor(() => sign.display(2).mode === "hold", "steady after blinkFor", 1000);
    expect(sign.history(2).map((e) => e.mode)).toEqual(["flash", "hold"]);
    expect(driver.stats().frames).toBe(2); // no emulation frames
  });
});
