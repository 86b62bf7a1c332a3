// `vooru check --try-devices` for button panels: is the configured device there, and may this
// user open it? An X-keys or keypad is looked up among the HID devices by the ids the config
// gives, a GPIO chip among the chips (by name, path or label), an Arduino by its serial path.
// When it is there, the panel is opened once with its real driver (node-hid, johnny-five over
// the libgpiod tools or StandardFirmata) and let go: that proves the driver can talk to it.
// (Pressing a button is the real test: the check says where to look when nothing happens.)

import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import type { DeviceSources, HidDeviceEntry } from "../../device/discovery/types.js";
import { hex4 } from "../../device/discovery/types.js";
import type { DeviceHealthSink } from "../../device/health.js";
import { matchesHid } from "../../device/panels/hid-backend.js";
import type { PanelConfig, PanelIoConfig } from "../panels/panel-schema.js";
import { createLocalPanel } from "../panels/panel-setup.js";
import { type DeviceTrial, until } from "./trial.js";

type HidIo = Extract<PanelIoConfig, { type: "hid" }>;

function hidTarget(io: HidIo): string {
  const ids = `${io.vendorId !== undefined ? hex4(io.vendorId) : "????"}:${io.productId !== undefined ? hex4(io.productId) : "????"}`;
  return `hid ${io.path ?? ids}${io.serialNumber ? ` serial ${io.serialNumber}` : ""}`;
}

/** null when this process may read and write `path`, else why not. */
async function accessProblem(path: string, group: string): Promise<string | null> {
  try {
    await access(path, constants.R_OK | constants.W_OK);
    return null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return `${path} does not exist`;
    if (code === "EACCES" || code === "EPERM")
      return `no permission for ${path} (deploy/udev/60-vooru.rules and the ${group} group)`;
    return `${path}: ${(error as Error).message}`;
  }
}

/**
 * Opens the panel with its real driver and waits until it is connected; null when it was, else
 * what its driver said (its alert, or its faults).
 */
export async function openPanelOnce(panel: PanelConfig, timeoutMs: number): Promise<string | null> {
  let faults: string[] = [];
  let alert: string | null = null;
  const health: DeviceHealthSink = {
    report: (_status, reported) => {
      faults = reported;
    },
    raise: (code, _severity, message) => {
      alert = `${code}: ${message}`;
    },
    clear: () => {},
  };
  const driver = await createLocalPanel(panel, health, Date.now);
  try {
    driver.start();
    if (await until(() => driver.connected, timeoutMs)) return null;
    return (
      alert ?? `no answer within ${Math.round(timeoutMs / 1000)} s (${faults.join(", ") || "connecting"})`
    );
  } finally {
    await driver.stop();
  }
}

/** A trial that found the device there: opening it with the driver decides ok or failed. */
async function openedTrial(panel: PanelConfig, found: DeviceTrial, timeoutMs: number): Promise<DeviceTrial> {
  if (found.status === "failed") return found;
  const problem = await openPanelOnce(panel, timeoutMs).catch((error: Error) => error.message);
  if (problem)
    return { ...found, status: "failed", detail: `${found.detail}; opening it failed: ${problem}` };
  return { ...found, detail: `${found.detail}; opened by its driver` };
}

export async function tryPanel(
  panel: PanelConfig,
  sources: DeviceSources,
  timeoutMs = 8000,
): Promise<DeviceTrial> {
  const found = await findPanel(panel, sources);
  if (found.status === "skipped") return found;
  return openedTrial(panel, found, timeoutMs);
}

async function findPanel(panel: PanelConfig, sources: DeviceSources): Promise<DeviceTrial> {
  const io = panel.io;
  const base = { id: panel.id, kind: `panel (${panel.kind})` };
  switch (io.type) {
    case "simulated":
      return { ...base, target: "simulated", status: "skipped", detail: "a simulated panel inside vooru" };
    case "node":
      return { ...base, target: `node ${io.node}`, status: "skipped", detail: `on device node ${io.node}` };
    case "hid": {
      const target = hidTarget(io);
      let devices: HidDeviceEntry[];
      try {
        devices = await sources.hidDevices();
      } catch (error) {
        return { ...base, target, status: "failed", detail: (error as Error).message };
      }
      const { type: _type, ...match } = io;
      const found = devices.filter((d) => matchesHid(d, match));
      if (found.length === 0)
        return {
          ...base,
          target,
          status: "failed",
          detail: "no HID device matches (plugged in? `vooru devices` lists what is there)",
        };
      const paths = found.map((d) => d.path).filter((p): p is string => p !== undefined);
      const problem = paths[0] ? await accessProblem(paths[0], "plugdev") : null;
      if (problem) return { ...base, target, status: "failed", detail: problem };
      const more = found.length > 1 ? ` (${found.length} interfaces match: add usagePage or interface)` : "";
      return {
        ...base,
        target,
        status: found.length > 1 ? "warning" : "ok",
        detail: `found at ${paths.join(", ") || "(no path)"}${more}`,
      };
    }
    case "gpio": {
      const target = `gpio ${io.chip}`;
      const chips = await sources.gpioChips().catch(() => []);
      const chip = chips.find((c) => c.name === io.chip || c.path === io.chip || c.label === io.chip);
      if (!chip)
        return {
          ...base,
          target,
          status: "failed",
          detail: `no GPIO chip ${io.chip} (there are: ${chips.map((c) => `${c.name}${c.label ? ` [${c.label}]` : ""}`).join(", ") || "none"})`,
        };
      const problem = await accessProblem(chip.path, "gpio");
      if (problem) return { ...base, target, status: "failed", detail: problem };
      return {
        ...base,
        target,
        status: "ok",
        detail: `${chip.path}${chip.label ? ` [${chip.label}]` : ""} is there`,
      };
    }
    case "firmata": {
      const target = `firmata ${io.path} @ ${io.baudRate}`;
      try {
        await stat(io.path);
      } catch {
        return { ...base, target, status: "failed", detail: `no serial port ${io.path} (plugged in?)` };
      }
      const problem = await accessProblem(io.path, "dialout");
      if (problem) return { ...base, target, status: "failed", detail: problem };
      return {
        ...base,
        target,
        status: "ok",
        detail: `${io.path} is there`,
      };
    }
  }
}
