// The MQTT and printer benches at a tiny size: every figure measured and well formed (no timing
// asserted; targets are the benchmark's business).
import { describe, expect, it } from "vitest";
import { run as runMqtt } from "../../bench/mqtt.js";
import { run as runPrinter } from "../../bench/printer.js";

describe("mqtt and printer benches", () => {
  it("mqtt: round trips through both brokers with three counters", async () => {
    const results = await runMqtt({ counters: 3, rounds: 1 });
    expect(results.some((r) => r.figure.startsWith("embedded broker") && r.figure.endsWith("p99"))).toBe(
      true,
    );
    for (const r of results) expect(Number.isFinite(r.value), r.figure).toBe(true);
  });

  it("printer: the standard ticket is under 350 bytes and fully legible on every profile", async () => {
    const results = await runPrinter();
    const byName = (name: string) => results.find((r) => r.figure === name);
    for (const profile of ["epson-tm-t20iii", "epson-tm-t88vi", "generic-58mm"]) {
      expect(byName(`vooru ticket bytes, ${profile}`)?.ok).toBe(true);
      expect(byName(`vooru ticket legible lines, ${profile}`)?.value).toBe(100);
    }
    expect(byName("receiptline ticket bytes")?.value).toBeGreaterThan(0);
    expect(byName("node-thermal-printer ticket bytes")?.value).toBeGreaterThan(0);
  });
});
