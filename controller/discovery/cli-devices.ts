// The `vooru devices` and `vooru check --try-devices` commands, apart from controller/cli/main.ts so they can be
// run with fake device sources. Exit codes follow the CLI: 0 done, 1 a device failed, 2 usage.

import { systemDeviceSources } from "../../device/discovery/system-sources.js";
import type { DeviceSources } from "../../device/discovery/types.js";
import type { OfficeConfig } from "../config/schema.js";
import type { Logger } from "../health/log.js";
import { discoverDevices, formatDiscovery } from "./discover.js";
import { formatTrials, trialsFailed } from "./trial.js";
import { tryDevices, UnknownPrinterError } from "./try-devices.js";

export interface DevicesCommandOptions {
  json?: boolean;
  sources?: DeviceSources;
  print?: (text: string) => void;
}

/** Lists what the machine shows; always exit 0 (a list that cannot be read is a line in it). */
export async function runDevices(options: DevicesCommandOptions = {}): Promise<number> {
  const print = options.print ?? ((text: string) => console.log(text));
  const report = await discoverDevices(options.sources ?? systemDeviceSources());
  print(options.json ? JSON.stringify(report, null, 2) : formatDiscovery(report));
  return 0;
}

export interface CheckDevicesOptions {
  testTicket?: string | undefined;
  json?: boolean;
  log: Logger;
  sources?: DeviceSources;
  timeoutMs?: number;
  print?: (text: string) => void;
}

export async function runCheckDevices(config: OfficeConfig, options: CheckDevicesOptions): Promise<number> {
  const print = options.print ?? ((text: string) => console.log(text));
  let trials: Awaited<ReturnType<typeof tryDevices>>;
  try {
    trials = await tryDevices({
      config,
      sources: options.sources ?? systemDeviceSources(),
      ...(options.testTicket !== undefined ? { testTicket: options.testTicket } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      onTrying: options.json ? undefined : (what) => options.log.info(`trying ${what}...`),
    });
  } catch (error) {
    if (error instanceof UnknownPrinterError) {
      options.log.error(error.message);
      return 2;
    }
    throw error;
  }
  const failed = trialsFailed(trials);
  if (options.json) print(JSON.stringify({ valid: true, ok: !failed, devices: trials }, null, 2));
  else {
    print(formatTrials(trials));
    print(failed ? "some devices failed: see above" : "every device answered");
  }
  return failed ? 1 : 0;
}
