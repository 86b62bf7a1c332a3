// Live thresholds with an injected clock: each raises at the first moment past its limit, clears
// when its condition ends, a service's own limit beats the office's, and an absent one never raises.
import { describe, expect, it } from "vitest";
import { HealthBoard } from "../../../controller/health/health-board.js";
import { QueueCore } from "../../../controller/queue/core/queue.js";
import { ThresholdWatch } from "../../../controller/stats/thresholds.js";
import { expectOk, issuePrinted, MINUTE, officeConfig, T0 } from "../../support/office.js";

function setup(stats: Record<string, unknown>, services?: unknown[]) {
  const config = officeConfig({
    stats: stats as never,
    ...(services ? { services: services as never } : {}),
  });
  const core = QueueCore.fromConfig(config);
  core.applyBodies(core.rollover(T0), T0);
  const health = new HealthBoard(() => T0);
  const watch = new ThresholdWatch({ config, health });
  const alerts = () => health.activeAlerts().map((a) => `${a.device} ${a.code}`);
  const messageOf = (code: string) => health.activeAlerts().find((a) => a.code === code)?.message;
  return { core, health, watch, alerts, messageOf, check: (now: number) => watch.check(core.view, now) };
}

describe("live threshold alerts", () => {
  it("longest wait: raised just past the limit, cleared when the ticket is called", () => {
    const t = setup({ thresholds: { longestWaitMinutes: 10 } });
    expectOk(t.core.execute({ type: "open", counter: "1" }, T0));
    issuePrinted(t.core, "pensions", T0);
    t.check(T0 + 10 * MINUTE);
    expect(t.alerts()).toEqual([]);
    t.check(T0 + 10 * MINUTE + 1);
    expect(t.alerts()).toEqual(["service-pensions LONGEST_WAIT"]);
    expect(t.messageOf("LONGEST_WAIT")).toBe(
      "Service pensions (Pensions): A001 has waited 10 min, over the 10 min threshold; open another counter for pensions or call it",
    );
    expectOk(t.core.execute({ type: "call_next", counter: "1" }, T0 + 11 * MINUTE));
    t.check(T0 + 11 * MINUTE);
    expect(t.alerts()).toEqual([]);
  });

  it("waiting more than N, with a service's own limit over the office's", () => {
    const t = setup({ thresholds: { waitingMoreThan: 1 } }, [
      { id: "pensions", prefix: "A", names: { en: "Pensions" }, thresholds: { waitingMoreThan: 2 } },
      { id: "benefits", prefix: "B", names: { en: "Benefits" } },
      { id: "documents", prefix: "C", names: { en: "Documents" } },
    ]);
    expectOk(t.core.execute({ type: "open", counter: "1" }, T0));
    issuePrinted(t.core, "pensions", T0);
    issuePrinted(t.core, "pensions", T0);
    issuePrinted(t.core, "benefits", T0);
    issuePrinted(t.core, "benefits", T0);
    t.check(T0);
    expect(t.alerts()).toEqual(["service-benefits WAITING_OVER"]);
    issuePrinted(t.core, "pensions", T0);
    t.check(T0);
    expect(t.alerts().sort()).toEqual(["service-benefits WAITING_OVER", "service-pensions WAITING_OVER"]);
    expect(t.messageOf("WAITING_OVER")).toContain("tickets are waiting, over the threshold");
  });

  it("no open counter: counted from when the last counter closed, not from the ticket's arrival", () => {
    const t = setup({ thresholds: { noOpenCounterMinutes: 5 } });
    expectOk(t.core.execute({ type: "open", counter: "1" }, T0));
    issuePrinted(t.core, "pensions", T0);
    t.check(T0);
    expectOk(t.core.execute({ type: "close", counter: "1" }, T0 + 20 * MINUTE));
    t.check(T0 + 20 * MINUTE);
    t.check(T0 + 25 * MINUTE - 1);
    expect(t.alerts()).toEqual([]);
    t.check(T0 + 25 * MINUTE);
    expect(t.alerts()).toEqual(["service-pensions NO_OPEN_COUNTER"]);
    expect(t.health.activeAlerts()[0]?.severity).toBe("critical");
    expectOk(t.core.execute({ type: "open", counter: "1" }, T0 + 26 * MINUTE));
    t.check(T0 + 26 * MINUTE);
    expect(t.alerts()).toEqual([]);
  });

  it("a counter paused too long, cleared when it opens", () => {
    const t = setup({ thresholds: { counterPausedMinutes: 15 } });
    expectOk(t.core.execute({ type: "open", counter: "2" }, T0));
    expectOk(t.core.execute({ type: "pause", counter: "2" }, T0));
    t.check(T0);
    t.check(T0 + 15 * MINUTE);
    expect(t.alerts()).toEqual([]);
    t.check(T0 + 15 * MINUTE + 1);
    expect(t.alerts()).toEqual(["counter-2 COUNTER_PAUSED"]);
    expect(t.messageOf("COUNTER_PAUSED")).toBe(
      "Counter 2 has been paused for 15 min, over the 15 min threshold; open or close it",
    );
    expectOk(t.core.execute({ type: "open", counter: "2" }, T0 + 16 * MINUTE));
    t.check(T0 + 16 * MINUTE);
    expect(t.alerts()).toEqual([]);
  });

  it("an office without thresholds never raises", () => {
    const t = setup({});
    issuePrinted(t.core, "pensions", T0);
    t.check(T0 + 600 * MINUTE);
    expect(t.alerts()).toEqual([]);
  });
});
