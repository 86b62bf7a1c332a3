// The broker dies (SIGKILL, no persistence: everything retained is gone) and comes back on the
// same port. Meanwhile the office keeps serving what does not need MQTT (panel presses, the
// controller's own desk and counter calls). After the reconnect the controller republishes every
// retained topic, and a counter client that connects again sees the right state and works.
import { afterEach, describe, expect, it } from "vitest";
import { mosquittoAvailable, type RunningMosquitto, startMosquitto } from "../support/mosquitto.js";
import { checkInvariants } from "./support/invariants.js";
import { BUS, KIOSK, OfficeUnderTest, PANEL, watchRetained } from "./support/office-under-test.js";
import { eventually, until } from "./support/wait.js";

describe.skipIf(!mosquittoAvailable())("broker restart", () => {
  let broker: RunningMosquitto | undefined;
  let o: OfficeUnderTest | undefined;
  afterEach(async () => {
    await o?.stop();
    await broker?.stop();
  });

  it("the office serves through a Mosquitto crash; after the restart all retained state is back and clients carry on", async () => {
    broker = await startMosquitto();
    o = await OfficeUnderTest.start({ brokerUrl: broker.url });
    const office = o.office;
    for (const counter of ["1", "2"]) expect((await o.counter(counter, "open")).ok).toBe(true);
    expect((await o.issue("pensions")).ok).toBe(true);
    expect(await o.press("1")).toMatchObject({ outcome: "issued", ticket: "B001" });
    expect(await o.counter("1", "call_next")).toMatchObject({
      ok: true,
      result: { ticket: { number: "A001" } },
    });

    broker.kill();
    await o.dropClient();
    await until(
      () => o?.log.lines.some((l) => l.includes("mqtt: disconnected")) === true,
      "the controller sees the broker gone",
    );
    // The queue needs no broker: a customer's press prints, the controller's own requests work.
    expect(await o.press("0")).toMatchObject({ outcome: "issued", ticket: "A002" });
    expect(await o.issue("documents", { via: "direct" })).toMatchObject({
      ok: true,
      result: { ticket: { number: "C001" } },
    });
    expect(await o.counter("2", "call_next", {}, "direct")).toMatchObject({
      ok: true,
      result: { ticket: { number: "B001" } },
    });
    expect(await o.counter("1", "start", {}, "direct")).toMatchObject({ ok: true });
    // The counter client learns the changes only once the broker is back.

    await broker.restart();
    // A subscriber that arrives after the restart: the broker only has what the controller sent again.
    const late = await watchRetained(broker.url, o.base);
    try {
      const topics = [
        "status",
        "info",
        "tickets",
        ...["pensions", "benefits", "documents"].map((s) => `services/${s}`),
        ...["1", "2", "3"].map((c) => `counters/${c}`),
        ...["journal", KIOSK, PANEL, BUS, "board-1", "board-2", "board-3"].map((d) => `devices/${d}`),
        ...["board-1", "board-2", "board-3"].map((b) => `boards/${b}`),
        `sim/printers/${KIOSK}`,
        `sim/panels/${PANEL}`,
      ];
      await eventually(() => {
        expect(
          topics.filter((t) => late.json(t) === undefined),
          "retained topics missing",
        ).toEqual([]);
        expect(late.json("status")).toMatchObject({ state: "online", epoch: office.bridge.epochSeq.epoch });
        // Everything that happened while the broker was down is in the republished state.
        expect(
          (late.json("tickets") as { tickets: Array<{ number: string }> }).tickets.map((t) => t.number),
        ).toEqual(["A001", "B001", "A002", "C001"]);
        expect(late.json("counters/1")).toMatchObject({
          status: "open",
          ticket: { number: "A001", state: "serving" },
        });
        expect(late.json("counters/2")).toMatchObject({
          status: "open",
          ticket: { number: "B001", state: "called" },
        });
        expect(late.json("services/pensions")).toMatchObject({ nextNumber: "A003", lastCalled: "A001" });
        expect(late.json("boards/board-2")).toMatchObject({ text: "B001" });
        expect(late.json(`devices/${KIOSK}`)).toMatchObject({ status: "ok" });
      });
      // No alert is retained: nothing is in fault.
      expect(
        [...late.last.keys()].filter((t) => t.includes("/alerts/") && (late.last.get(t)?.length ?? 0) > 0),
      ).toEqual([]);
    } finally {
      await late.close();
    }

    // The counter client connects again and works through the contract as before.
    expect(await o.counter("1", "finish")).toMatchObject({
      ok: true,
      result: { ticket: { number: "A001", state: "done" } },
    });
    expect(await o.counter("1", "call_next")).toMatchObject({
      ok: true,
      result: { ticket: { number: "A002" } },
    });
    expect(await o.issue("benefits")).toMatchObject({ ok: true, result: { ticket: { number: "B002" } } });
    // The office's own recorder reconnected by itself and holds the republished state.
    await checkInvariants(o);
    expect(o.log.lines.some((l) => l.includes("mqtt: connected; publishing the retained state"))).toBe(true);
  });
});
