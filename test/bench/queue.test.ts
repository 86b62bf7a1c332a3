// The queue bench at a tiny size: every figure is measured and well formed, the stream it builds
// replays to the same state (the bench checks that itself and throws otherwise), and the memory
// child process starts and answers. No timing is asserted.
import { describe, expect, it } from "vitest";
import { run } from "../../bench/queue.js";

describe("queue bench", () => {
  it("returns well-formed figures at a tiny size", async () => {
    const results = await run({
      events: 3_000,
      maxOpen: 300,
      journalCommands: 40,
      memoryTickets: 200,
      runs: 1,
    });

    expect(results.length).toBeGreaterThanOrEqual(12);
    expect(new Set(results.map((r) => r.figure)).size).toBe(results.length);
    for (const r of results) {
      expect(r.bench).toBe("queue");
      expect(Number.isFinite(r.value), r.figure).toBe(true);
      expect(r.value, r.figure).toBeGreaterThanOrEqual(0);
      expect(r.unit).not.toBe("");
      if (r.target && !r.target.informative) expect(typeof r.ok, r.figure).toBe("boolean");
      else expect(r.ok, r.figure).toBeUndefined();
    }
    const value = (prefix: string) => results.find((r) => r.figure.startsWith(prefix))?.value;
    expect(value("simulated day: events")).toBeGreaterThanOrEqual(3_000);
    expect(value("simulated day: most open tickets")).toBeLessThanOrEqual(300);
    expect(value("journal of")).toBeGreaterThan(0);
    expect(value("process RSS")).toBeGreaterThan(0);
  });
});
