// Device faults with the whole controller running on a real Mosquitto: the kiosk printer running
// out of paper in the middle of a ticket and being unplugged, a dead board on a Modbus bus, a
// topic-button panel unplugged. Customers press and the desk issues while the fault lasts; the
// counters keep calling. Each fault is made by the simulators' own switches, so the real drivers
// see it as they would see the hardware's.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { VirtualModbusBus } from "../../simulators/boards/modbus-bus.js";
import type { VirtualPrinter } from "../../simulators/printer/virtual-printer.js";
import { mosquittoAvailable, type RunningMosquitto, startMosquitto } from "../support/mosquitto.js";
import { checkInvariants } from "./support/invariants.js";
import { BUS, KIOSK, OfficeUnderTest, PANEL } from "./support/office-under-test.js";
import { eventually, until } from "./support/wait.js";

/**
 * Paper runs out half-way through the next ticket the printer receives: the first half is on the
 * paper, the rest (cut and confirmation request included) waits in the printer's buffer.
 */
function paperOutMidTicket(printer: VirtualPrinter): void {
  const receive = printer.receive.bind(printer);
  printer.receive = (chunk: Uint8Array) => {
    // Status polls are a few bytes; a ticket is hundreds.
    if (chunk.length < 64) return receive(chunk);
    printer.receive = receive;
    const half = Math.floor(chunk.length / 2);
    receive(chunk.subarray(0, half));
    printer.setPaperOut(true);
    receive(chunk.subarray(half));
  };
}

const hasAlert = (o: OfficeUnderTest, device: string, code: string) =>
  o.office.health.activeAlerts().some((a) => a.device === device && a.code === code);
const status = (o: OfficeUnderTest, device: string) =>
  o.office.health.devices().find((d) => d.id === device)?.status;
const retainedAlert = (o: OfficeUnderTest, device: string) =>
  (o.retained.json(`alerts/${device}`) as { code: string } | undefined)?.code;

