// The press rules, edge by edge, with exact times: what each down edge becomes.
import { describe, expect, it } from "vitest";
import { admit, buttonLed, PressRules, type RuleDecision } from "../../../controller/panels/press-rules.js";

const settings = { debounceMs: 30, minPressIntervalMs: 2000, stuckAfterMs: 10_000 };

/** Feeds "d@t" (down at t) and "u@t" (up at t) edges of button "1"; returns every decision. */
function replay(script: string, rules = new PressRules(settings), button = "1"): RuleDecision[] {
  const out: RuleDecision[] = [];
  for (const step of script.split(/\s+/).filter(Boolean)) {
    const [kind, at] = step.split("@") as [string, string];
    if (kind === "t") out.push(...rules.tick(Number(at)));
    else out.push(...rules.edge({ button, down: kind === "d", at: Number(at) }));
  }
  return out;
}

const press = (at: number, button = "1") => ({ type: "press", button, at });
const ignored = (outcome: string, at: number, button = "1") => ({ type: "ignored", button, at, outcome });

describe("press rules: debounce", () => {
  it("a clean press is one press at its down edge; the release decides nothing", () => {
    expect(replay("d@1000 u@1150")).toEqual([press(1000)]);
  });

  it("contact bounce on press and on release: one press, every bounced down edge counted", () => {
    // down, bounce up/down twice within 30 ms, held, released with bounces.
    expect(replay("d@1000 u@1002 d@1004 u@1007 d@1009 u@1200 d@1203 u@1206")).toEqual([
      press(1000),
      ignored("bounce", 1004),
      ignored("bounce", 1009),
      ignored("bounce", 1203),
    ]);
  });

  it("a press shorter than the window is still released (the level settles when the window ends)", () => {
    const rules = new PressRules(settings);
    expect(replay("d@1000 u@1010", rules)).toEqual([press(1000)]);
    expect(rules.nextDeadline()).toBe(1030);
    // The next real press 3 s later is a press: the release was settled at 1030.
    expect(replay("d@4000", rules)).toEqual([press(4000)]);
  });

  it("a down inside the window after a release that stays down settles into a press at the window's end", () => {
    const rules = new PressRules({ ...settings, minPressIntervalMs: 0 });
    expect(replay("d@1000 u@1100 d@1120", rules)).toEqual([press(1000)]);
    expect(rules.nextDeadline()).toBe(1130);
    expect(rules.tick(1129)).toEqual([]);
    expect(rules.tick(1130)).toEqual([press(1130)]);
  });

  it("a repeated down report with no release is not a second press", () => {
    expect(replay("d@1000 d@1500 d@9000 u@9500")).toEqual([
      press(1000),
      ignored("bounce", 1500),
      ignored("bounce", 9000),
    ]);
  });

  it("buttons are debounced apart", () => {
    const rules = new PressRules(settings);
    const out = [
      ...rules.edge({ button: "1", down: true, at: 1000 }),
      ...rules.edge({ button: "2", down: true, at: 1001 }),
      ...rules.edge({ button: "1", down: false, at: 1002 }),
      ...rules.edge({ button: "2", down: false, at: 1100 }),
    ];
    expect(out).toEqual([press(1000, "1"), press(1001, "2")]);
  });
});

describe("press rules: one ticket per press, rate limit", () => {
  it("holding does not repeat", () => {
    expect(replay("d@1000 t@5000 t@9000 u@9900")).toEqual([press(1000)]);
  });

  it("a press within minPressIntervalMs of the last accepted press is refused; refusals do not move the window", () => {
    expect(replay("d@1000 u@1100 d@1500 u@1600 d@2900 u@3000 d@3000 u@3010 d@5000 u@5100")).toEqual([
      press(1000),
      ignored("rate_limited", 1500),
      ignored("rate_limited", 2900),
      // 3000 is 2000 after the accepted press at 1000, but only 0 after the accepted release at
      // 3000: inside the debounce window, a bounce.
      ignored("bounce", 3000),
      press(5000),
    ]);
  });

  it("exactly minPressIntervalMs later is a press", () => {
    expect(replay("d@1000 u@1100 d@3000 u@3100")).toEqual([press(1000), press(3000)]);
  });
});

