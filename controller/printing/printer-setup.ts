// Ticket printers from the configuration: a driver per printer over its transport. A "simulated"
// printer is a VirtualPrinter served on loopback TCP and driven by the same driver over the same
// TCP transport as a network printer, so the simulated office exercises the real code path.
import { EscPosPrinter } from "../../device/printer/escpos-printer.js";
import type { TicketPrinterDriver } from "../../device/printer/types.js";
import type { ByteTransport } from "../../device/transport.js";
import { serialTransport } from "../../device/transports/serial.js";
import { tcpTransport } from "../../device/transports/tcp.js";
import { usbPrinterTransport } from "../../device/transports/usb-lp.js";
import { profileById } from "../../protocols/escpos/profiles.js";
import { serveVirtualPrinterTcp } from "../../simulators/printer/attach.js";
import { renderTicketText } from "../../simulators/printer/render.js";
import { VirtualPrinter } from "../../simulators/printer/virtual-printer.js";
import type { PrinterConfig } from "../config/devices-schema.js";
import type { OfficeConfig } from "../config/schema.js";
import type { HealthBoard } from "../health/health-board.js";
import type { Logger } from "../health/log.js";
import { healthSinkFor, PrinterPool } from "./printer-pool.js";

export interface SimulatedPrinter {
  id: string;
  printer: VirtualPrinter;
  port: number;
  /** Paper width of the printer's profile, for drawing its tickets. */
  paperWidthMm: 58 | 80;
  /**
   * Pulls the printer's cable (false): its TCP end closes, so the driver sees the printer gone at
   * once, as with a real network printer losing power. true plugs it back on the same port.
   */
  setPlugged(plugged: boolean): Promise<void>;
  readonly plugged: boolean;
}

export interface PrinterSetup {
  pool: PrinterPool;
  simulated: Map<string, SimulatedPrinter>;
  stop(): Promise<void>;
}

/** Whatever drives printers that sit on a device node (controller/nodes/node-hub.ts). */
export interface RemotePrinters {
  remotePrinter(config: PrinterConfig): TicketPrinterDriver;
}

/**
 * The driver of one printer on this machine (serial, tcp, usb or simulated), with its health on
 * `health`. A simulated printer's virtual device goes into `simulated`, its server into `servers`.
 * The office and a device node both build their printers here.
 */
export async function createLocalPrinter(
  printerConfig: PrinterConfig,
  health: HealthBoard,
  clock: () => number,
  log: Logger | undefined,
  simulated: Map<string, SimulatedPrinter>,
  servers: Array<{ close(): Promise<void> }>,
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
      throw new Error(`printer ${printerConfig.id} is on device node ${t.node}, not on this machine`);
    case "simulated": {
      const printer = new VirtualPrinter({ processId: profile.processId, asb: profile.asb });
      // With no paper to hold, the simulated office shows each ticket in its log.
      const id = printerConfig.id;
      printer.onTicket((ticket) =>
        log?.info(`simulated printer ${id} printed:\n${renderTicketText(ticket, profile.columns)}`),
      );
      let server: { port: number; close(): Promise<void> } | null = await serveVirtualPrinterTcp(printer, {
        host: "127.0.0.1",
        port: 0,
      });
      const port = server.port;
      servers.push({ close: async () => server?.close() });
      simulated.set(printerConfig.id, {
        id: printerConfig.id,
        printer,
        port,
        paperWidthMm: profile.paperWidthMm,
        get plugged() {
          return server !== null;
        },
        async setPlugged(plugged) {
          if (plugged === (server !== null)) return;
          if (plugged) server = await serveVirtualPrinterTcp(printer, { host: "127.0.0.1", port });
          else {
            const closing = server;
            server = null;
            await closing?.close();
          }
        },
      });
      transport = tcpTransport({ host: "127.0.0.1", port });
      break;
    }
  }
  return new EscPosPrinter({
    id: printerConfig.id,
    transport,
    profile,
    health: healthSinkFor(health, printerConfig.id, "printer"),
    clock,
    barrierTimeoutMs: printerConfig.confirmTimeoutSeconds * 1000,
  });
}

export async function setupPrinters(
  config: OfficeConfig,
  health: HealthBoard,
  clock: () => number,
  log?: Logger,
  /** Printers with transport `node` print through it; required when the config has any. */
  remote?: RemotePrinters,
): Promise<PrinterSetup> {
  const pool = new PrinterPool(config, clock);
  const simulated = new Map<string, SimulatedPrinter>();
  const servers: Array<{ close(): Promise<void> }> = [];
  try {
    for (const printerConfig of config.devices.printers) {
      const profile = profileById(printerConfig.profile);
      let driver: TicketPrinterDriver;
      if (printerConfig.transport.type === "node") {
        if (!remote) throw new Error(`printer ${printerConfig.id} is on a device node, and no node hub runs`);
        driver = remote.remotePrinter(printerConfig);
      } else driver = await createLocalPrinter(printerConfig, health, clock, log, simulated, servers);
      pool.add({ config: printerConfig, profile, driver });
    }
  } catch (error) {
    for (const server of servers) await server.close();
    throw error;
  }
  pool.start();
  return {
    pool,
    simulated,
    async stop() {
      await pool.stop();
      for (const server of servers) await server.close();
    },
  };
}