describe.skipIf(!mosquittoAvailable())("device faults, office on Mosquitto", () => {
  let broker: RunningMosquitto;
  let o: OfficeUnderTest;
  beforeAll(async () => {
    broker = await startMosquitto();
  });
  afterAll(async () => {
    await broker?.stop();
  });
  afterEach(async () => {
    await o?.stop();
  });

  it("paper out mid-ticket: that number is void, the fault is alerted and flashes; paper back, printing resumes", async () => {
    o = await OfficeUnderTest.start({ brokerUrl: broker.url });
    const kiosk = o.office.simulated.printers.get(KIOSK)?.printer as VirtualPrinter;
    expect((await o.counter("1", "open")).ok).toBe(true);
    expect(await o.press("0")).toMatchObject({ outcome: "issued", ticket: "A001" });
    expect((await o.issue("benefits")).ok).toBe(true);

    paperOutMidTicket(kiosk);
    const cut = await o.issue("pensions");
    // The desk hears that its ticket did not come out, and that its number is void.
    expect(cut).toMatchObject({ ok: false, error: { code: "PRINT_FAILED" } });
    expect(o.ledger.voided).toEqual(new Set(["A002"]));
    expect(kiosk.inProgress().lines.length).toBeGreaterThan(0);
    await until(() => hasAlert(o, KIOSK, "PAPER_OUT"), "PAPER_OUT raised");
    await eventually(() => expect(retainedAlert(o, KIOSK)).toBe("PAPER_OUT"));
    await eventually(() =>
      expect(o.retained.json("events/print_failed")).toMatchObject({
        ticket: { number: "A002", state: "void" },
      }),
    );
    // While in fault every button flashes, a press is refused at once and takes no number, and
    // the desk's ticket fails without printing; the counters keep calling.
    await until(() => Object.values(o.panelLeds()).every((led) => led === "flash"), "the LEDs flash");
    expect(await o.press("1")).toMatchObject({ outcome: "printer_unavailable" });
    expect(await o.issue("documents")).toMatchObject({ ok: false, error: { code: "PRINT_FAILED" } });
    expect(o.ledger.voided).toEqual(new Set(["A002", "C001"]));
    expect(await o.counter("1", "call_next")).toMatchObject({
      ok: true,
      result: { ticket: { number: "A001" } },
    });

    kiosk.setPaperOut(false);
    await until(() => !hasAlert(o, KIOSK, "PAPER_OUT") && status(o, KIOSK) === "ok", "PAPER_OUT cleared");
    await until(() => Object.values(o.panelLeds()).every((led) => led === "on"), "the LEDs lit again");
    // The next number after the void ones: nothing was handed out twice.
    expect(await o.press("1")).toMatchObject({ outcome: "issued", ticket: "B002" });
    expect(await o.issue("documents")).toMatchObject({ ok: true, result: { ticket: { number: "C002" } } });
    expect(await o.counter("1", "start")).toMatchObject({ ok: true });
    expect(await o.counter("1", "finish")).toMatchObject({ ok: true, result: { ticket: { state: "done" } } });
    await checkInvariants(o);
  });

  it("printer unplugged and back: offline with an alert; presses take no number, the desk's number is void", async () => {
    o = await OfficeUnderTest.start({ brokerUrl: broker.url });
    const sim = o.office.simulated.printers.get(KIOSK);
    if (!sim) throw new Error("no simulated kiosk printer");
    expect((await o.counter("2", "open")).ok).toBe(true);
    expect(await o.press("1")).toMatchObject({ outcome: "issued", ticket: "B001" });

    await sim.setPlugged(false);
    await until(
      () => status(o, KIOSK) === "offline" && hasAlert(o, KIOSK, "PRINTER_OFFLINE"),
      "printer offline",
    );
    await eventually(() => expect(retainedAlert(o, KIOSK)).toBe("PRINTER_OFFLINE"));
    await eventually(() => expect(o.retained.json(`devices/${KIOSK}`)).toMatchObject({ status: "offline" }));
    await until(() => Object.values(o.panelLeds()).every((led) => led === "flash"), "the LEDs flash");
    // A press is refused before it takes a number.
    expect(await o.press("0")).toMatchObject({ outcome: "printer_unavailable" });
    // The desk's issue reserves its number durably first (DESIGN: durable before the printer gets
    // a byte), so the number is spent and void: DEVICE_UNAVAILABLE, and A001 is never called.
    expect(await o.issue("pensions")).toMatchObject({ ok: false, error: { code: "DEVICE_UNAVAILABLE" } });
    expect(o.ledger.voided).toEqual(new Set(["A001"]));
    expect(await o.counter("2", "call_next")).toMatchObject({
      ok: true,
      result: { ticket: { number: "B001" } },
    });

    await sim.setPlugged(true);
    await until(() => status(o, KIOSK) === "ok" && !hasAlert(o, KIOSK, "PRINTER_OFFLINE"), "printer back");
    await until(() => Object.values(o.panelLeds()).every((led) => led === "on"), "the LEDs lit again");
    expect(await o.press("0")).toMatchObject({ outcome: "issued", ticket: "A002" });
    expect(await o.issue("benefits")).toMatchObject({ ok: true, result: { ticket: { number: "B002" } } });
    expect(await o.counter("2", "start")).toMatchObject({ ok: true });
    expect(await o.counter("2", "finish")).toMatchObject({ ok: true, result: { ticket: { state: "done" } } });
    expect(await o.counter("2", "call_next")).toMatchObject({
      ok: true,
      result: { ticket: { number: "B002" } },
    });
    await checkInvariants(o);
  });

  it("a dead board on the bus: BOARD_OFFLINE for it alone, the others keep showing; revived it shows the current call", async () => {
    o = await OfficeUnderTest.start({ brokerUrl: broker.url });
    const bus = o.office.simulated.boardBuses.get(BUS)?.bus as VirtualModbusBus;
    for (const counter of ["1", "2", "3"]) expect((await o.counter(counter, "open")).ok).toBe(true);
    for (const service of ["benefits", "benefits", "documents", "pensions"])
      expect((await o.issue(service)).ok).toBe(true);

    bus.setDead(2, true);
    expect(await o.counter("2", "call_next")).toMatchObject({
      ok: true,
      result: { ticket: { number: "B001" } },
    });
    expect(await o.counter("1", "call_next")).toMatchObject({
      ok: true,
      result: { ticket: { number: "B002" } },
    });
    await until(() => bus.display(1).trim() === "B002", "board 1 shows its call");
    await until(() => hasAlert(o, "board-2", "BOARD_OFFLINE"), "BOARD_OFFLINE for board 2");
    await eventually(() => expect(retainedAlert(o, "board-2")).toBe("BOARD_OFFLINE"));
    // The dead board holds up neither the others nor the queue.
    expect(await o.counter("3", "call_next")).toMatchObject({
      ok: true,
      result: { ticket: { number: "C001" } },
    });
    await until(() => bus.display(3).trim() === "C001", "board 3 shows its call");
    expect(await o.press("2")).toMatchObject({ outcome: "issued", ticket: "C002" });
    for (const board of ["board-1", "board-3", BUS]) {
      expect(hasAlert(o, board, "BOARD_OFFLINE"), board).toBe(false);
      expect(status(o, board), board).toBe("ok");
    }
    // Counter 2 moves on while its board is dead: the board must show the call of now, not of then.
    expect(await o.counter("2", "start")).toMatchObject({ ok: true });
    expect(await o.counter("2", "finish")).toMatchObject({ ok: true, result: { ticket: { state: "done" } } });
    expect(await o.counter("2", "call_next")).toMatchObject({
      ok: true,
      result: { ticket: { number: "C002" } },
    });

    bus.setDead(2, false);
    await until(() => bus.display(2).trim() === "C002", "board 2 shows the current call once back");
    await until(
      () => !hasAlert(o, "board-2", "BOARD_OFFLINE") && status(o, "board-2") === "ok",
      "board 2 back",
    );
    await eventually(() => expect(o.retained.json("boards/board-2")).toMatchObject({ text: "C002" }));
    await checkInvariants(o);
  });

  it("a panel unplugged: PANEL_OFFLINE, its presses do nothing; plugged back its LEDs are restored and presses issue", async () => {
    o = await OfficeUnderTest.start({ brokerUrl: broker.url });
    const control = o.office.simulated.panels.get(PANEL);
    if (!control) throw new Error("no simulated panel");
    expect((await o.counter("1", "open")).ok).toBe(true);
    expect(await o.press("0")).toMatchObject({ outcome: "issued", ticket: "A001" });

    control.setPlugged(false);
    await until(() => status(o, PANEL) === "offline" && hasAlert(o, PANEL, "PANEL_OFFLINE"), "panel offline");
    await eventually(() => expect(retainedAlert(o, PANEL)).toBe("PANEL_OFFLINE"));
    const pressesBefore = o.presses.length;
    // A customer presses the dead panel; the desk and the counters carry on.
    await control.press("1");
    await control.press("2");
    expect(await o.issue("benefits")).toMatchObject({ ok: true, result: { ticket: { number: "B001" } } });
    expect(await o.counter("1", "call_next")).toMatchObject({
      ok: true,
      result: { ticket: { number: "A001" } },
    });

    control.setPlugged(true);
    await until(() => status(o, PANEL) === "ok" && !hasAlert(o, PANEL, "PANEL_OFFLINE"), "panel back");
    await until(() => Object.values(control.leds()).every((led) => led === "on"), "the LEDs restored");
    expect(await o.press("2")).toMatchObject({ outcome: "issued", ticket: "C001" });
    // The presses made while it was unplugged left nothing behind: only the one after the replug.
    expect(o.presses.slice(pressesBefore).map((p) => p.outcome)).toEqual(["issued"]);
    expect(o.office.queue.core.openTickets().map((t) => t.number)).toEqual(["A001", "B001", "C001"]);
    await checkInvariants(o);
  });
});
