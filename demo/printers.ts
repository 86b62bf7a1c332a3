// Simulated ticket printers: a VirtualPrinter served on loopback TCP, reached by the real ESC/POS
// driver over the same TCP transport as a network printer, so the demo office exercises the real
// code path. Pulling the cable closes the TCP end, as a network printer losing power would.

import type { Logger } from "../controller/health/log.js";
import type { PrinterConfig } from "../controller/printing/printer-schema.js";
import type { ByteTransport } from "../device/transport.js";
import { tcpTransport } from "../device/transports/tcp.js";
import type { PrinterProfile } from "../protocols/escpos/profiles.js";
import { serveVirtualPrinterTcp } from "../simulators/printer/attach.js";
import { renderTicketText } from "../simulators/printer/render.js";
import { VirtualPrinter } from "../simulators/printer/virtual-printer.js";

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
  /** Closes its server for good. */
  close(): Promise<void>;
}

/** A virtual printer for `config`, served on a free loopback port, and the transport to reach it. */
export async function startSimulatedPrinter(
  config: PrinterConfig,
  profile: PrinterProfile,
  log: Logger | undefined,
): Promise<{ printer: SimulatedPrinter; transport: ByteTransport }> {
  const printer = new VirtualPrinter({ processId: profile.processId, asb: profile.asb });
  // With no paper to hold, the demo office shows each ticket in its log.
  printer.onTicket((ticket) =>
    log?.info(`simulated printer ${config.id} printed:\n${renderTicketText(ticket, profile.columns)}`),
  );
  let server: { port: number; close(): Promise<void> } | null = await serveVirtualPrinterTcp(printer, {
    host: "127.0.0.1",
    port: 0,
  });
  const port = server.port;
  const unplug = async () => {
    const closing = server;
    server = null;
    await closing?.close();
  };
  const simulated: SimulatedPrinter = {
    id: config.id,
    printer,
    port,
    paperWidthMm: profile.paperWidthMm,
    get plugged() {
      return server !== null;
    },
    async setPlugged(plugged) {
      if (plugged === (server !== null)) return;
      if (plugged) server = await serveVirtualPrinterTcp(printer, { host: "127.0.0.1", port });
      else await unplug();
    },
    close: unplug,
  };
  return { printer: simulated, transport: tcpTransport({ host: "127.0.0.1", port }) };
}
