import { describe, expect, it } from "vitest";
import { BoardDisplays } from "../../../controller/boards/board-display.js";
import { QueueCore } from "../../../controller/queue/core/queue.js";
import { expectOk, issuePrinted, MINUTE, officeConfig, T0 } from "../../support/office.js";

function setup() {
  const config = officeConfig({
    counters: [
      { id: "1", zone: "hall", services: ["pensions", "benefits"] },
      { id: "2", zone: "hall", services: ["benefits"] },
      { id: "3", zone: "annex", services: ["documents"] },
    ],
    devices: {
      boardBuses: [
        {
          id: "bus",
          protocol: "alpha",
          transport: { type: "simulated" },
          boards: [
            { id: "c1", address: 1, counter: "1" },
            { id: "c2", address: 2, counter: "2" },
            { id: "hall", address: 3, zone: "hall", lines: 2 },
            { id: "annex", address: 4, zone: "annex" },
          ],
        },
      ],
      boardTexts: { idle: "", closed: "CLOSED" },
    },
  });
  const core = QueueCore.fromConfig(config);
  core.applyBodies(core.rollover(T0), T0);
  return { core, displays: new BoardDisplays(config, core) };
}

describe("what the boards show", () => {
  it("closed counters show the closed text; an open counter idles", () => {
    const { core, displays } = setup();
    expect(displays.all(T0)).toEqual([
      { board: "c1", text: "CLOSED", blink: false },
      { board: "c2", text: "CLOSED", blink: false },
      { board: "hall", text: "", blink: false },
      { board: "annex", text: "", blink: false },
    ]);
    const opened = expectOk(core.execute({ type: "open", counter: "1" }, T0));
    expect(displays.onEvents(opened.events, T0)).toEqual([{ board: "c1", text: "", blink: false }]);
  });

  it("a call shows on the counter board and the main board of its zone, blinking; a recall blinks again", () => {
    const { core, displays } = setup();
    for (const counter of ["1", "2", "3"]) expectOk(core.execute({ type: "open", counter }, T0));
    displays.all(T0);
    issuePrinted(core, "pensions", T0);
    issuePrinted(core, "benefits", T0 + MINUTE);
    const first = expectOk(core.execute({ type: "call_next", counter: "1" }, T0 + 2 * MINUTE));
    expect(displays.onEvents(first.events, T0 + 2 * MINUTE)).toEqual([
      { board: "c1", text: "A001", blink: true },
      { board: "hall", text: "A001 → 1", blink: true },
    ]);
    const second = expectOk(core.execute({ type: "call_next", counter: "2" }, T0 + 3 * MINUTE));
    expect(displays.onEvents(second.events, T0 + 3 * MINUTE)).toEqual([
      { board: "c2", text: "B001", blink: true },
      { board: "hall", text: "B001 → 2\nA001 → 1", blink: true },
    ]);
    const recall = expectOk(core.execute({ type: "recall", counter: "1" }, T0 + 4 * MINUTE));
    expect(displays.onEvents(recall.events, T0 + 4 * MINUTE)).toEqual([
      { board: "c1", text: "A001", blink: true },
      { board: "hall", text: "A001 → 1\nB001 → 2", blink: true },
    ]);
    // Finishing clears the counter board; the main board keeps the recent calls.
    expectOk(core.execute({ type: "start", counter: "1" }, T0 + 5 * MINUTE));
    const done = expectOk(core.execute({ type: "finish", counter: "1" }, T0 + 6 * MINUTE));
    expect(displays.onEvents(done.events, T0 + 6 * MINUTE)).toEqual([
      { board: "c1", text: "", blink: false },
    ]);
    // The annex board never saw any of it.
    expect(displays.textOf({ id: "annex", address: 4, zone: "annex", lines: 1 }, T0)).toBe("");
  });

  it("main boards show the closed text outside the opening hours of their services", () => {
    const config = officeConfig({
      services: [{ id: "pensions", prefix: "A", names: { en: "P" }, hours: { tue: ["10:00-12:00"] } }],
      counters: [{ id: "1", zone: "hall", services: ["pensions"] }],
      devices: {
        boardBuses: [
          {
            id: "bus",
            protocol: "alpha",
            transport: { type: "simulated" },
            boards: [{ id: "hall", address: 1, zone: "hall" }],
          },
        ],
      },
    });
    const core = QueueCore.fromConfig(config);
    core.applyBodies(core.rollover(T0), T0);
    const displays = new BoardDisplays(config, core);
    expect(displays.all(T0)).toEqual([{ board: "hall", text: "----", blink: false }]); // 09:00 Tuesday
    expect(displays.refresh(T0 + 60 * MINUTE)).toEqual([{ board: "hall", text: "", blink: false }]);
    expect(displays.refresh(T0 + 61 * MINUTE)).toEqual([]);
  });
});