describe("press rules: stuck button", () => {
  it("down for stuckAfterMs: stuck once, repeated downs are 'stuck', the release clears it", () => {
    const rules = new PressRules(settings);
    expect(replay("d@1000", rules)).toEqual([press(1000)]);
    expect(rules.nextDeadline()).toBe(11_000);
    expect(rules.tick(10_999)).toEqual([]);
    expect(rules.tick(12_000)).toEqual([{ type: "stuck", button: "1", at: 11_000 }]);
    expect(rules.stuckButtons()).toEqual(["1"]);
    expect(rules.tick(20_000)).toEqual([]);
    expect(rules.nextDeadline()).toBeNull();
    expect(replay("d@21000 u@30000", rules)).toEqual([
      ignored("stuck", 21_000),
      { type: "released", button: "1", at: 30_000 },
    ]);
    expect(rules.stuckButtons()).toEqual([]);
    // Pressed again after the release: a press like any other.
    expect(replay("d@30100 u@30200", rules)).toEqual([press(30_100)]);
  });

  it("a stuck key stays stuck through a lost link: no ticket per reconnect", () => {
    const rules = new PressRules(settings);
    expect(replay("d@1000 t@12000", rules)).toEqual([
      press(1000),
      { type: "stuck", button: "1", at: 11_000 },
    ]);
    // The panel is unplugged: the driver makes up a release; the key is still stuck.
    expect(rules.edge({ button: "1", down: false, at: 13_000, lost: true })).toEqual([]);
    expect(rules.stuckButtons()).toEqual(["1"]);
    // Plugged back with the key still down, well past the rate limit: not a press.
    expect(replay("d@20000", rules)).toEqual([ignored("stuck", 20_000)]);
    expect(rules.tick(40_000)).toEqual([]);
    // Its real release clears it; the next press prints.
    expect(replay("u@41000 d@43100", rules)).toEqual([
      { type: "released", button: "1", at: 41_000 },
      press(43_100),
    ]);
  });

  it("a lost link does not hold a key that was not stuck", () => {
    const rules = new PressRules(settings);
    expect(replay("d@1000", rules)).toEqual([press(1000)]);
    expect(rules.edge({ button: "1", down: false, at: 2_000, lost: true })).toEqual([]);
    expect(replay("d@5000", rules)).toEqual([press(5_000)]);
  });

  it("an edge after the deadline reports the stuck button before itself, without a tick", () => {
    expect(replay("d@1000 u@15000")).toEqual([
      press(1000),
      { type: "stuck", button: "1", at: 11_000 },
      { type: "released", button: "1", at: 15_000 },
    ]);
  });
});

describe("press admission and LEDs", () => {
  const ready = { open: true, printerReady: true, pending: 0, maxQueued: 3 };

  it("closed before printer fault before queue full", () => {
    expect(admit(ready)).toBe("accepted");
    expect(admit({ ...ready, pending: 3 })).toBe("accepted");
    expect(admit({ ...ready, pending: 4 })).toBe("queue_full");
    expect(admit({ ...ready, maxQueued: 0, pending: 1 })).toBe("queue_full");
    expect(admit({ ...ready, printerReady: false, pending: 9 })).toBe("printer_unavailable");
    expect(admit({ ...ready, open: false, printerReady: false, pending: 9 })).toBe("closed");
  });

  it("refused flash, then dark when closed, flashing while the printer is in fault, else lit", () => {
    expect(buttonLed({ open: true, printerReady: true, refusedFlash: false })).toBe("on");
    expect(buttonLed({ open: true, printerReady: false, refusedFlash: false })).toBe("flash");
    expect(buttonLed({ open: false, printerReady: false, refusedFlash: false })).toBe("off");
    expect(buttonLed({ open: false, printerReady: true, refusedFlash: true })).toBe("flash");
  });
});
