// Ticket printers from the configuration: a driver per printer over its transport. A "simulated"
// printer is driven by the same driver over a transport the demo composition hands in (a virtual
// printer on loopback TCP), so the simulated office exercises the real code path.
import { EscPosPrinter } from "../../device/printer/escpos-printer.js";
import type { TicketPrinterDriver } from "../../device/printer/types.js";
import type { ByteTransport } from "../../device/transport.js";
import { serialTransport } from "../../device/transports/serial.js";
import { tcpTransport } from "../../device/transports/tcp.js";
import { usbPrinterTransport } from "../../device/transports/usb-lp.js";
import { type PrinterProfile, profileById } from "../../protocols/escpos/profiles.js";
import type { OfficeConfig } from "../config/schema.js";
import { SetupError, simulatedWithoutDemo } from "../config/setup-error.js";
import type { HealthBoard } from "../health/health-board.js";
import { healthSinkFor } from "../health/health-sink.js";
import { PrinterPool } from "./printer-pool.js";
import type { PrinterConfig } from "./printer-schema.js";

/**
 * The printers of transport "simulated": the controller drives them with the real driver, but the
 * virtual printer behind the transport belongs to the demo composition (demo/), which passes this.
 */
export interface SimulatedPrinters {
  /** Starts the virtual printer of `config` and gives the transport the real driver reaches it by. */
  connectPrinter(config: PrinterConfig, profile: PrinterProfile): Promise<ByteTransport>;
}

export interface PrinterSetup {
  pool: PrinterPool;
  stop(): Promise<void>;
}

/** Whatever drives printers that sit on a device node (controller/nodes/node-hub.ts). */
export interface RemotePrinters {
  remotePrinter(config: PrinterConfig): TicketPrinterDriver;
}

/**
 * The driver of one printer on this machine (serial, tcp, usb, or simulated through `simulated`),
 * with its health on `health`. The office and a device node both build their printers here.
 */
export async function createLocalPrinter(
  printerConfig: PrinterConfig,
  health: HealthBoard,
  clock: () => number,
  simulated?: SimulatedPrinters,
): Promise<EscPosPrinter> {
  const profile = profileById(printerConfig.profile);
  const t = printerConfig.transport;
  let transport: ByteTransport;
  switch (t.type) {
    case "serial":
      transport = serialTransport({ path: t.path, baudRate: t.baudRate });
      break;
    case "tcp":
      transport = tcpTransport({ host: t.host, port: t.port });
      break;
    case "usb":
      transport = usbPrinterTransport({ path: t.path });
      break;
    case "node":
      throw new SetupError(
        "NOT_ON_THIS_MACHINE",
        `printer ${printerConfig.id} is on device node ${t.node}, not on this machine`,
      );
    case "simulated":
      if (!simulated) throw simulatedWithoutDemo("printer", printerConfig.id);
      transport = await simulated.connectPrinter(printerConfig, profile);
      break;
  }
  return new EscPosPrinter({
    id: printerConfig.id,
    transport,
    profile,
    health: healthSinkFor(health, printerConfig.id, "printer", transport.description),
    clock,
    barrierTimeoutMs: printerConfig.confirmTimeoutSeconds * 1000,
  });
}

export async function setupPrinters(
  config: OfficeConfig,
  health: HealthBoard,
  clock: () => number,
  devices: {
    /** Printers with transport `node` print through it; required when the config has any. */
    remote?: RemotePrinters;
    /** Printers with transport `simulated`; required when the config has any. */
    simulated?: SimulatedPrinters;
  } = {},
): Promise<PrinterSetup> {
  const pool = new PrinterPool(config, clock);
  for (const printerConfig of config.devices.printers) {
    const profile = profileById(printerConfig.profile);
    let driver: TicketPrinterDriver;
    if (printerConfig.transport.type === "node") {
      if (!devices.remote)
        throw new SetupError(
          "NODE_WITHOUT_HUB",
          `printer ${printerConfig.id} is on a device node, and no node hub runs`,
        );
      driver = devices.remote.remotePrinter(printerConfig);
    } else driver = await createLocalPrinter(printerConfig, health, clock, devices.simulated);
    pool.add({ config: printerConfig, profile, driver });
  }
  pool.start();
  return { pool, stop: () => pool.stop() };
}
