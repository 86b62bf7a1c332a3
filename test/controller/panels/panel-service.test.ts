// The panel service with a fake driver, a fake printer and a clock the test moves: presses wait
// first in first out per printer, take their number only at their turn, are refused while the
// printer is in fault, and the LEDs follow opening hours, printer health and refused presses.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { OfficeConfig } from "../../../controller/config/schema.js";
import { HealthBoard } from "../../../controller/health/health-board.js";
import { silentLogger } from "../../../controller/health/log.js";
import { PanelService, type PressRecord, serviceOpenAt } from "../../../controller/panels/panel-service.js";
import type { PressCounters } from "../../../controller/panels/press-rules.js";
import { DurableQueue } from "../../../controller/queue/durable-queue.js";
import { QueueService } from "../../../controller/queue/queue-service.js";
import { officeConfig, T0 } from "../../support/office.js";
import { FakePanelDriver, FakePrinting, ManualTime, settle } from "./support.js";

const MINUTE = 60_000;

function config(): OfficeConfig {
  return officeConfig({
    services: [
      { id: "pensions", prefix: "A", names: { en: "Pensions" } },
      { id: "benefits", prefix: "B", names: { en: "Benefits" } },
      { id: "documents", prefix: "C", names: { en: "Documents" } },
      // T0 is a Tuesday 09:00 in Tallinn: this one opens at 10:00.
      { id: "evening", prefix: "E", names: { en: "Evening" }, hours: { tue: ["10:00-24:00"] } },
    ],
    devices: {
      printers: [{ id: "kiosk-1", profile: "epson-tm-t20iii", transport: { type: "simulated" } }],
      panels: [
        {
          id: "panel-1",
          kind: "xkeys",
          printer: "kiosk-1",
          io: { type: "simulated" },
          buttons: [
            { button: "0", service: "pensions", led: true },
            { button: "1", service: "benefits", led: true },
            { button: "2", service: "documents", led: true },
            { button: "3", service: "evening", led: true },
          ],
        },
      ],
    },
  });
}

