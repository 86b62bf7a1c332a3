// Every simulated device of an office or a device node, as the controller's rooms ask for them
// (SimulatedPrinters, SimulatedBoards, SimulatedPanels): the virtual devices live here, the real
// drivers over them live in the controller. Kept by id, so the demo's controls, traffic and tests
// can reach each virtual device.

import type { SimulatedSpeakers } from "../controller/announcements/announcement-setup.js";
import type { SimulatedScanners } from "../controller/appointments/scanners-setup.js";
import type { LedDisplayConfig } from "../controller/boards/board-schema.js";
import type { LocalBoardBusConfig, SimulatedBoards } from "../controller/boards/board-setup.js";
import type { Logger } from "../controller/health/log.js";
import type { PanelConfig } from "../controller/panels/panel-schema.js";
import type { SimulatedPanels } from "../controller/panels/panel-setup.js";
import type { PrinterConfig } from "../controller/printing/printer-schema.js";
import type { SimulatedPrinters } from "../controller/printing/printer-setup.js";
import type { AudioSink } from "../device/audio/audio-sink.js";
import type { DeviceHealthSink } from "../device/health.js";
import type { ButtonPanelDriver } from "../device/panels/types.js";
import type { ByteTransport } from "../device/transport.js";
import type { PrinterProfile } from "../protocols/escpos/profiles.js";
import type { VirtualFirmata } from "../simulators/boards/virtual-firmata.js";
import { VirtualHidBackend } from "../simulators/panels/virtual-hid.js";
import { VIRTUAL_SCANNER_IDS, VirtualScanner } from "../simulators/scanners/virtual-scanner.js";
import { type SimulatedBoardBus, startSimulatedBoardBus, startSimulatedLedDisplay } from "./boards.js";
import { startSimulatedPanel } from "./panels/simulated-driver.js";
import type { SimulatedPanelControl } from "./panels/simulated-panel.js";
import { type SimulatedPrinter, startSimulatedPrinter } from "./printers.js";
import { SimulatedSpeaker } from "./speakers.js";

export class SimulatedDevices
  implements SimulatedPrinters, SimulatedBoards, SimulatedPanels, SimulatedSpeakers, SimulatedScanners
{
  readonly printers = new Map<string, SimulatedPrinter>();
  readonly boardBuses = new Map<string, SimulatedBoardBus>();
  /** The virtual Arduinos of simulated led displays, by display id. */
  readonly ledDisplays = new Map<string, VirtualFirmata>();
  /** The controls of simulated panels, by panel id. */
  readonly panels = new Map<string, SimulatedPanelControl>();
  /** Simulated speakers by speaker id (zone-<zone>, kiosk-<printer>): what each played. */
  readonly speakers = new Map<string, SimulatedSpeaker>();
  /** Virtual booking-code scanners by scanner id, on one virtual HID backend (VirtualScanner.scan types a code). */
  readonly scanners = new Map<string, VirtualScanner>();
  private readonly scannerBackend = new VirtualHidBackend();
  /** How long a simulated speaker takes to play (1 real time); set before the office starts. */
  speakerTimeScale = 1;
  private readonly closers: Array<() => Promise<void>> = [];

  constructor(
    private readonly log?: Logger,
    private readonly clock: () => number = Date.now,
  ) {}

  get empty(): boolean {
    const counts = [this.printers, this.boardBuses, this.ledDisplays, this.panels, this.speakers];
    return counts.every((m) => m.size === 0);
  }

  async connectPrinter(config: PrinterConfig, profile: PrinterProfile): Promise<ByteTransport> {
    const { printer, transport } = await startSimulatedPrinter(config, profile, this.log);
    this.printers.set(config.id, printer);
    this.closers.push(() => printer.close());
    return transport;
  }

  async connectBoardBus(config: LocalBoardBusConfig): Promise<ByteTransport> {
    const { bus, server, transport } = await startSimulatedBoardBus(config);
    this.boardBuses.set(config.id, bus);
    this.closers.push(() => server.close());
    return transport;
  }

  async connectLedDisplay(config: LedDisplayConfig): Promise<ByteTransport> {
    const { firmata, server, transport } = await startSimulatedLedDisplay(config);
    this.ledDisplays.set(config.id, firmata);
    this.closers.push(() => server.close());
    return transport;
  }

  async connectPanel(
    config: PanelConfig,
    health: DeviceHealthSink,
    clock: () => number,
  ): Promise<ButtonPanelDriver> {
    const panel = await startSimulatedPanel(config, health, clock);
    this.panels.set(config.id, panel.control);
    this.closers.push(panel.close);
    return panel.driver;
  }

  connectScanner(id: string) {
    const scanner = new VirtualScanner(this.scannerBackend, { serialNumber: id });
    this.scanners.set(id, scanner);
    return { backend: this.scannerBackend, match: { ...VIRTUAL_SCANNER_IDS, serialNumber: id } };
  }

  connectSpeaker(id: string, health: DeviceHealthSink): AudioSink {
    const speaker = new SimulatedSpeaker(id, health, this.clock, this.speakerTimeScale);
    this.speakers.set(id, speaker);
    return speaker;
  }

  /** Closes every virtual device (after the drivers over them have stopped). */
  async close(): Promise<void> {
    for (const close of this.closers.splice(0).reverse()) await close();
  }
}
