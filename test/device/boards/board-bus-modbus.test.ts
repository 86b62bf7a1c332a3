// BoardBus driving Modbus 7-segment modules (VirtualModbusBus) through serialport's mock binding.
import { afterEach, describe, expect, it } from "vitest";
import { modbusRtuGapMs } from "../../../protocols/boards/seven-segment-modbus.js";
import { checkSerialised, logWire, mockSerialModbusRig, modbusBus } from "../support/board-harness.js";
import { waitFor } from "../support/health.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

async function started(sim = modbusBus(), options = {}) {
  const rig = await mockSerialModbusRig(sim, options);
  cleanups.push(() => rig.dispose());
  rig.driver.start();
  // Nothing shown yet: the first probe of each module tells the driver it answers.
  await waitFor(() => [...rig.health.values()].every((h) => h.last()?.status === "ok"), "boards ok");
  return { sim, ...rig };
}

describe("BoardBus over Modbus RTU (mock serial)", () => {
  it("shows on three modules, one frame at a time with the RTU gap between them", async () => {
    const sim = modbusBus();
    const wire = logWire(sim);
    const { driver } = await started(sim);
    const results = await Promise.all([
      driver.show("counter-1", "A023 → 4"),
      driver.show("counter-2", "B105"),
      driver.show("counter-3", "C7"),
    ]);
    expect(results).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    expect([sim.display(1), sim.display(2), sim.display(3)]).toEqual(["A023", "B105", "C7  "]);
    checkSerialised(wire, modbusRtuGapMs(9600));
    // The simulator's own timestamps: in call order, never two changes within one gap.
    const changes = [1, 2, 3].map((a) => sim.history(a).at(-1)!.at);
    for (let i = 1; i < changes.length; i++) {
      expect(changes[i]! - changes[i - 1]!).toBeGreaterThanOrEqual(modbusRtuGapMs(9600) - 1);
    }
    expect(driver.stats()).toMatchObject({ replies: driver.stats().frames, timeouts: 0, garbage: 0 });
  });

  it("coalesces a burst of 50 shows: only the newest for each board goes out", async () => {
    const sim = modbusBus();
    const { driver } = await started(sim);
    const before = sim.stats().frames;
    const calls = Array.from({ length: 50 }, (_, i) =>
      driver.show(`counter-${(i % 3) + 1}`, `A${String(i).padStart(3, "0")}`),
    );
    const results = await Promise.all(calls);
    expect(results.every((r) => r.ok)).toBe(true);
    expect([sim.display(1), sim.display(2), sim.display(3)]).toEqual(["A048", "A049", "A047"]);
    // The first show per board may already be on the wire when the rest arrive: at most two each.
    expect(sim.stats().frames - before).toBeLessThanOrEqual(6);
    expect(results.filter((r) => r.detail?.includes("newer show")).length).toBeGreaterThanOrEqual(44);
  });

  it("a dead module goes offline with an alert while the others keep showing; back, it gets its text again", async () => {
    const { sim, driver, sink } = await started();
    sim.setDead(2, true);
    const dead = driver.show("counter-2", "B001");
    expect(await driver.show("counter-1", "A001")).toEqual({ ok: true });
    expect(await dead).toEqual({ ok: false, detail: "board counter-2 (address 2) does not answer" });
    const h2 = sink("counter-2");
    expect(h2.calls.filter((c) => c.kind === "report").map((c) => c.kind === "report" && c.status)).toEqual([
      "ok",
      "degraded", // reported once: the second miss changes no status or fault
      "offline",
    ]);
    expect(h2.last()).toEqual({ status: "offline", faults: ["no_answer"] });
    expect(h2.calls).toContainEqual({
      kind: "raise",
      code: "BOARD_OFFLINE",
      severity: "critical",
      message: "Board counter-2 (address 2) does not answer",
    });
    // Offline: remembered, not sent, and no wait on the bus for the others.
    expect(await driver.show("counter-2", "B002")).toMatchObject({ ok: false });
    const t0 = performance.now();
    expect(await driver.show("counter-3", "C001")).toEqual({ ok: true });
    expect(performance.now() - t0).toBeLessThan(40); // less than one reply timeout
    expect(sim.display(3)).toBe("C001");
    expect(sink("counter-1").last()?.status).toBe("ok");
    expect(sink("counter-3").active.size).toBe(0);

    sim.setDead(2, false); // replaced: a blank module
    await waitFor(() => sim.display(2) === "B002", "last text resent", 2000);
    expect(h2.active.has("BOARD_OFFLINE")).toBe(false);
    expect(h2.last()).toEqual({ status: "ok", faults: [] });
  });

  it("a show to a dead module settles even when idle probes fall due while it is retried", async () => {
    // Probes due every 10 ms, replies awaited 40 ms: a probe is queued during every retry.
    const { sim, driver } = await started(modbusBus(), { probeIntervalMs: 10 });
    sim.setDead(1, true);
    expect(await driver.show("counter-1", "A001")).toEqual({
      ok: false,
      detail: "board counter-1 (address 1) does not answer",
    });
    expect(await driver.show("counter-2", "B001")).toEqual({ ok: true });
  });

  it("counts garbage replies and treats them as a miss", async () => {
    const { sim, driver, sink } = await started();
    sim.setGarbage(3, true);
    const result = await driver.show("counter-3", "C042");
    expect(result).toMatchObject({ ok: false });
    expect(sim.display(3)).toBe("C042"); // it obeys; only its answers are garbled
    const stats = driver.stats();
    expect(stats.garbage).toBeGreaterThan(0);
    expect(stats.timeouts).toBeGreaterThanOrEqual(3);
    expect(sink("counter-3").active.has("BOARD_OFFLINE")).toBe(true);
    sim.setGarbage(3, false);
    await waitFor(() => sink("counter-3").last()?.status === "ok", "answers cleanly again", 2000);
    expect(sink("counter-3").active.size).toBe(0);
  });

  it("emulates blink: blank and text alternate, then the text stays; a newer show cancels it", async () => {
    const { sim, driver } = await started(modbusBus(), { blinkMs: 30, blinkFor: 180 });
    expect(await driver.show("counter-1", "A023", { blink: true })).toEqual({ ok: true });
    await waitFor(() => sim.history(1).length >= 7, "blinking", 2000);
    await new Promise((resolve) => setTimeout(resolve, 100)); // nothing after the steady text
    const history = sim.history(1);
    expect(history.map((e) => e.text)).toEqual(["A023", "    ", "A023", "    ", "A023", "    ", "A023"]);
    for (let i = 1; i < history.length; i++) {
      expect(history[i]!.at - history[i - 1]!.at).toBeGreaterThan(20); // every blinkMs, not in a rush
    }

    await driver.show("counter-1", "A024", { blink: true });
    await new Promise((resolve) => setTimeout(resolve, 40)); // mid-blink
    await driver.show("counter-1", "A025");
    const at = sim.history(1).length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(
      sim
        .history(1)
        .slice(at - 1)
        .map((e) => e.text),
    ).toEqual(["A025"]);
  });

  it("refuses an unknown board and a stopped bus without throwing", async () => {
    const { driver } = await started();
    expect(await driver.show("counter-9", "X")).toEqual({
      ok: false,
      detail: "no board counter-9 on bus hall",
    });
    await driver.stop();
    expect(await driver.show("counter-1", "A001")).toEqual({ ok: false, detail: "bus hall is stopped" });
  });

  it("goes offline on the bus when the adapter is unplugged, and resends everything once it is back", async () => {
    const { sim, driver, mock, busHealth, sink } = await started();
    await driver.show("counter-1", "A100");
    await driver.show("counter-2", "B200");
    mock.unplug(mock.opened.at(-1)!);
    await waitFor(() => busHealth.active.has("BOARD_BUS_OFFLINE"), "bus alert");
    await waitFor(() => sink("counter-1").last()?.status === "offline", "boards offline");
    expect(sink("counter-2").last()).toEqual({ status: "offline", faults: ["bus_unreachable"] });
    // Modules repowered while the bus was down: they come back blank.
    sim.setDead(1, true);
    sim.setDead(1, false);
    await waitFor(() => !busHealth.active.has("BOARD_BUS_OFFLINE"), "bus back", 2000);
    await waitFor(() => sim.display(1) === "A100", "text resent", 2000);
    expect(sim.display(2)).toBe("B200");
    expect(driver.stats().reconnects).toBeGreaterThanOrEqual(1);
  });
});
