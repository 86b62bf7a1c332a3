// Topic-button panels from the configuration: a driver per panel, the panel service that turns
// their presses into tickets, and for "simulated" panels a virtual device read by the same driver
// as the real one (an X-keys or a keypad behind a virtual HID backend, a virtual GPIO chip, a
// virtual Arduino behind loopback TCP). Native modules stay lazy: node-hid loads when a real HID
// panel first looks for its device, johnny-five when a GPIO or Arduino panel first connects.

import {
  type SimulatedPanel,
  simulatedFirmataPanel,
  simulatedGpioPanel,
  simulatedHidPanel,
} from "../../demo/panels/simulated-devices.js";
import type { SimulatedPanelControl } from "../../demo/panels/simulated-panel.js";
import { firmataIoFactory } from "../../device/boards/firmata-io.js";
import { gpiodIoFactory } from "../../device/gpio/gpiod-io.js";
import { libgpiodCliBackend } from "../../device/gpio/libgpiod-cli.js";
import type { DeviceHealthSink } from "../../device/health.js";
import { FiveButtonPanel } from "../../device/panels/five-button-panel.js";
import { HidPanel } from "../../device/panels/hid-panel.js";
import { nodeHidBackend } from "../../device/panels/node-hid-backend.js";
import type { ButtonPanelDriver } from "../../device/panels/types.js";
import { serialTransport } from "../../device/transports/serial.js";
import { tcpTransport } from "../../device/transports/tcp.js";
import type { OfficeConfig } from "../config/schema.js";
import type { HealthBoard } from "../health/health-board.js";
import type { Logger } from "../health/log.js";
import type { QueueService } from "../queue/queue-service.js";
import type { PanelConfig } from "./panel-schema.js";
import { PanelService, serviceOpenAt } from "./panel-service.js";
import type { PressCounters } from "./press-rules.js";

export interface PanelSetup {
  service: PanelService;
  drivers: Map<string, ButtonPanelDriver>;
  /** The controls of simulated panels, by panel id. */
  simulated: Map<string, SimulatedPanelControl>;
  /** Re-derives the button LEDs (opening hours change with time alone). */
  refresh(): void;
  stop(): Promise<void>;
}

/**
 * A panel's health sink: the driver's reports, with the press counters added to their details
 * (the driver's own details and the service's counters do not overwrite each other).
 */
function panelHealth(board: HealthBoard, id: string) {
  board.register(id, "panel", { status: "offline", faults: ["connecting"] });
  let last: Parameters<DeviceHealthSink["report"]> = ["offline", ["connecting"]];
  let presses: PressCounters | undefined;
  const send = () => {
    const [status, faults, lastSeen, details] = last;
    board.report(id, {
      status,
      faults,
      ...(lastSeen !== undefined ? { lastSeen } : {}),
      ...(details !== undefined || presses
        ? { details: { ...details, ...(presses ? { presses } : {}) } }
        : {}),
    });
  };
  const sink: DeviceHealthSink = {
    report: (...report) => {
      last = report;
      send();
    },
    raise: (code, severity, message) => board.raise({ device: id, code, severity, message }),
    clear: (code) => board.clear(id, code),
  };
  return {
    sink,
    counters(counters: PressCounters) {
      presses = counters;
      send();
    },
  };
}

/** A firmata pin as johnny-five takes it: 7, or "A0". */
function pinOf(value: string | number): string | number {
  return typeof value === "number" || /^\d+$/.test(value) ? Number(value) : value;
}

function fiveButtons(config: PanelConfig) {
  return config.buttons.map((b) => ({
    button: b.button,
    pin: pinOf(b.button),
    ...(typeof b.led === "number" || typeof b.led === "string" ? { led: pinOf(b.led) } : {}),
    ...(b.pullUp !== undefined ? { pullUp: b.pullUp } : {}),
  }));
}