describe("panel service", () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  function office() {
    const cfg = config();
    const time = new ManualTime(T0);
    const dataDir = mkdtempSync(join(tmpdir(), "vooru-panels-"));
    const queue = DurableQueue.open({ config: cfg, dataDir, clock: time.clock, log: silentLogger });
    const health = new HealthBoard(time.clock);
    health.register("kiosk-1", "printer", { status: "ok", faults: [] });
    const printing = new FakePrinting();
    const queueService = new QueueService(queue, printing, health, silentLogger);
    const driver = new FakePanelDriver("panel-1");
    const reported: Array<{ panel: string; counters: PressCounters }> = [];
    const service = new PanelService({
      panels: [{ config: cfg.devices.panels[0]!, driver }],
      issue: (s, p) => queueService.issueAtKiosk(s, p),
      isOpen: serviceOpenAt(cfg),
      health,
      clock: time.clock,
      timers: time,
      log: silentLogger,
      reportCounters: (panel, counters) => reported.push({ panel, counters }),
    });
    const records: PressRecord[] = [];
    service.onPress((r) => records.push(r));
    service.start();
    cleanups.push(() => {
      queue.close();
      rmSync(dataDir, { recursive: true, force: true });
    });
    cleanups.push(() => service.stop());
    /** A customer's press: down, up 80 ms later. */
    const press = (button: string) => {
      driver.edge(button, true, time.now);
      time.advance(80);
      driver.edge(button, false, time.now);
    };
    return { time, queue, health, printing, driver, service, records, press, reported };
  }

  it("presses wait first in first out, take their number at their turn; one more than the queue holds is refused", async () => {
    const { time, queue, printing, driver, records, press } = office();
    expect(driver.started).toBe(true);
    press("0"); // prints at once
    time.advanceTo(T0 + 100);
    press("1");
    time.advanceTo(T0 + 200);
    press("2");
    time.advanceTo(T0 + 2100);
    press("0"); // a second pensions press, after the rate limit: waits third
    time.advanceTo(T0 + 2200);
    press("1"); // 1 printing + 3 waiting: full
    expect(records.map((r) => [r.button, r.outcome])).toEqual([["1", "queue_full"]]);
    expect(printing.started).toEqual(["A001"]);
    // Nothing is reserved for the waiting presses yet.
    expect(queue.core.ticket("B001")).toBeUndefined();
    expect(driver.leds.get("1")).toBe("flash");
    for (let i = 0; i < 4; i++) {
      printing.finish();
      await settle();
    }
    expect(printing.printed).toEqual(["A001", "B001", "C001", "A002"]);
    expect(records.map((r) => [r.button, r.outcome, r.ticket])).toEqual([
      ["1", "queue_full", undefined],
      ["0", "issued", "A001"],
      ["1", "issued", "B001"],
      ["2", "issued", "C001"],
      ["0", "issued", "A002"],
    ]);
    expect(queue.core.openTickets().map((t) => t.number)).toEqual(["A001", "B001", "C001", "A002"]);
    // The refused press's flash ends after refusedFlashSeconds.
    time.advanceTo(T0 + 2200 + 80 + 3000);
    expect(driver.leds.get("1")).toBe("on");
  });

  it("printer in fault: LEDs flash, presses are refused at once and take no number; a press waiting when it failed too", async () => {
    const { health, printing, driver, records, press, time, queue } = office();
    expect(driver.leds.get("0")).toBe("on");
    health.report("kiosk-1", { status: "degraded", faults: ["paper_out"] });
    expect(driver.leds.get("0")).toBe("flash");
    expect(driver.leds.get("3")).toBe("off"); // closed stays dark
    press("0");
    expect(records.map((r) => r.outcome)).toEqual(["printer_unavailable"]);
    expect(queue.core.ticket("A001")).toBeUndefined();
    // Paper near its end still prints.
    health.report("kiosk-1", { status: "degraded", faults: ["paper_low"] });
    time.advance(5000);
    expect(driver.leds.get("0")).toBe("on");
    press("0");
    time.advance(100);
    press("1");
    health.report("kiosk-1", { status: "degraded", faults: ["paper_out"] });
    printing.finish(false);
    await settle();
    expect(records.map((r) => [r.button, r.outcome, r.ticket])).toEqual([
      ["0", "printer_unavailable", undefined],
      ["0", "print_failed", "A001"],
      ["1", "printer_unavailable", undefined],
    ]);
    expect(queue.core.ticket("A001")?.state).toBe("void");
    expect(queue.core.ticket("B001")).toBeUndefined();
    health.report("kiosk-1", { status: "ok" });
    time.advance(5000);
    expect(driver.leds.get("0")).toBe("on");
  });

  it("a ticket that does not come out: the press says which number was voided, from the queue's result", async () => {
    const { printing, records, press, queue } = office();
    press("0");
    expect(printing.started).toEqual(["A001"]);
    printing.finish(false);
    await settle();
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ button: "0", outcome: "print_failed", ticket: "A001" });
    expect(queue.core.ticket("A001")?.state).toBe("void");
  });

  it("a closed service prints nothing and flashes; its LED lights when it opens", async () => {
    const { driver, records, press, time, printing } = office();
    printing.auto = true;
    expect(driver.leds.get("3")).toBe("off");
    press("3");
    expect(records.map((r) => r.outcome)).toEqual(["closed"]);
    expect(printing.started).toEqual([]);
    expect(driver.leds.get("3")).toBe("flash");
    time.advance(3000);
    expect(driver.leds.get("3")).toBe("off");
  });

  it("the office tick lights a service that opened; a press then prints", async () => {
    const { driver, records, press, time, printing, service } = office();
    printing.auto = true;
    time.advanceTo(T0 + 60 * MINUTE);
    service.refresh();
    expect(driver.leds.get("3")).toBe("on");
    press("3");
    await settle();
    expect(records.map((r) => [r.outcome, r.ticket])).toEqual([["issued", "E001"]]);
  });

  it("a held button prints one ticket; stuck after stuckAfterSeconds raises BUTTON_STUCK, its release clears it", async () => {
    const { driver, records, time, printing, health } = office();
    printing.auto = true;
    driver.edge("0", true, time.now);
    await settle();
    time.advance(9_999);
    expect(health.activeAlerts()).toEqual([]);
    time.advance(1);
    expect(health.activeAlerts()).toMatchObject([
      { device: "panel-1", code: "BUTTON_STUCK", severity: "warning" },
    ]);
    // A repeated down report while stuck is ignored.
    driver.edge("0", true, time.now);
    time.advance(20_000);
    driver.edge("0", false, time.now);
    expect(health.activeAlerts()).toEqual([]);
    expect(records.map((r) => r.outcome)).toEqual(["issued", "stuck"]);
    expect(printing.printed).toEqual(["A001"]);
  });

  it("counters per outcome go to the health record in batches", async () => {
    const { press, time, printing, reported, service } = office();
    printing.auto = true;
    press("0");
    time.advance(100);
    press("0");
    press("3");
    await settle();
    expect(reported).toEqual([]);
    time.advance(250);
    expect(reported).toEqual([
      {
        panel: "panel-1",
        counters: {
          issued: 1,
          print_failed: 0,
          bounce: 0,
          rate_limited: 1,
          stuck: 0,
          closed: 1,
          queue_full: 0,
          printer_unavailable: 0,
        },
      },
    ]);
    expect(service.counters("panel-1")?.issued).toBe(1);
  });
});
