// LED board buses from the configuration, fed by BoardDisplays: every committed batch of queue
// events becomes board writes within the same turn of the event loop. A "simulated" bus is a set
// of virtual boards behind loopback TCP (an RS-485-to-Ethernet gateway), driven by the real driver.
// A led display (MAX7219 / HT16K33) is driven on its own by a LedDigitsBoard through johnny-five
// and firmata-io; a "simulated" one is a virtual StandardFirmata board behind loopback TCP.
import { BoardBus } from "../../device/boards/board-bus.js";
import { firmataIoFactory } from "../../device/boards/firmata-io.js";
import { LedDigitsBoard, ledDigitsBusDriver } from "../../device/boards/led-digits-board.js";
import type { BoardBusDriver } from "../../device/boards/types.js";
import type { ByteTransport } from "../../device/transport.js";
import { serialTransport } from "../../device/transports/serial.js";
import { tcpTransport } from "../../device/transports/tcp.js";
import { boardCodec } from "../../protocols/boards/index.js";
import { VirtualAlphaSign } from "../../simulators/boards/alpha-sign.js";
import { serveBoardBusTcp } from "../../simulators/boards/attach.js";
import { VirtualModbusBus } from "../../simulators/boards/modbus-bus.js";
import { VirtualFirmata } from "../../simulators/boards/virtual-firmata.js";
import { serveByteDeviceTcp } from "../../simulators/shared/attach.js";
import type { BoardBusConfig, LedDisplayConfig } from "../config/devices-schema.js";
import type { OfficeConfig } from "../config/schema.js";
import type { HealthBoard } from "../health/health-board.js";
import type { Logger } from "../health/log.js";
import { healthSinkFor } from "../printing/printer-pool.js";
import type { DurableQueue } from "../queue/durable-queue.js";
import { type BoardCommand, BoardDisplays } from "./board-display.js";

export type SimulatedBoardBus =
  | { protocol: "modbus-7seg"; bus: VirtualModbusBus; port: number }
  | { protocol: "alpha"; bus: VirtualAlphaSign; port: number };

export interface BoardSetup {
  displays: BoardDisplays;
  drivers: Map<string, BoardBus>;
  simulated: Map<string, SimulatedBoardBus>;
  /** Led displays by id, each with its own driver. */
  ledDisplays: Map<string, LedDigitsBoard>;
  /** The virtual Arduinos of simulated led displays, by display id. */
  simulatedLedDisplays: Map<string, VirtualFirmata>;
  /** Re-derives texts that change with time alone (opening hours). */
  refresh(): void;
  /** What each board was last told to show, and when (published on MQTT as boards/{board}). */
  shown(): ReadonlyMap<string, ShownText>;
  /** Called for every text sent to a board. */
  onShow(handler: (board: string, shown: ShownText) => void): () => void;
  stop(): Promise<void>;
}

export interface ShownText {
  text: string;
  blink: boolean;
  since: number;
}

const ALPHA_BAUD = 9600;

async function simulatedTransport(
  config: LocalBoardBusConfig,
  simulated: Map<string, SimulatedBoardBus>,
  servers: Array<{ close(): Promise<void> }>,
): Promise<ByteTransport> {
  const addresses = config.boards.map((b) => b.address);
  let entry: SimulatedBoardBus;
  if (config.protocol === "modbus-7seg") {
    const bus = new VirtualModbusBus();
    for (const address of addresses) bus.addModule(address);
    entry = { protocol: "modbus-7seg", bus, port: 0 };
  } else {
    // Address 0 reaches every sign: a bus configured only with it still has one sign (address 1).
    const signs = addresses.filter((a) => a > 0);
    entry = {
      protocol: "alpha",
      bus: new VirtualAlphaSign(signs.length > 0 ? { addresses: signs } : {}),
      port: 0,
    };
  }
  const server = await serveBoardBusTcp(entry.bus, { host: "127.0.0.1", port: 0 });
  servers.push(server);
  entry.port = server.port;
  simulated.set(config.id, entry);
  const port = server.port;
  return tcpTransport({ host: "127.0.0.1", port });
}

/** The virtual Arduino of a simulated led display: its chip on the pins or address configured. */
async function simulatedFirmata(
  display: LedDisplayConfig,
  simulated: Map<string, VirtualFirmata>,
  servers: Array<{ close(): Promise<void> }>,
): Promise<ByteTransport> {
  const firmata =
    display.controller === "HT16K33"
      ? new VirtualFirmata({ ht16k33: [display.address ?? 0x70] })
      : new VirtualFirmata({
          max7219: [{ pins: { data: 2, clock: 3, cs: 4, ...display.pins }, digits: display.digits ?? 8 }],
        });
  const server = await serveByteDeviceTcp(firmata, { host: "127.0.0.1", port: 0 });
  servers.push(server);
  simulated.set(display.id, firmata);
  return tcpTransport({ host: "127.0.0.1", port: server.port });
}

/** A board bus as a device node's config names it too: the boards' ids and addresses only. */
export interface LocalBoardBusConfig {
  id: string;
  protocol: BoardBusConfig["protocol"];
  transport: BoardBusConfig["transport"];
  boards: ReadonlyArray<{ id: string; address: number }>;
}

