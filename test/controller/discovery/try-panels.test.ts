// `vooru check --try-devices` opens a panel once with its real driver: an Arduino panel over a
// real serial line (socat pty) with the virtual StandardFirmata board answering, one where nothing
// answers, and one whose port is missing.
import { afterEach, describe, expect, it } from "vitest";
import { tryPanel } from "../../../controller/discovery/try-panels.js";
import { panelSchema } from "../../../controller/panels/panel-schema.js";
import { VirtualFirmata } from "../../../simulators/boards/virtual-firmata.js";
import { attachByteDeviceToPath } from "../../../simulators/shared/attach.js";
import { type PtyPair, socatAvailable, startPtyPair } from "../../device/support/pty.js";
import { fakeSources } from "./fake-sources.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function firmataPanel(path: string) {
  return panelSchema.parse({
    id: "arduino-panel",
    kind: "firmata",
    printer: "kiosk-1",
    io: { type: "firmata", path },
    buttons: [{ button: "2", service: "pensions", led: 8 }],
  });
}

async function ptyPair(): Promise<PtyPair> {
  const pair = await startPtyPair();
  cleanups.push(() => pair.stop());
  return pair;
}

describe.skipIf(!socatAvailable())("trying a panel with its driver", () => {
  it("an Arduino with StandardFirmata answers: found and opened", async () => {
    const pair = await ptyPair();
    const attachment = await attachByteDeviceToPath(new VirtualFirmata(), pair.b, 57_600);
    cleanups.push(() => attachment.close());
    const trial = await tryPanel(firmataPanel(pair.a), fakeSources(), 20_000);
    expect(trial).toMatchObject({ id: "arduino-panel", status: "ok" });
    expect(trial.detail).toContain("opened by its driver");
  }, 30_000);

  it("a port where nothing answers: failed, saying the driver got no answer", async () => {
    const pair = await ptyPair();
    const trial = await tryPanel(firmataPanel(pair.a), fakeSources(), 1500);
    expect(trial.status).toBe("failed");
    expect(trial.detail).toContain("opening it failed");
  }, 30_000);

  it("a missing port: failed before any driver is tried", async () => {
    const trial = await tryPanel(firmataPanel("/dev/serial/by-id/usb-nothing-here"), fakeSources(), 1500);
    expect(trial).toMatchObject({ status: "failed", detail: expect.stringContaining("no serial port") });
  });
});
