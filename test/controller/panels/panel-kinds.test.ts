// Every kind of simulated panel through the office: its virtual device read by its real driver,
// a press prints one ticket, and its LEDs show the open service.
import { afterEach, describe, expect, it } from "vitest";
import { ticketNumberOf } from "../../../demo/simulation.js";
import { type Harness, startHarness } from "../../support/office-harness.js";

async function until(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  for (let waited = 0; !check(); waited += 20) {
    if (waited > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const kinds = [
  { kind: "keypad", buttons: [{ button: "KP_1", service: "pensions" }] },
  { kind: "gpio", buttons: [{ button: "17", service: "pensions", led: 27 }] },
  { kind: "firmata", buttons: [{ button: "2", service: "pensions", led: 8 }] },
] as const;

describe("simulated panels of every kind", () => {
  let h: Harness;
  afterEach(async () => {
    await h.stop();
  });

  for (const { kind, buttons } of kinds) {
    it(`${kind}: a press prints one ticket`, async () => {
      h = await startHarness({
        config: {
          devices: {
            printers: [{ id: "kiosk-1", profile: "epson-tm-t20iii", transport: { type: "simulated" } }],
            panels: [
              { id: "panel-1", kind, printer: "kiosk-1", io: { type: "simulated" }, buttons: [...buttons] },
            ],
          },
        },
      });
      const status = (id: string) => h.office.health.devices().find((d) => d.id === id);
      await until(
        () => status("panel-1")?.status === "ok" && status("kiosk-1")?.lastSeen != null,
        `${kind} panel and printer online (${JSON.stringify(status("panel-1"))})`,
      );
      const control = h.office.simulated.panels.get("panel-1")!;
      const button = buttons[0].button;
      if ("led" in buttons[0]) await until(() => control.leds()[button] === "on", "the LED lit");
      await control.press(button);
      const kiosk = h.office.simulated.printers.get("kiosk-1")!.printer;
      await until(() => kiosk.tickets().length === 1, "the ticket");
      expect(kiosk.tickets().map(ticketNumberOf)).toEqual(["A001"]);
      expect(h.office.panels.service.counters("panel-1")).toMatchObject({ issued: 1 });
    });
  }
});
