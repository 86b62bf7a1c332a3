// The real node-hid on this machine: the backend lists devices (an empty list is fine: CI
// machines have no HID devices). Skipped, and says so, if node-hid cannot load here.
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { nodeHidBackend } from "../../../device/panels/node-hid-backend.js";

function nodeHidLoads(): string | null {
  try {
    (createRequire(import.meta.url)("node-hid") as { getHidapiVersion(): string }).getHidapiVersion();
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

const loadError = nodeHidLoads();
if (loadError) console.warn(`skipping the real node-hid test: node-hid cannot load here (${loadError})`);

describe.skipIf(loadError !== null)("nodeHidBackend over the real node-hid", () => {
  it("devices() resolves to an array of HID device descriptions", async () => {
    const devices = await nodeHidBackend().devices();
    expect(Array.isArray(devices)).toBe(true);
    for (const d of devices) expect(typeof d.vendorId).toBe("number");
  });
});
