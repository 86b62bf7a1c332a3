// Simulated LED boards: a bus of virtual boards (Modbus 7-segment modules or Alpha signs) behind
// loopback TCP, as behind an RS-485-to-Ethernet gateway, and for a led display a virtual
// StandardFirmata Arduino with its MAX7219 or HT16K33. The real drivers reach them over TCP.

import type { LedDisplayConfig } from "../controller/boards/board-schema.js";
import type { LocalBoardBusConfig } from "../controller/boards/board-setup.js";
import type { ByteTransport } from "../device/transport.js";
import { tcpTransport } from "../device/transports/tcp.js";
import { VirtualAlphaSign } from "../simulators/boards/alpha-sign.js";
import { serveBoardBusTcp } from "../simulators/boards/attach.js";
import { VirtualModbusBus } from "../simulators/boards/modbus-bus.js";
import { VirtualFirmata } from "../simulators/boards/virtual-firmata.js";
import { serveByteDeviceTcp } from "../simulators/shared/attach.js";

export type SimulatedBoardBus =
  | { protocol: "modbus-7seg"; bus: VirtualModbusBus; port: number }
  | { protocol: "alpha"; bus: VirtualAlphaSign; port: number };

type Server = { port: number; close(): Promise<void> };

/** The virtual boards of a simulated bus, served on a free loopback port. */
export async function startSimulatedBoardBus(
  config: LocalBoardBusConfig,
): Promise<{ bus: SimulatedBoardBus; server: Server; transport: ByteTransport }> {
  const addresses = config.boards.map((b) => b.address);
  let bus: SimulatedBoardBus;
  if (config.protocol === "modbus-7seg") {
    const modules = new VirtualModbusBus();
    for (const address of addresses) modules.addModule(address);
    bus = { protocol: "modbus-7seg", bus: modules, port: 0 };
  } else {
    // Address 0 reaches every sign: a bus configured only with it still has one sign (address 1).
    const signs = addresses.filter((a) => a > 0);
    bus = {
      protocol: "alpha",
      bus: new VirtualAlphaSign(signs.length > 0 ? { addresses: signs } : {}),
      port: 0,
    };
  }
  const server = await serveBoardBusTcp(bus.bus, { host: "127.0.0.1", port: 0 });
  bus.port = server.port;
  return { bus, server, transport: tcpTransport({ host: "127.0.0.1", port: server.port }) };
}

/** The virtual Arduino of a simulated led display: its chip on the pins or address configured. */
export async function startSimulatedLedDisplay(
  display: LedDisplayConfig,
): Promise<{ firmata: VirtualFirmata; server: Server; transport: ByteTransport }> {
  const firmata =
    display.controller === "HT16K33"
      ? new VirtualFirmata({ ht16k33: [display.address ?? 0x70] })
      : new VirtualFirmata({
          max7219: [{ pins: { data: 2, clock: 3, cs: 4, ...display.pins }, digits: display.digits ?? 8 }],
        });
  const server = await serveByteDeviceTcp(firmata, { host: "127.0.0.1", port: 0 });
  return { firmata, server, transport: tcpTransport({ host: "127.0.0.1", port: server.port }) };
}
