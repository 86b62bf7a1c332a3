// The configuration reference (docs/configuration.md) is generated from the schema: every key has a
// meaning, and the file shows what the schema says now.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { configurationDocument, referenceEntries } from "../../../controller/config/reference.js";

const reference = readFileSync(new URL("../../../docs/configuration.md", import.meta.url), "utf8");

describe("configuration reference", () => {
  const entries = referenceEntries();

  it("gives every key a meaning", () => {
    expect(entries.filter((e) => !e.description).map((e) => e.path)).toEqual([]);
  });

  it("names types, defaults and required keys", () => {
    const byPath = new Map(entries.map((e) => [e.path, e]));
    expect(byPath.get("office.timeZone")).toMatchObject({ type: "string", default: "Europe/Tallinn" });
    expect(byPath.get("office.id")).toMatchObject({ required: true });
    expect(byPath.get("services[].range.last")).toMatchObject({ type: "integer, 1–99999", default: 999 });
    expect(byPath.get('devices.printers[].transport.path (type "serial")')).toMatchObject({ required: true });
    expect(byPath.get("devices.printers[].transport")?.type).toBe(
      'one of type "serial", "tcp", "usb", "simulated", "node"',
    );
    expect(byPath.get("clock.graceSeconds")).toMatchObject({ default: 120 });
  });

  it("is current in docs/configuration.md (npm run config-reference rewrites it)", () => {
    expect(reference).toBe(configurationDocument());
  });

  it("renders one bullet per key", () => {
    const markdown = configurationDocument(entries);
    expect(markdown.split("\n").filter((l) => l.startsWith("- `"))).toHaveLength(entries.length);
  });
});
