// `vooru check --try-devices`: every configured device tried once, one after another (two devices
// may share a port or a gateway, and the log reads in config order). vooru itself should be
// stopped meanwhile: a serial port it holds is "in use by another program".

import type { DeviceSources } from "../../device/discovery/types.js";
import type { OfficeConfig } from "../config/schema.js";
import type { DeviceTrial } from "./trial.js";
import { tryBoardBus, tryLedDisplay } from "./try-boards.js";
import { tryPanel } from "./try-panels.js";
import { tryPrinter } from "./try-printer.js";

export interface TryDevicesOptions {
  config: OfficeConfig;
  sources: DeviceSources;
  /** A printer id: print a test ticket on it (only it gets one). */
  testTicket?: string;
  /** Per device; tests make it short. */
  timeoutMs?: number;
  /** Called before each device, so a slow one shows what is being waited for. */
  onTrying?: (what: string) => void;
}

export class UnknownPrinterError extends Error {
  readonly code = "UNKNOWN_PRINTER";
}

export async function tryDevices(options: TryDevicesOptions): Promise<DeviceTrial[]> {
  const { config, sources, testTicket, timeoutMs } = options;
  const { devices } = config;
  if (testTicket !== undefined && !devices.printers.some((p) => p.id === testTicket))
    throw new UnknownPrinterError(
      `--test-ticket: no printer "${testTicket}" in the config (printers: ${devices.printers.map((p) => p.id).join(", ") || "none"})`,
    );
  const trials: DeviceTrial[] = [];
  for (const printer of devices.printers) {
    options.onTrying?.(`printer ${printer.id}`);
    trials.push(
      ...(await tryPrinter(config, printer, {
        testTicket: printer.id === testTicket,
        ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      })),
    );
  }
  for (const bus of devices.boardBuses) {
    options.onTrying?.(`board bus ${bus.id}`);
    trials.push(...(await tryBoardBus(bus, timeoutMs)));
  }
  for (const display of devices.ledDisplays) {
    options.onTrying?.(`led display ${display.id}`);
    trials.push(await tryLedDisplay(display, timeoutMs));
  }
  for (const panel of devices.panels ?? []) {
    options.onTrying?.(`panel ${panel.id}`);
    trials.push(await tryPanel(panel, sources, timeoutMs));
  }
  return trials;
}
