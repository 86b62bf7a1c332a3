// Topic buttons through the whole office: a simulated X-keys (real report bytes) read by the real
// HID driver, the press rules, the queue's reserve -> print -> confirm path and the simulated
// printer. Unplugging and replugging the panel; a burst of 1 000 presses in one (simulated) second.
import { afterEach, describe, expect, it } from "vitest";
import type { OfficeConfigInput } from "../../../controller/config/schema.js";
import type { PressRecord } from "../../../controller/panels/panel-service.js";
import { ticketNumberOf } from "../../../demo/simulation.js";
import { T0 } from "../../support/office.js";
import { type Harness, startHarness } from "../../support/office-harness.js";

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  for (let waited = 0; !check(); waited += 20) {
    if (waited > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const printer = {
  id: "kiosk-1",
  profile: "epson-tm-t20iii",
  transport: { type: "simulated" as const },
  confirmTimeoutSeconds: 2,
};

function devices(
  buttons: Array<{ button: string; service: string; led?: boolean }>,
): OfficeConfigInput["devices"] {
  return {
    printers: [printer],
    panels: [{ id: "panel-1", kind: "xkeys", printer: "kiosk-1", io: { type: "simulated" }, buttons }],
  };
}

describe("topic buttons through the office", () => {
  let h: Harness;
  afterEach(async () => {
    await h.stop();
  });

  async function ready() {
    await until(
      () =>
        h.office.health
          .devices()
          .filter((d) => d.id === "kiosk-1" || d.id === "panel-1")
          .every((d) => d.status === "ok" && (d.kind !== "printer" || d.lastSeen !== null)),
      "printer and panel online",
    );
  }

  it("a press prints one ticket that enters the queue; unplugged the panel goes offline with an alert, replugged it is back", async () => {
    h = await startHarness({
      config: {
        devices: devices([
          { button: "0", service: "pensions", led: true },
          { button: "1", service: "benefits", led: true },
        ]),
      },
    });
    await ready();
    const w = await h.watch();
    const control = h.office.simulated.panels.get("panel-1")!;
    expect(control).toMatchObject({ kind: "xkeys", printer: "kiosk-1" });
    await until(() => control.leds()["0"] === "on" && control.leds()["1"] === "on", "LEDs lit");
    await control.press("0");
    const issued = await w.waitFor((m) => m.topic === `${h.base}events/ticket_issued`);
    expect(JSON.parse(issued.payload.toString())).toMatchObject({
      ticket: { number: "A001", state: "waiting" },
    });
    const kiosk = h.office.simulated.printers.get("kiosk-1")!.printer;
    expect(kiosk.tickets().map(ticketNumberOf)).toEqual(["A001"]);
    expect(h.office.panels.service.counters("panel-1")).toMatchObject({
      issued: 1,
      bounce: 0,
      rate_limited: 0,
    });

    control.setPlugged(false);
    await until(
      () =>
        h.office.health.devices().find((d) => d.id === "panel-1")?.status === "offline" &&
        h.office.health.activeAlerts().some((a) => a.device === "panel-1" && a.code === "PANEL_OFFLINE"),
      "panel offline with PANEL_OFFLINE",
    );
    await w.waitFor((m) => m.topic === `${h.base}alerts/panel-1` && m.payload.length > 0);
    control.setPlugged(true);
    await until(
      () =>
        h.office.health.devices().find((d) => d.id === "panel-1")?.status === "ok" &&
        !h.office.health.activeAlerts().some((a) => a.device === "panel-1"),
      "panel back",
    );
    await w.waitFor((m) => m.topic === `${h.base}alerts/panel-1` && m.payload.length === 0);
    // The LEDs come back as they were, and a press prints again.
    await until(() => control.leds()["0"] === "on", "LEDs lit again");
    await control.press("1");
    await until(() => kiosk.tickets().length === 2, "the second ticket");
    expect(kiosk.tickets().map(ticketNumberOf)).toEqual(["A001", "B001"]);
    // The counters are in the panel's health record.
    await until(
      () =>
        (h.office.health.devices().find((d) => d.id === "panel-1")?.details?.presses as { issued?: number })
          ?.issued === 2,
      "counters in the health record",
    );
  });

  it("1 000 presses within one second over six buttons: every press has its outcome, exactly as the rules say", async () => {
    let now = T0;
    h = await startHarness({
      clock: () => now,
      config: {
        services: [
          { id: "pensions", prefix: "A", names: { en: "Pensions" } },
          { id: "benefits", prefix: "B", names: { en: "Benefits" } },
          { id: "documents", prefix: "C", names: { en: "Documents" } },
          { id: "information", prefix: "D", names: { en: "Information" } },
          { id: "parking", prefix: "P", names: { en: "Parking" } },
          // T0 is a Tuesday 09:00: closed.
          { id: "evening", prefix: "E", names: { en: "Evening" }, hours: { tue: ["18:00-20:00"] } },
        ],
        devices: devices(
          ["pensions", "benefits", "documents", "information", "parking", "evening"].map((service, i) => ({
            button: String(i),
            service,
          })),
        ),
      },
    });
    await ready();
    const records: PressRecord[] = [];
    h.office.panels.service.onPress((r) => records.push(r));
    const control = h.office.simulated.panels.get("panel-1")!;
    // Press k (0..999) goes down at T0 + k ms on button k % 6 and comes up 2 ms later. Each edge
    // is a report from the virtual X-keys, read by the driver at the clock's time.
    const edges: Array<{ at: number; button: string; down: boolean }> = [];
    for (let k = 0; k < 1000; k++) {
      edges.push({ at: T0 + k, button: String(k % 6), down: true });
      edges.push({ at: T0 + k + 2, button: String(k % 6), down: false });
    }
    edges.sort((a, b) => a.at - b.at || Number(a.down) - Number(b.down));
    // Between edges only microtasks run (the virtual panel's reports and the driver's reading of
    // them), no I/O: the whole burst is over before the printer answers for its first ticket, as
    // a burst within one second is before a real printer has cut its first ticket.
    for (const edge of edges) {
      now = edge.at;
      control.hold(edge.button, edge.down);
      for (let i = 0; i < 5; i++) await Promise.resolve();
    }
    now = T0 + 10_000;
    await until(() => records.length === 1000, `1 000 outcomes (have ${records.length})`);
    // Per button, with debounce 30 ms and 2 s between presses: the first down is a press; the
    // level settles every 30 ms, so every 60 ms a down is accepted again and refused by the rate
    // limit (16 per button within the second); every other down is a bounce. The six presses:
    // four print (one at once, three wait), the fifth finds the queue full, the sixth's service is
    // closed.
    const count = (outcome: string) => records.filter((r) => r.outcome === outcome).length;
    const expected = {
      issued: 4,
      print_failed: 0,
      bounce: 898,
      rate_limited: 96,
      stuck: 0,
      closed: 1,
      queue_full: 1,
      printer_unavailable: 0,
    };
    expect(Object.fromEntries(Object.keys(expected).map((o) => [o, count(o)]))).toEqual(expected);
    expect(h.office.panels.service.counters("panel-1")).toEqual(expected);
    expect(records.filter((r) => r.outcome === "queue_full").map((r) => r.service)).toEqual(["parking"]);
    expect(records.filter((r) => r.outcome === "closed").map((r) => r.service)).toEqual(["evening"]);
    const issued = records.filter((r) => r.outcome === "issued").map((r) => r.ticket);
    expect(issued).toEqual(["A001", "B001", "C001", "D001"]);
    const kiosk = h.office.simulated.printers.get("kiosk-1")!.printer;
    await until(() => kiosk.tickets().length === 4, "four tickets on paper");
    expect(kiosk.tickets().map(ticketNumberOf)).toEqual(issued);
    expect(h.office.queue.core.openTickets().map((t) => t.number)).toEqual(issued);
    expect(new Set(issued).size).toBe(issued.length);
  });
});
