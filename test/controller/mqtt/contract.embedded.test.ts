import { startHarness } from "../../support/office-harness.js";
import { contractSuite } from "./contract-suite.js";

// aedes speaks MQTT 3.1.1 only.
contractSuite("embedded broker", () => startHarness(), { mqtt5: false });
