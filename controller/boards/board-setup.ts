// LED board buses from the configuration, fed by BoardDisplays: every committed batch of queue
// events becomes board writes within the same turn of the event loop. A led display (MAX7219 /
// HT16K33) is driven on its own by a LedDigitsBoard through johnny-five and firmata-io. A
// "simulated" bus or display is driven by the same drivers over a transport the demo composition
// hands in (virtual boards behind loopback TCP).
import { BoardBus } from "../../device/boards/board-bus.js";
import { firmataIoFactory } from "../../device/boards/firmata-io.js";
import { LedDigitsBoard, ledDigitsBusDriver } from "../../device/boards/led-digits-board.js";
import type { BoardBusDriver } from "../../device/boards/types.js";
import type { ByteTransport } from "../../device/transport.js";
import { SERIAL_REOPEN_CAP_MS, serialTransport } from "../../device/transports/serial.js";
import { tcpTransport } from "../../device/transports/tcp.js";
import { boardCodec } from "../../protocols/boards/index.js";
import type { OfficeConfig } from "../config/schema.js";
import { SetupError, simulatedWithoutDemo } from "../config/setup-error.js";
import type { HealthBoard } from "../health/health-board.js";
import { healthSinkFor } from "../health/health-sink.js";
import type { DurableQueue } from "../queue/durable-queue.js";
import { type BoardCommand, BoardDisplays } from "./board-display.js";
import type { BoardBusConfig, LedDisplayConfig } from "./board-schema.js";

/**
 * The boards of transport or io "simulated": driven by the real drivers over transports the demo
 * composition (demo/) hands in, with the virtual boards behind them.
 */
export interface SimulatedBoards {
  connectBoardBus(config: LocalBoardBusConfig): Promise<ByteTransport>;
  connectLedDisplay(config: LedDisplayConfig): Promise<ByteTransport>;
}

export interface BoardSetup {
  displays: BoardDisplays;
  drivers: Map<string, BoardBus>;
  /** Led displays by id, each with its own driver. */
  ledDisplays: Map<string, LedDigitsBoard>;
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
  simulated?: SimulatedBoards,
): Promise<BoardBus> {
  const t = busConfig.transport;
  if (t.type === "node")
    throw new SetupError("NOT_ON_THIS_MACHINE", `board bus ${busConfig.id} is on device node ${t.node}`);
  let transport: ByteTransport;
  if (t.type === "serial")
    transport = serialTransport({
      path: t.path,
      baudRate: t.baudRate,
      // Alpha signs speak 7E1 by default; Modbus RTU modules 8N1.
      ...(busConfig.protocol === "alpha" ? { dataBits: 7 as const, parity: "even" as const } : {}),
    });
  else if (t.type === "tcp") transport = tcpTransport({ host: t.host, port: t.port });
  else if (simulated) transport = await simulated.connectBoardBus(busConfig);
  else throw simulatedWithoutDemo("board bus", busConfig.id);
  return new BoardBus({
    id: busConfig.id,
    transport,
    codec: boardCodec(busConfig.protocol),
    baudRate: t.type === "serial" ? t.baudRate : busConfig.protocol === "alpha" ? ALPHA_BAUD : 9600,
    boards: busConfig.boards.map((b) => ({ id: b.id, address: b.address })),
    health: (boardId) =>
      healthSinkFor(health, boardId, "board", `on bus ${busConfig.id}, ${transport.description}`),
    busHealth: healthSinkFor(health, busConfig.id, "board_bus", transport.description),
    clock,
    blinkFor: blinkMs,
    ...(t.type === "serial" && t.localEcho ? { localEcho: true } : {}),
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
  /** Buses with transport `node`; required when the config has any. */
  remote?: RemoteBoardBuses;
  /** Buses and displays that are `simulated`; required when the config has any. */
  simulated?: SimulatedBoards;
}): Promise<BoardSetup> {
  const { config, queue, health, clock, simulated } = options;
  const drivers = new Map<string, BoardBus>();
  const busOfBoard = new Map<string, BoardBus | BoardBusDriver>();
  const ledDisplays = new Map<string, LedDigitsBoard>();
  for (const busConfig of config.devices.boardBuses) {
    // A bus on a device node: the node shows what boards/{board} says; its health comes from there.
    if (busConfig.transport.type === "node") {
      if (!options.remote)
        throw new SetupError(
          "NODE_WITHOUT_HUB",
          `board bus ${busConfig.id} is on a device node, and no node hub runs`,
        );
      options.remote.remoteBoardBus(busConfig);
      continue;
    }
    const blinkMs = config.devices.boardTexts.blinkSeconds * 1000;
    const driver = await createLocalBoardBus(busConfig, health, clock, blinkMs, simulated);
    drivers.set(busConfig.id, driver);
    for (const board of busConfig.boards) busOfBoard.set(board.id, driver);
  }
  for (const display of config.devices.ledDisplays) {
    const io = display.io;
    let transport: ByteTransport;
    if (io.type === "firmata") transport = serialTransport({ path: io.path, baudRate: io.baudRate });
    else if (simulated) transport = await simulated.connectLedDisplay(display);
    else throw simulatedWithoutDemo("led display", display.id);
    const board = new LedDigitsBoard({
      id: display.id,
      controller: display.controller,
      // An Arduino reset by the port opening announces itself; a virtual one is asked at once.
      io: firmataIoFactory({
        transport,
        reportVersionTimeoutMs: io.type === "simulated" ? 10 : io.versionWaitMs,
      }),
      ...(display.address !== undefined ? { address: display.address } : {}),
      ...(display.pins ? { pins: display.pins } : {}),
      ...(display.digits !== undefined ? { digits: display.digits } : {}),
      health: healthSinkFor(health, display.id, "board"),
      clock,
      blinkFor: config.devices.boardTexts.blinkSeconds * 1000,
      // Replugged, it is back within seconds (its transport is inside the Firmata IO).
      backoffMaxMs: SERIAL_REOPEN_CAP_MS,
    });
    ledDisplays.set(display.id, board);
    busOfBoard.set(display.id, ledDigitsBusDriver(board));
  }
  const displays = new BoardDisplays(config, queue.core);
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
    }
  };
  const unsubscribe = queue.onEvents((events) => send(displays.onEvents(events, clock())));
  for (const driver of drivers.values()) driver.start();
  for (const board of ledDisplays.values()) board.start();
  send(displays.all(clock()));
  return {
    displays,
    drivers,
    ledDisplays,
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
    },
  };
}
