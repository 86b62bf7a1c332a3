// The contract additions over a real broker: boards/{board}, sim/printers/{printer},
// sim/panels/{panel} and sim/request/{verb}, with their ACL (desk and admin only) and errors.
import { afterEach, describe, expect, it } from "vitest";
import type { OfficeConfigInput } from "../../../controller/config/schema.js";
import { publishRefusal } from "../../../controller/mqtt/embedded-broker.js";
import {
  boardStateSchema,
  replySchema,
  simPanelSchema,
  simPrinterSchema,
} from "../../../protocols/mqtt/schemas.js";
import { type Harness, startHarness } from "../../support/office-harness.js";

const SIMULATED: Partial<OfficeConfigInput> = {
  devices: {
    printers: [{ id: "kiosk-1", profile: "epson-tm-t20iii", transport: { type: "simulated" } }],
    boardBuses: [
      {
        id: "bus",
        protocol: "modbus-7seg",
        transport: { type: "simulated" },
        boards: [
          { id: "board-1", address: 1, counter: "1" },
          { id: "hall", address: 2, zone: "main", lines: 2 },
        ],
      },
    ],
    panels: [
      {
        id: "panel-1",
        kind: "xkeys",
        printer: "kiosk-1",
        io: { type: "simulated" },
        buttons: [
          { button: "0", service: "pensions", led: true },
          { button: "1", service: "benefits", led: true },
        ],
      },
    ],
  } as OfficeConfigInput["devices"],
};

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe("boards and simulated devices on MQTT", () => {
  it("publishes what each board shows, retained, and its change on a call", async () => {
    h = await startHarness({ config: SIMULATED });
    const w = await h.watch();
    const board = await w.waitFor((m) => m.topic === `${h?.base}boards/board-1`);
    expect(board.retain).toBe(true);
    expect(boardStateSchema.parse(JSON.parse(board.payload.toString()))).toMatchObject({
      text: "----",
      lines: ["----"],
      blink: false,
      counter: "1",
    });
    const client = await h.client();
    expect((await client.request({ scope: "counter", counter: "1", verb: "open" })).ok).toBe(true);
    expect((await client.request({ scope: "desk", verb: "issue" }, { service: "pensions" })).ok).toBe(true);
    const called = await client.request({ scope: "counter", counter: "1", verb: "call_next" });
    expect(called.ok).toBe(true);
    const hall = await w.waitFor(
      (m) => m.topic === `${h?.base}boards/hall` && m.payload.toString().includes("A001"),
    );
    expect(JSON.parse(hall.payload.toString())).toMatchObject({
      lines: ["A001 → 1"],
      blink: true,
      zone: "main",
    });
  });

  it("shows the simulated printer and panel, and controls them by request", async () => {
    h = await startHarness({ config: SIMULATED });
    const w = await h.watch();
    const printer = await w.waitFor((m) => m.topic === `${h?.base}sim/printers/kiosk-1`);
    expect(simPrinterSchema.parse(JSON.parse(printer.payload.toString()))).toMatchObject({
      paperOut: false,
      unplugged: false,
      tickets: [],
    });
    const panel = await w.waitFor((m) => m.topic === `${h?.base}sim/panels/panel-1`);
    expect(simPanelSchema.parse(JSON.parse(panel.payload.toString()))).toMatchObject({
      plugged: true,
      printer: "kiosk-1",
      buttons: [
        { button: "0", service: "pensions" },
        { button: "1", service: "benefits" },
      ],
    });
    const client = await h.client();
    const pressed = await client.request({ scope: "sim", verb: "press" }, { panel: "panel-1", button: "0" });
    expect(pressed).toMatchObject({ ok: true, verb: "press" });
    const drawn = await w.waitFor(
      (m) => m.topic === `${h?.base}sim/printers/kiosk-1` && m.payload.toString().includes('"number":"A001"'),
      20_000,
    );
    const ticket = simPrinterSchema.parse(JSON.parse(drawn.payload.toString())).tickets[0];
    expect(ticket?.svg).toMatch(/^<svg/);

    const out = await client.request(
      { scope: "sim", verb: "printer" },
      { printer: "kiosk-1", paperOut: true },
    );
    expect(out).toMatchObject({ ok: true, result: { paperOut: true } });
    await w.waitFor(
      (m) => m.topic === `${h?.base}alerts/kiosk-1` && m.payload.toString().includes("PAPER_OUT"),
    );

    // Paper back in: the alert clears, so the next one on the topic is the unplugged printer's.
    const before = w.messages.length;
    await client.request({ scope: "sim", verb: "printer" }, { printer: "kiosk-1", paperOut: false });
    await w.waitFor(
      (m) =>
        m.topic === `${h?.base}alerts/kiosk-1` && m.payload.length === 0 && w.messages.indexOf(m) >= before,
    );
    const unplug = await client.request(
      { scope: "sim", verb: "printer" },
      { printer: "kiosk-1", unplugged: true },
    );
    expect(unplug).toMatchObject({ ok: true, result: { unplugged: true } });
    // The driver sees its connection drop: the printer goes offline and an alert is raised.
    await w.waitFor(
      (m) => m.topic === `${h?.base}alerts/kiosk-1` && m.payload.toString().includes("PRINTER_OFFLINE"),
      20_000,
    );
    await w.waitFor(
      (m) => m.topic === `${h?.base}devices/kiosk-1` && m.payload.toString().includes('"status":"offline"'),
    );
    const panelOff = await client.request(
      { scope: "sim", verb: "panel" },
      { panel: "panel-1", plugged: false },
    );
    expect(panelOff).toMatchObject({ ok: true, result: { plugged: false } });
  });

  it("answers bad sim requests with the contract's error codes", async () => {
    h = await startHarness({ config: SIMULATED });
    const client = await h.client();
    const unknown = await client.request(
      { scope: "sim", verb: "printer" },
      { printer: "nope", paperOut: true },
    );
    expect(unknown).toMatchObject({ ok: false, error: { code: "DEVICE_UNAVAILABLE" } });
    const badField = await client.request(
      { scope: "sim", verb: "printer" },
      { printer: "kiosk-1", paperOut: "yes" },
    );
    expect(replySchema.parse(badField)).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED" } });
    expect(!badField.ok && badField.error.issues?.map((i) => i.path)).toEqual(["paperOut"]);
    const badButton = await client.request(
      { scope: "sim", verb: "press" },
      { panel: "panel-1", button: "9" },
    );
    expect(badButton).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED" } });
    expect(!badButton.ok && badButton.error.message).toMatch(/^button:/);
  });

  it("refuses sim requests in an office without simulated devices", async () => {
    h = await startHarness();
    const client = await h.client();
    const reply = await client.request(
      { scope: "sim", verb: "printer" },
      { printer: "kiosk-1", paperOut: true },
    );
    // The demo's anonymous client has the desk's rights: no sim requests without simulated devices.
    expect(reply).toMatchObject({ ok: false, error: { code: "UNAUTHORIZED" } });
  });
});

describe("sim request ACL", () => {
  const base = "vooru/v1/demo/";
  const topic = `${base}sim/request/printer`;
  it("lets desk send sim requests only with simulated devices, and admin always", () => {
    expect(publishRefusal({ username: "d", role: "desk" }, base, topic, false, true)).toBeNull();
    expect(publishRefusal({ username: "d", role: "desk" }, base, topic, false, false)).toMatch(/may not/);
    expect(publishRefusal({ username: "a", role: "admin" }, base, topic, false, false)).toBeNull();
    expect(
      publishRefusal({ username: "c", role: "counter", counter: "1" }, base, topic, false, true),
    ).toMatch(/may not/);
    expect(publishRefusal({ username: "m", role: "monitor" }, base, topic, false, true)).toMatch(/may not/);
  });
});
