// Topic-button panels from the configuration: a driver per panel and the panel service that turns
// their presses into tickets. A "simulated" panel's driver comes from the demo composition: the
// same driver as the real one over a virtual device. Native modules stay lazy: node-hid loads
// when a real HID panel first looks for its device, johnny-five when a GPIO or Arduino panel
// first connects.

import { firmataIoFactory } from "../../device/boards/firmata-io.js";
import { gpiodIoFactory } from "../../device/gpio/gpiod-io.js";
import { libgpiodCliBackend } from "../../device/gpio/libgpiod-cli.js";
import type { DeviceHealthSink } from "../../device/health.js";
import { FiveButtonPanel } from "../../device/panels/five-button-panel.js";
import { HidPanel } from "../../device/panels/hid-panel.js";
import { nodeHidBackend } from "../../device/panels/node-hid-backend.js";
import type { ButtonPanelDriver } from "../../device/panels/types.js";
import { SERIAL_REOPEN_CAP_MS, serialTransport } from "../../device/transports/serial.js";
import type { OfficeConfig } from "../config/schema.js";
import { SetupError, simulatedWithoutDemo } from "../config/setup-error.js";
import { actionableMessage } from "../health/alert-advice.js";
import type { HealthBoard } from "../health/health-board.js";
import type { Logger } from "../health/log.js";
import type { QueueService } from "../queue/queue-service.js";
import type { PanelConfig } from "./panel-schema.js";
import { PanelService, serviceOpenAt } from "./panel-service.js";
import type { PressCounters } from "./press-rules.js";

export interface PanelSetup {
  service: PanelService;
  drivers: Map<string, ButtonPanelDriver>;
  /** Re-derives the button LEDs (opening hours change with time alone). */
  refresh(): void;
  stop(): Promise<void>;
}

/**
 * A panel's health sink: the driver's reports, with the press counters added to their details
 * (the driver's own details and the service's counters do not overwrite each other).
 */
/** Where a panel is plugged, as its alerts say it: "X-keys panel on USB", "Arduino on /dev/ttyACM0". */
function panelPlace(panel: PanelConfig): string {
  const io = panel.io as { type: string; path?: string; chip?: string; node?: string };
  if (io.type === "hid") return `${panel.kind} panel on USB`;
  if (io.type === "firmata") return `Arduino on ${io.path ?? "a serial port"}`;
  if (io.type === "gpio") return `GPIO pins${io.chip ? ` of ${io.chip}` : ""}`;
  if (io.type === "node") return `on device node ${io.node}`;
  return `${io.type} panel`;
}

function panelHealth(board: HealthBoard, id: string, place?: string) {
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
    raise: (code, severity, message) =>
      board.raise({ device: id, code, severity, message: actionableMessage(code, message, place) }),
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

/** The buttons of a GPIO or Arduino panel as the FiveButtonPanel driver takes them. */
export function fiveButtons(config: PanelConfig) {
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
          reportVersionTimeoutMs: io.versionWaitMs,
        }),
        buttons: fiveButtons(config),
        health,
        clock,
        ioKind: "firmata",
        // Replugged, it is back within seconds, not after a backoff grown to 30 s while it was out.
        supervision: { backoffMaxMs: SERIAL_REOPEN_CAP_MS },
      });
    case "simulated":
      throw simulatedWithoutDemo("panel", config.id);
    case "node":
      throw new SetupError(
        "NOT_ON_THIS_MACHINE",
        `panel ${config.id} is on device node ${io.node}, not on this machine`,
      );
  }
}

/**
 * The panels of io "simulated": the demo composition (demo/) builds the real driver over a virtual
 * device and hands it in.
 */
export interface SimulatedPanels {
  connectPanel(
    config: PanelConfig,
    health: DeviceHealthSink,
    clock: () => number,
  ): Promise<ButtonPanelDriver>;
}

/** The driver of a panel on this machine, real or simulated. The office and a device node both build theirs here. */
export async function createLocalPanel(
  config: PanelConfig,
  health: DeviceHealthSink,
  clock: () => number,
  simulated?: SimulatedPanels,
): Promise<ButtonPanelDriver> {
  if (config.io.type !== "simulated") return realDriver(config, health, clock);
  if (!simulated) throw simulatedWithoutDemo("panel", config.id);
  return simulated.connectPanel(config, health, clock);
}

/** Whatever reaches panels that sit on a device node (controller/nodes/node-hub.ts). */
export interface RemotePanels {
  remotePanel(config: PanelConfig, health: DeviceHealthSink): ButtonPanelDriver;
}

export async function setupPanels(options: {
  config: OfficeConfig;
  queueService: QueueService;
  health: HealthBoard;
  clock: () => number;
  log?: Logger;
  /** Panels with io `node`; required when the config has any. */
  remote?: RemotePanels;
  /** Panels with io `simulated`; required when the config has any. */
  simulated?: SimulatedPanels;
}): Promise<PanelSetup> {
  const { config, queueService, health, clock, log } = options;
  const drivers = new Map<string, ButtonPanelDriver>();
  const counterSinks = new Map<string, (counters: PressCounters) => void>();
  for (const panel of config.devices.panels) {
    const { sink, counters } = panelHealth(health, panel.id, panelPlace(panel));
    counterSinks.set(panel.id, counters);
    if (panel.io.type === "node") {
      if (!options.remote)
        throw new SetupError(
          "NODE_WITHOUT_HUB",
          `panel ${panel.id} is on a device node, and no node hub runs`,
        );
      drivers.set(panel.id, options.remote.remotePanel(panel, sink));
    } else drivers.set(panel.id, await createLocalPanel(panel, sink, clock, options.simulated));
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
    refresh: () => service.refresh(),
    async stop() {
      unsubscribe();
      await service.stop();
    },
  };
}
