import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadOfficeConfig } from "../../../controller/config/load.js";
import { exampleConfigPath, packageRoot } from "../../../controller/config/package-root.js";
import { isOpenAt } from "../../../controller/queue/core/calendar.js";
import { demoOfficeConfig } from "../../../demo/demo-config.js";

describe("examples/office.yaml", () => {
  it("is a valid office of 4 services and 5 counters", () => {
    const config = loadOfficeConfig(exampleConfigPath());
    expect(config.office.id).toBe("demo");
    expect(config.office.name).toEqual({
      et: expect.any(String),
      en: expect.any(String),
      ru: expect.any(String),
    });
    expect(config.services.map((s) => s.prefix)).toEqual(["A", "B", "C", "D"]);
    expect(config.counters.map((c) => c.id)).toEqual(["1", "2", "3", "4", "5"]);
    expect(config.counters.every((c) => c.zone === "hall")).toBe(true);
    expect(config.counters[4]?.services).toHaveLength(4);
    expect(config.services.every((s) => s.hours !== undefined)).toBe(true);
    expect(config.services.some((s) => s.hours?.mon?.length === 2)).toBe(true);
    expect(config.services.some((s) => s.hours?.sat !== undefined)).toBe(true);
  });
});

describe("demoOfficeConfig", () => {
  it("is the example office, always open, with its journal in ./data", () => {
    const example = loadOfficeConfig(exampleConfigPath());
    const demo = demoOfficeConfig();
    expect(demo.services.map((s) => s.id)).toEqual(example.services.map((s) => s.id));
    expect(demo.counters).toEqual(example.counters);
    expect(demo.journal.dataDir).toBe("./data");
    // Sunday 03:00 and Monday 12:30 in Tallinn: closed in the example, open in the demo.
    for (const at of [Date.UTC(2026, 10, 29, 1, 0), Date.UTC(2026, 10, 30, 10, 30)])
      for (const service of demo.services) {
        expect(service.hours).toBeUndefined();
        expect(isOpenAt(service.hours, at, demo.office.timeZone)).toBe(true);
      }
  });

  it("finds the package root from the sources and from the build", () => {
    const root = packageRoot();
    expect(exampleConfigPath()).toBe(join(root, "examples", "office.yaml"));
    expect(packageRoot(join(root, "dist", "controller", "config"))).toBe(root);
  });
});
