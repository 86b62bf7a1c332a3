// A ticket counts only once it is really printed: the whole office with simulated printers, driven
// over MQTT like the desk does it, with printer faults scripted on the virtual printers.
import { afterEach, describe, expect, it } from "vitest";
import { alertSchema, eventSchema } from "../../../protocols/mqtt/schemas.js";
import { lineText } from "../../../simulators/printer/ticket.js";
import { type Harness, startHarness } from "../../support/office-harness.js";

const devices = {
  printers: [
    {
      id: "kiosk-1",
      profile: "epson-tm-t20iii",
      transport: { type: "simulated" as const },
      confirmTimeoutSeconds: 1,
    },
    {
      id: "desk-printer",
      profile: "generic-58mm",
      transport: { type: "simulated" as const },
      confirmTimeoutSeconds: 1,
    },
  ],
};

async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  for (let waited = 0; !check(); waited += 20) {
    if (waited > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("printing through the office", () => {
  let h: Harness;
  afterEach(async () => {
    await h.stop();
  });

  async function office() {
    h = await startHarness({ config: { devices, desk: { printer: "desk-printer" } } });
    const kiosk = h.office.simulated.printers.get("kiosk-1")!.printer;
    const desk = h.office.simulated.printers.get("desk-printer")!.printer;
    await until(
      () =>
        h.office.health
          .devices()
          .every((d) => d.status === "ok" && (d.kind !== "printer" || d.lastSeen !== null)),
      "printers online",
    );
    return { kiosk, desk, client: await h.client() };
  }

  it("the ticket enters the queue once the printer confirmed it; the paper carries the number", async () => {
    const { kiosk, desk, client } = await office();
    const reply = await client.request(
      { scope: "desk", verb: "issue" },
      { service: "pensions", printer: "kiosk-1" },
    );
    expect(reply).toMatchObject({ ok: true, result: { ticket: { number: "A001", state: "waiting" } } });
    const paper = kiosk.tickets()[0]!;
    expect(paper.lines.map((l) => lineText(l).trim())).toContain("A001");
    expect(paper.lines.map((l) => lineText(l).trim())).toContain("Pensions");
    // The place it takes once printed: nobody ahead yet.
    expect(paper.lines.map((l) => lineText(l).trim())).toContain("Ahead 0, wait 0-5 min");
    // No printer named: the desk's own printer.
    expect((await client.request({ scope: "desk", verb: "issue" }, { service: "benefits" })).ok).toBe(true);
    expect(desk.tickets().map((t) => t.lines.map((l) => lineText(l).trim()).includes("B001"))).toEqual([
      true,
    ]);
    // Reprint at another printer.
    expect(
      (await client.request({ scope: "desk", verb: "reprint" }, { ticket: "B001", printer: "kiosk-1" })).ok,
    ).toBe(true);
    expect(kiosk.tickets()).toHaveLength(2);
    expect(
      await client.request({ scope: "desk", verb: "issue" }, { service: "pensions", printer: "nope" }),
    ).toMatchObject({
      ok: false,
      error: { code: "DEVICE_UNAVAILABLE" },
    });
  });

  it("paper out: the number is void, never queued; an alert is raised, and cleared when paper is back", async () => {
    const { kiosk, client } = await office();
    const w = await h.watch();
    kiosk.setPaperOut(true);
    await until(
      () => h.office.health.activeAlerts().some((a) => a.code === "PAPER_OUT"),
      "the PAPER_OUT alert",
    );
    const refused = await client.request(
      { scope: "desk", verb: "issue" },
      { service: "pensions", printer: "kiosk-1" },
    );
    expect(refused).toMatchObject({ ok: false });
    expect(refused.ok ? "" : refused.error.message).toMatch(
      /A001 was not printed .*paper_out.*; the number is void/,
    );
    expect(h.office.queue.core.ticket("A001")?.state).toBe("void");
    expect(h.office.queue.core.openTickets()).toEqual([]);
    const event = await w.waitFor((m) => m.topic.endsWith("/events/print_failed"));
    expect(eventSchema.parse(JSON.parse(event.payload.toString()))).toMatchObject({
      ticket: { number: "A001", state: "void" },
    });
    const alert = await w.waitFor((m) => m.topic === `${h.base}alerts/kiosk-1` && m.payload.length > 0);
    expect(alertSchema.parse(JSON.parse(alert.payload.toString()))).toMatchObject({
      code: "PAPER_OUT",
      severity: "critical",
    });
    // The health record carries the printer's own status bytes.
    const health = await w.waitFor(
      (m) =>
        m.topic === `${h.base}devices/kiosk-1` &&
        JSON.parse(m.payload.toString()).faults.includes("paper_out"),
    );
    expect(JSON.parse(health.payload.toString())).toMatchObject({
      kind: "printer",
      status: "degraded",
      details: { state: "paper_out", raw: expect.any(Object) },
    });
    kiosk.setPaperOut(false);
    await w.waitFor((m) => m.topic === `${h.base}alerts/kiosk-1` && m.payload.length === 0);
    await until(
      () => h.office.health.devices().find((d) => d.id === "kiosk-1")?.status === "ok",
      "kiosk-1 ok",
    );
    const next = await client.request(
      { scope: "desk", verb: "issue" },
      { service: "pensions", printer: "kiosk-1" },
    );
    expect(next).toMatchObject({ ok: true, result: { ticket: { number: "A002" } } });
  });

  it("paper near end: a warning, and printing goes on", async () => {
    const { kiosk, client } = await office();
    kiosk.setPaperNearEnd(true);
    await until(() => h.office.health.activeAlerts().some((a) => a.code === "PAPER_LOW"), "PAPER_LOW");
    expect(h.office.health.activeAlerts().find((a) => a.code === "PAPER_LOW")?.severity).toBe("warning");
    expect(
      (await client.request({ scope: "desk", verb: "issue" }, { service: "pensions", printer: "kiosk-1" }))
        .ok,
    ).toBe(true);
  });

  it("a printer that stops answering mid-ticket: the print times out and the number is void", async () => {
    const { kiosk, client } = await office();
    kiosk.setVanished(true);
    const reply = await client.request(
      { scope: "desk", verb: "issue" },
      { service: "documents", printer: "kiosk-1" },
      15_000,
    );
    expect(reply).toMatchObject({ ok: false, error: { code: "PRINT_FAILED" } });
    expect(reply.ok ? "" : reply.error.message).toMatch(/C001 was not printed \(kiosk-1: timeout/);
    expect(h.office.queue.core.ticket("C001")?.state).toBe("void");
    kiosk.setVanished(false);
  });
});
