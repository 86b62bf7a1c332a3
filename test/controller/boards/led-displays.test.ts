// A led display (HT16K33 / MAX7219) on a simulated Arduino with StandardFirmata, through the
// whole office: the real johnny-five and firmata-io over loopback TCP to the virtual board.
import { afterEach, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../../support/office-harness.js";

async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  for (let waited = 0; !check(); waited += 20) {
    if (waited > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("led displays through the office", () => {
  let h: Harness;
  afterEach(async () => {
    await h.stop();
  });

  it("a call shows on the counter's HT16K33 and MAX7219 displays", async () => {
    h = await startHarness({
      config: {
        devices: {
          ledDisplays: [
            { id: "led-1", controller: "HT16K33", counter: "1", io: { type: "simulated" } },
            {
              id: "led-1b",
              controller: "MAX7219",
              counter: "1",
              digits: 4,
              pins: { data: 2, clock: 3, cs: 4 },
              io: { type: "simulated" },
            },
          ],
          boardTexts: { idle: "", closed: "----", blinkSeconds: 0.2 },
        },
      },
    });
    const ht = h.office.simulated.ledDisplays.get("led-1")?.wiring.ht16k33(0x70);
    const max = h.office.simulated.ledDisplays.get("led-1b")?.wiring.max7219(4);
    if (!ht || !max) throw new Error("no simulated displays");
    await until(() => ht.view().shown === "----" && max.view().shown === "----", "the closed text");
    const client = await h.client();
    await client.request({ scope: "counter", counter: "1", verb: "open" });
    await client.request({ scope: "desk", verb: "issue" }, { service: "pensions" });
    await client.request({ scope: "counter", counter: "1", verb: "call_next" });
    await until(() => ht.view().shown === "A001", "A001 on the HT16K33");
    await until(() => max.view().shown === "A001", "A001 on the MAX7219");
    expect(h.office.boards.ledDisplays.get("led-1")?.status).toBe("open");
    expect(h.office.health.activeAlerts().filter((a) => a.device.startsWith("led-"))).toEqual([]);
  });
});
