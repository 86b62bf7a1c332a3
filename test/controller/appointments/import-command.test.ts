// `vooru appointments import` against a running office: a CSV sent as add requests, a repeat
// unchanged, a bad file sending nothing (exit 2).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "../../../controller/cli/main.js";
import { memoryLogger } from "../../../controller/health/log.js";
import { type Harness, startHarness } from "../../support/office-harness.js";

let h: Harness;
let dir: string;

beforeAll(async () => {
  h = await startHarness();
  dir = mkdtempSync(join(tmpdir(), "vooru-import-"));
  writeFileSync(
    join(dir, "office.yaml"),
    [
      "office: { id: test, name: { en: Test }, timeZone: Europe/Tallinn }",
      "services:",
      "  - { id: pensions, prefix: A, names: { en: Pensions } }",
      "  - { id: benefits, prefix: B, names: { en: Benefits } }",
      "counters: [{ id: '1', services: [pensions] }]",
    ].join("\n"),
  );
});

afterAll(async () => {
  await h?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const run = async (file: string, extra: string[] = []) => {
  const out = vi.spyOn(console, "log").mockImplementation(() => {});
  const err = vi.spyOn(console, "error").mockImplementation(() => {});
  try {
    const code = await main(
      [
        "appointments",
        "import",
        "--config",
        join(dir, "office.yaml"),
        "--file",
        file,
        "--url",
        h.office.mqttUrl,
        ...extra,
      ],
      memoryLogger(),
    );
    return { code, out: out.mock.calls.join("\n"), err: err.mock.calls.join("\n") };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
};

describe("vooru appointments import", () => {
  it("sends a CSV's bookings as add requests; the same file again changes nothing", async () => {
    const csv = join(dir, "bookings.csv");
    writeFileSync(
      csv,
      "code,service,at\nIMP-0001,pensions,2026-12-08 10:30\nIMP-0002,benefits,2026-12-08T09:00:00Z\n",
    );
    const first = await run(csv);
    expect(first).toMatchObject({ code: 0 });
    expect(first.out).toContain("2 of 2 booking(s) taken");
    expect(h.office.appointments.store.get("IMP-0001")).toMatchObject({
      service: "pensions",
      at: Date.UTC(2026, 11, 8, 8, 30),
      state: "booked",
    });
    const again = await run(csv);
    expect(again.code).toBe(0);
    expect(again.out).toContain("(unchanged)");
  });

  it("refuses a file with a bad line and sends nothing (exit 2); a refused booking exits 1", async () => {
    const bad = join(dir, "bad.csv");
    writeFileSync(
      bad,
      "code,service,at\nIMP-0003,pensions,2026-12-08 10:30\nJaan Tamm,pensions,2026-12-08 10:30\n",
    );
    const result = await run(bad);
    expect(result.code).toBe(2);
    expect(result.err).toContain("bad.csv:3:");
    expect(h.office.appointments.store.get("IMP-0003")).toBeUndefined();
    const unknown = join(dir, "unknown.csv");
    writeFileSync(unknown, "code,service,at\nIMP-0004,taxes,2026-12-08 10:30\n");
    const refused = await run(unknown);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain("SERVICE_NOT_FOUND");
  });
});
