// What the CLI needs from the demo composition (demo/index.ts), which the program's entry
// (bin/vooru.js) hands in: the controller never imports the demo, the demo uses the controller.
import type { OfficeConfig } from "../config/schema.js";
import type { NodeOptions, RunningNode } from "../nodes/node-runtime.js";
import type { OfficeOptions, RunningOffice } from "../office.js";

export interface DemoComposition {
  /** The example office, always open, journal in ./data. */
  demoOfficeConfig(): OfficeConfig;
  /** An office whose config may name simulated devices, with their controls and traffic. */
  startDemoOffice(
    options: Omit<OfficeOptions, "simulated"> & { trafficPerMinute?: number },
  ): Promise<RunningOffice>;
  /** A device node whose config may name simulated devices. */
  startDemoNode(options: Omit<NodeOptions, "simulated">): Promise<RunningNode>;
}

/** Loads the demo composition only when a start needs it: a real office never loads simulators. */
export type LoadDemo = () => Promise<DemoComposition>;
