// The waiting room sees the call: the whole office with simulated board buses, driven over MQTT.
import { afterEach, describe, expect, it } from "vitest";
import type { VirtualAlphaSign } from "../../../simulators/boards/alpha-sign.js";
import type { VirtualModbusBus } from "../../../simulators/boards/modbus-bus.js";
import { type Harness, startHarness } from "../../support/office-harness.js";

const devices = {
  boardBuses: [
    {
      id: "counter-boards",
      protocol: "modbus-7seg" as const,
      transport: { type: "simulated" as const },
      boards: [
        { id: "board-1", address: 1, counter: "1" },
        { id: "board-2", address: 2, counter: "2" },
        { id: "board-3", address: 3, counter: "3" },
      ],
    },
    {
      id: "hall-sign",
      protocol: "alpha" as const,
      transport: { type: "simulated" as const },
      boards: [{ id: "hall-main", address: 1, zone: "main", lines: 2 }],
    },
  ],
  boardTexts: { idle: "", closed: "----", blinkSeconds: 0.2 },
};

async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  for (let waited = 0; !check(); waited += 20) {
    if (waited > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("boards through the office", () => {
  let h: Harness;
  afterEach(async () => {
    await h.stop();
  });

  it("a call shows on the counter board and the hall sign; other counters' boards are untouched", async () => {
    h = await startHarness({ config: { devices } });
    const modules = h.office.simulated.boardBuses.get("counter-boards")?.bus as VirtualModbusBus;
    const sign = h.office.simulated.boardBuses.get("hall-sign")?.bus as VirtualAlphaSign;
    await until(() => modules.display(1).trim() === "----", "closed text on board 1");
    const client = await h.client();
    await client.request({ scope: "counter", counter: "1", verb: "open" });
    await client.request({ scope: "desk", verb: "issue" }, { service: "pensions" });
    await client.request({ scope: "desk", verb: "issue" }, { service: "benefits" });
    await client.request({ scope: "counter", counter: "2", verb: "open" });
    await client.request({ scope: "counter", counter: "1", verb: "call_next" });
    await until(() => modules.display(1).trim() === "A001", "A001 on board 1");
    await until(() => sign.display(1).text.startsWith("A001 -> 1"), "the hall sign");
    await client.request({ scope: "counter", counter: "2", verb: "call_next" });
    await until(() => modules.display(2).trim() === "B001", "B001 on board 2");
    await until(
      () => sign.display(1).text.replaceAll("\r", "\n") === "B001 -> 2\nA001 -> 1",
      "both calls on the hall sign",
    );
    expect(modules.display(3).trim()).toBe("----");
    // The call blinked on the counter board: blank and text alternated, then it stayed.
    await until(() => modules.display(1).trim() === "A001" && modules.history(1).length >= 3, "the blink");
    expect(modules.history(1).some((entry) => entry.text.trim() === "")).toBe(true);
  });

  it("a dead board is reported offline and shows the right call once it is back; the rest keep working", async () => {
    h = await startHarness({ config: { devices } });
    const modules = h.office.simulated.boardBuses.get("counter-boards")?.bus as VirtualModbusBus;
    const client = await h.client();
    modules.setDead(2, true);
    for (const counter of ["1", "2"]) await client.request({ scope: "counter", counter, verb: "open" });
    await client.request({ scope: "desk", verb: "issue" }, { service: "benefits" });
    await client.request({ scope: "desk", verb: "issue" }, { service: "benefits" });
    await client.request({ scope: "counter", counter: "2", verb: "call_next" });
    await client.request({ scope: "counter", counter: "1", verb: "call_next" });
    await until(() => modules.display(1).trim() === "B002", "board 1 keeps working");
    await until(
      () => h.office.health.activeAlerts().some((a) => a.device === "board-2" && a.code === "BOARD_OFFLINE"),
      "the alert",
      10_000,
    );
    modules.setDead(2, false);
    await until(
      () => modules.display(2).trim() === "B001",
      "board 2 shows its call after coming back",
      20_000,
    );
    await until(
      () => !h.office.health.activeAlerts().some((a) => a.device === "board-2"),
      "the alert cleared",
      5000,
    );
  });
});
