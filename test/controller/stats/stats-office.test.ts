// The statistics room in a running office, as the desk and a central system use it over MQTT:
// the report request, stats/today, a threshold alert raised and cleared, and the day's end
// writing its summary and publishing stats/days/{day}.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { reportSchema } from "../../../protocols/mqtt/stats-schemas.js";
import { MINUTE, T0 } from "../../support/office.js";
import { type Harness, startHarness } from "../../support/office-harness.js";

describe("statistics in a running office", () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it("answers reports, publishes today and closed days, raises and clears thresholds", async () => {
    let now = T0;
    h = await startHarness({
      clock: () => now,
      config: { stats: { publishSeconds: 1, thresholds: { longestWaitMinutes: 10 } } },
    });
    const w = await h.watch();
    const client = await h.client();
    const desk = (verb: "issue" | "report", args: Record<string, unknown>) =>
      client.request({ scope: "desk", verb }, args);
    const counter = (verb: "open" | "call_next" | "start" | "finish") =>
      client.request({ scope: "counter", counter: "1", verb }, {});

    expect((await counter("open")).ok).toBe(true);
    expect((await desk("issue", { service: "pensions" })).ok).toBe(true);
    expect((await desk("issue", { service: "pensions" })).ok).toBe(true);
    now += 12 * MINUTE;
    // The next change of the queue finds A001 waiting 12 minutes: over the 10-minute threshold.
    expect((await desk("issue", { service: "benefits" })).ok).toBe(true);
    const alert = await w.waitFor(
      (m) => m.topic === `${h?.base}alerts/service-pensions` && m.payload.length > 0,
    );
    expect(JSON.parse(alert.payload.toString())).toMatchObject({ code: "LONGEST_WAIT", severity: "warning" });
    expect(JSON.parse(alert.payload.toString()).message).toContain("A001 has waited 12 min");

    expect((await counter("call_next")).ok).toBe(true);
    expect((await counter("start")).ok).toBe(true);
    now += 4 * MINUTE;
    expect((await counter("finish")).ok).toBe(true);
    expect((await counter("call_next")).ok).toBe(true);
    // A002 (16 minutes) is called: no pensions ticket waits now, so the alert clears.
    await w.waitFor((m) => m.topic === `${h?.base}alerts/service-pensions` && m.payload.length === 0);

    const reply = await desk("report", { from: "2026-11-24", to: "2026-11-24" });
    expect(reply.ok).toBe(true);
    const report = reportSchema.parse((reply as { result: unknown }).result);
    expect(report.totals).toMatchObject({ issued: 3, served: 1, open: 2 });
    expect(report.totals.waitMinutes).toMatchObject({ count: 2, max: 16 });
    expect(report.groups.service?.map((g) => [g.key, g.issued])).toEqual([
      ["benefits", 1],
      ["pensions", 2],
    ]);

    const today = await w.waitFor((m) => {
      if (m.topic !== `${h?.base}stats/today`) return false;
      return (JSON.parse(m.payload.toString()) as { totals: { served: number } }).totals.served === 1;
    });
    expect(reportSchema.parse(JSON.parse(today.payload.toString())).from).toBe("2026-11-24");

    // Refused with the field named.
    const bad = await desk("report", { from: "24.11.2026", to: "2026-11-24" });
    expect(bad).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED" } });
    expect(JSON.stringify(bad)).toContain('"path":"from"');
    const backwards = await desk("report", { from: "2026-11-25", to: "2026-11-24" });
    expect(backwards).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED" } });

    // The next morning: the first request rolls the day over; the day is summarised and published.
    now = T0 + 24 * 60 * MINUTE;
    expect((await counter("open")).ok).toBe(true);
    const day = await w.waitFor((m) => m.topic === `${h?.base}stats/days/2026-11-24`);
    const closed = reportSchema.parse(JSON.parse(day.payload.toString()));
    expect(closed.totals).toMatchObject({ issued: 3, served: 1, expired: 2, open: 0 });
    await h.office.stats.settled();
    expect(existsSync(join(h.office.dataDir, "summaries", "2026-11-24.json.gz"))).toBe(true);
    const range = await desk("report", { from: "2026-11-24", to: "2026-11-25" });
    const both = reportSchema.parse((range as { result: unknown }).result);
    expect(both.days).toEqual(["2026-11-24", "2026-11-25"]);
    expect(both.totals.issued).toBe(3);
  });
});