/** The driver of a board bus on this machine; the office and a device node both build theirs here. */
export async function createLocalBoardBus(
  busConfig: LocalBoardBusConfig,
  health: HealthBoard,
  clock: () => number,
  blinkMs: number,
  simulated: Map<string, SimulatedBoardBus>,
  servers: Array<{ close(): Promise<void> }>,
): Promise<BoardBus> {
  const t = busConfig.transport;
  if (t.type === "node") throw new Error(`board bus ${busConfig.id} is on device node ${t.node}`);
  const transport =
    t.type === "serial"
      ? serialTransport({
          path: t.path,
          baudRate: t.baudRate,
          // Alpha signs speak 7E1 by default; Modbus RTU modules 8N1.
          ...(busConfig.protocol === "alpha" ? { dataBits: 7 as const, parity: "even" as const } : {}),
        })
      : t.type === "tcp"
        ? tcpTransport({ host: t.host, port: t.port })
        : await simulatedTransport(busConfig, simulated, servers);
  return new BoardBus({
    id: busConfig.id,
    transport,
    codec: boardCodec(busConfig.protocol),
    baudRate: t.type === "serial" ? t.baudRate : busConfig.protocol === "alpha" ? ALPHA_BAUD : 9600,
    boards: busConfig.boards.map((b) => ({ id: b.id, address: b.address })),
    health: (boardId) => healthSinkFor(health, boardId, "board"),
    busHealth: healthSinkFor(health, busConfig.id, "board_bus"),
    clock,
    blinkFor: blinkMs,
  });
}

/** Whatever drives board buses that sit on a device node (controller/nodes/node-hub.ts). */
export interface RemoteBoardBuses {
  remoteBoardBus(config: BoardBusConfig): void;
}

export async function setupBoards(options: {
  config: OfficeConfig;
  queue: DurableQueue;
  health: HealthBoard;
  clock: () => number;
  /** Simulated boards say in the log what they show (the web pages come later). */
  log?: Logger;
  /** Buses with transport `node`; required when the config has any. */
  remote?: RemoteBoardBuses;
}): Promise<BoardSetup> {
  const { config, queue, health, clock, log } = options;
  const drivers = new Map<string, BoardBus>();
  const simulated = new Map<string, SimulatedBoardBus>();
  const servers: Array<{ close(): Promise<void> }> = [];
  const busOfBoard = new Map<string, BoardBus | BoardBusDriver>();
  const ledDisplays = new Map<string, LedDigitsBoard>();
  const simulatedLedDisplays = new Map<string, VirtualFirmata>();
  for (const busConfig of config.devices.boardBuses) {
    // A bus on a device node: the node shows what boards/{board} says; its health comes from there.
    if (busConfig.transport.type === "node") {
      if (!options.remote)
        throw new Error(`board bus ${busConfig.id} is on a device node, and no node hub runs`);
      options.remote.remoteBoardBus(busConfig);
      continue;
    }
    const blinkMs = config.devices.boardTexts.blinkSeconds * 1000;
    const driver = await createLocalBoardBus(busConfig, health, clock, blinkMs, simulated, servers);
    drivers.set(busConfig.id, driver);
    for (const board of busConfig.boards) busOfBoard.set(board.id, driver);
  }
  for (const display of config.devices.ledDisplays) {
    const io = display.io;
    const transport =
      io.type === "firmata"
        ? serialTransport({ path: io.path, baudRate: io.baudRate })
        : await simulatedFirmata(display, simulatedLedDisplays, servers);
    const board = new LedDigitsBoard({
      id: display.id,
      controller: display.controller,
      // An Arduino reset by the port opening announces itself; a virtual one is asked at once.
      io: firmataIoFactory({ transport, reportVersionTimeoutMs: io.type === "simulated" ? 10 : 5000 }),
      ...(display.address !== undefined ? { address: display.address } : {}),
      ...(display.pins ? { pins: display.pins } : {}),
      ...(display.digits !== undefined ? { digits: display.digits } : {}),
      health: healthSinkFor(health, display.id, "board"),
      clock,
      blinkFor: config.devices.boardTexts.blinkSeconds * 1000,
    });
    ledDisplays.set(display.id, board);
    busOfBoard.set(display.id, ledDigitsBusDriver(board));
  }
  const displays = new BoardDisplays(config, queue.core);
  const simulatedBoards = new Set([
    ...config.devices.boardBuses
      .filter((b) => b.transport.type === "simulated")
      .flatMap((b) => b.boards.map((x) => x.id)),
    ...config.devices.ledDisplays.filter((d) => d.io.type === "simulated").map((d) => d.id),
  ]);
  const shown = new Map<string, ShownText>();
  const showHandlers = new Set<(board: string, shown: ShownText) => void>();
  const send = (commands: BoardCommand[]) => {
    for (const command of commands) {
      const entry = { text: command.text, blink: command.blink, since: clock() };
      shown.set(command.board, entry);
      for (const handler of showHandlers) handler(command.board, entry);
      const driver = busOfBoard.get(command.board);
      // A show that cannot go out now is remembered by the driver and sent once the board is
      // back; the board's health record and alerts say why, so nothing is logged per show.
      void driver?.show(command.board, command.text, { blink: command.blink });
      if (simulatedBoards.has(command.board))
        log?.info(
          `simulated board ${command.board} shows ${JSON.stringify(command.text)}${command.blink ? " (blinking)" : ""}`,
        );
    }
  };
  const unsubscribe = queue.onEvents((events) => send(displays.onEvents(events, clock())));
  for (const driver of drivers.values()) driver.start();
  for (const board of ledDisplays.values()) board.start();
  send(displays.all(clock()));
  return {
    displays,
    drivers,
    simulated,
    ledDisplays,
    simulatedLedDisplays,
    refresh: () => send(displays.refresh(clock())),
    shown: () => shown,
    onShow(handler) {
      showHandlers.add(handler);
      return () => showHandlers.delete(handler);
    },
    async stop() {
      unsubscribe();
      await Promise.all([...drivers.values()].map((d) => d.stop()));
      await Promise.all([...ledDisplays.values()].map((b) => b.stop()));
      for (const server of servers) await server.close();
    },
  };
}
