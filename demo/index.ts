// The demo composition as the program's entry (bin/vooru.js) hands it to the CLI: `vooru start`
// and `vooru node` use it for a configuration that names simulated devices, or for no
// configuration at all (the demo office).
import type { DemoComposition } from "../controller/cli/demo-composition.js";
import { demoOfficeConfig } from "./demo-config.js";
import { startDemoNode } from "./demo-node.js";
import { startDemoOffice } from "./demo-office.js";

export const demoComposition: DemoComposition = { demoOfficeConfig, startDemoOffice, startDemoNode };
