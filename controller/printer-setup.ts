// Ticket printers from the configuration: a driver per printer over its transport. A "simulated"
// printer is a VirtualPrinter served on loopback TCP and driven by the same driver over the same
// TCP transport as a network printer, so the simulated office exercises the real code path.
import { EscPosPrinter } from "../device/printer/escpos-printer.js";
import type { ByteTransport } from "../device/transport.js";
import { serialTransport } from "../device/transports/serial.js";
import { tcpTransport } from "../device/transports/tcp.js";
import { usbPrinterTransport } from "../device/transports/usb-lp.js";
import { profileById } from "../protocols/escpos/profiles.js";
import { serveVirtualPrinterTcp } from "../simulators/printer/attach.js";
import { renderTicketText } from "../simulators/printer/render.js";
import { VirtualPrinter } from "../simulators/printer/virtual-printer.js";
import type { OfficeConfig } from "./config/schema.js";
import type { HealthBoard } from "./health.js";
import type { Logger } from "./log.js";
import { healthSinkFor, PrinterPool } from "./printers.js";

export interface SimulatedPrinter {
  id: string;
  printer: VirtualPrinter;
  port: number;
}

export interface PrinterSetup {
  pool: PrinterPool;
  simulated: Map<string, SimulatedPrinter>;
  stop(): Promise<void>;
}

export async function setupPrinters(
  config: OfficeConfig,
  health: HealthBoard,
  clock: () => number,
  log?: Logger,
): Promise<PrinterSetup> {
  const pool = new PrinterPool(config, clock);
  const simulated = new Map<string, SimulatedPrinter>();
  const servers: Array<{ close(): Promise<void> }> = [];
  for (const printerConfig of config.devices.printers) {
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
      case "simulated": {
        const printer = new VirtualPrinter({ processId: profile.processId, asb: profile.asb });
        // With no paper to hold, the simulated office shows each ticket in its log.
        const id = printerConfig.id;
        printer.onTicket((ticket) =>
          log?.info(`simulated printer ${id} printed:\n${renderTicketText(ticket, profile.columns)}`),
        );
        const server = await serveVirtualPrinterTcp(printer, { host: "127.0.0.1", port: 0 });
        servers.push(server);
        simulated.set(printerConfig.id, { id: printerConfig.id, printer, port: server.port });
        transport = tcpTransport({ host: "127.0.0.1", port: server.port });
        break;
      }
    }
    const driver = new EscPosPrinter({
      id: printerConfig.id,
      transport,
      profile,
      health: healthSinkFor(health, printerConfig.id, "printer"),
      clock,
      barrierTimeoutMs: printerConfig.confirmTimeoutSeconds * 1000,
    });
    pool.add({ config: printerConfig, profile, driver });
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