/** The driver of a panel on real hardware. */
function realDriver(config: PanelConfig, health: DeviceHealthSink, clock: () => number): ButtonPanelDriver {
  const io = config.io;
  switch (io.type) {
    case "hid": {
      const { type: _type, ...match } = io;
      return new HidPanel({
        id: config.id,
        model: config.kind === "keypad" ? "keypad" : "xkeys",
        match,
        backend: nodeHidBackend(),
        health,
        clock,
      });
    }
    case "gpio":
      return new FiveButtonPanel({
        id: config.id,
        io: gpiodIoFactory({ chip: io.chip, backend: () => libgpiodCliBackend({ chip: io.chip }) }),
        buttons: fiveButtons(config),
        health,
        clock,
        ioKind: "gpio",
      });
    case "firmata":
      return new FiveButtonPanel({
        id: config.id,
        // An Arduino reset by the port opening announces itself after its bootloader.
        io: firmataIoFactory({
          transport: serialTransport({ path: io.path, baudRate: io.baudRate }),
          reportVersionTimeoutMs: 5000,
        }),
        buttons: fiveButtons(config),
        health,
        clock,
        ioKind: "firmata",
      });
    case "simulated":
      throw new Error(`panel ${config.id} is simulated`);
    case "node":
      throw new Error(`panel ${config.id} is on device node ${io.node}, not on this machine`);
  }
}

/**
 * The driver of a panel on this machine, real or over its simulated device (with its control and
 * what closes it). The office and a device node both build their panels here.
 */
export async function createLocalPanel(
  config: PanelConfig,
  health: DeviceHealthSink,
  clock: () => number,
): Promise<{ driver: ButtonPanelDriver; control?: SimulatedPanelControl; close(): Promise<void> }> {
  if (config.io.type === "simulated") return simulatedPanel(config, health, clock);
  return { driver: realDriver(config, health, clock), close: async () => {} };
}

/** Whatever reaches panels that sit on a device node (controller/nodes/node-hub.ts). */
export interface RemotePanels {
  remotePanel(config: PanelConfig, health: DeviceHealthSink): ButtonPanelDriver;
}

/** A simulated panel: its virtual device, and the real driver over it. */
async function simulatedPanel(
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

export async function setupPanels(options: {
  config: OfficeConfig;
  queueService: QueueService;
  health: HealthBoard;
  clock: () => number;
  log?: Logger;
  /** Panels with io `node`; required when the config has any. */
  remote?: RemotePanels;
}): Promise<PanelSetup> {
  const { config, queueService, health, clock, log } = options;
  const drivers = new Map<string, ButtonPanelDriver>();
  const simulated = new Map<string, SimulatedPanelControl>();
  const counterSinks = new Map<string, (counters: PressCounters) => void>();
  const closers: Array<() => Promise<void>> = [];
  try {
    for (const panel of config.devices.panels) {
      const { sink, counters } = panelHealth(health, panel.id);
      counterSinks.set(panel.id, counters);
      if (panel.io.type === "node") {
        if (!options.remote) throw new Error(`panel ${panel.id} is on a device node, and no node hub runs`);
        drivers.set(panel.id, options.remote.remotePanel(panel, sink));
      } else if (panel.io.type === "simulated") {
        const sim = await simulatedPanel(panel, sink, clock);
        drivers.set(panel.id, sim.driver);
        simulated.set(panel.id, sim.control);
        closers.push(sim.close);
      } else drivers.set(panel.id, realDriver(panel, sink, clock));
    }
  } catch (error) {
    for (const close of closers) await close();
    throw error;
  }
  const service = new PanelService({
    panels: config.devices.panels.map((panel) => ({
      config: panel,
      driver: drivers.get(panel.id) as ButtonPanelDriver,
    })),
    issue: (serviceId, printer) => queueService.issueAtKiosk(serviceId, printer),
    isOpen: serviceOpenAt(config),
    health,
    clock,
    ...(log ? { log } : {}),
    reportCounters: (panel, counters) => counterSinks.get(panel)?.(counters),
  });
  // A ticket issued or a day rolled over may change what a button shows.
  const unsubscribe = queueService.queue.onEvents(() => service.refresh());
  service.start();
  return {
    service,
    drivers,
    simulated,
    refresh: () => service.refresh(),
    async stop() {
      unsubscribe();
      await service.stop();
      for (const close of closers) await close();
    },
  };
}
