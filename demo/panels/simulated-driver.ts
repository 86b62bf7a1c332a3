// A simulated panel as the office sees it: the real driver (HidPanel or FiveButtonPanel) over the
// panel's virtual device (simulated-devices.ts), and the control the demo drives it with.

import type { PanelConfig } from "../../controller/panels/panel-schema.js";
import { fiveButtons } from "../../controller/panels/panel-setup.js";
import { firmataIoFactory } from "../../device/boards/firmata-io.js";
import { gpiodIoFactory } from "../../device/gpio/gpiod-io.js";
import type { DeviceHealthSink } from "../../device/health.js";
import { FiveButtonPanel } from "../../device/panels/five-button-panel.js";
import { HidPanel } from "../../device/panels/hid-panel.js";
import { tcpTransport } from "../../device/transports/tcp.js";
import {
  type SimulatedPanel,
  simulatedFirmataPanel,
  simulatedGpioPanel,
  simulatedHidPanel,
} from "./simulated-devices.js";

export async function startSimulatedPanel(
  config: PanelConfig,
  health: DeviceHealthSink,
  clock: () => number,
): Promise<SimulatedPanel> {
  switch (config.kind) {
    case "xkeys":
    case "keypad": {
      const sim = simulatedHidPanel(config, clock);
      // Looks for a replugged virtual panel often: the demo and tests see it back at once.
      const driver = new HidPanel({
        id: config.id,
        model: config.kind,
        ...sim.hid,
        health,
        clock,
        pollMs: 250,
      });
      return { ...sim, driver };
    }
    case "gpio": {
      const sim = simulatedGpioPanel(config);
      const driver = new FiveButtonPanel({
        id: config.id,
        io: gpiodIoFactory({ chip: sim.chip.name, backend: () => sim.chip.backend() }),
        buttons: fiveButtons(config),
        health,
        clock,
        ioKind: "gpio",
      });
      return { ...sim, driver };
    }
    case "firmata": {
      const sim = await simulatedFirmataPanel(config);
      const driver = new FiveButtonPanel({
        id: config.id,
        // A virtual Arduino is not reset by a connection: ask for its version at once.
        io: firmataIoFactory({
          transport: tcpTransport({ host: "127.0.0.1", port: sim.port }),
          reportVersionTimeoutMs: 10,
        }),
        buttons: fiveButtons(config),
        health,
        clock,
        ioKind: "firmata",
      });
      return { ...sim, driver };
    }
  }
}
