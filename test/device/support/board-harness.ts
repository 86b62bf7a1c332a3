// A BoardBus wired to simulated boards over a transport, with small timeouts so tests stay fast,
// a recording health sink per board, and a log of what crossed the wire at the simulator.
import { SerialPortMock } from "serialport";
import { BoardBus, type BoardBusOptions } from "../../../device/boards/board-bus.js";
import type { ByteTransport } from "../../../device/transport.js";
import { serialTransport } from "../../../device/transports/serial.js";
import { tcpTransport } from "../../../device/transports/tcp.js";
import { boardCodec } from "../../../protocols/boards/index.js";
import type { BoardCodec } from "../../../protocols/boards/types.js";
import { attachBoardBusToMockPort, serveBoardBusTcp } from "../../../simulators/boards/attach.js";
import { VirtualModbusBus } from "../../../simulators/boards/modbus-bus.js";
import { type RecordingHealthSink, recordingHealthSink } from "./health.js";
import { trackingMockBinding } from "./mock-serial.js";

export const FAST_BUS = {
  replyTimeoutMs: 40,
  probeIntervalMs: 60,
  blinkMs: 30,
  blinkFor: 150,
  backoffInitialMs: 20,
  backoffMaxMs: 80,
  random: () => 0.5,
} satisfies Partial<BoardBusOptions>;

export const THREE = [
  { id: "counter-1", address: 1 },
  { id: "counter-2", address: 2 },
  { id: "counter-3", address: 3 },
];

export interface WireEvent {
  at: number;
  dir: "in" | "out";
  bytes: number[];
}

/** Something on the line: takes bytes, may answer. */
interface Device {
  receive(chunk: Uint8Array): void;
  onOutput(handler: (bytes: Uint8Array) => void): () => void;
}

/** Records every chunk the device takes ("in") and sends ("out"), with performance.now() times. */
export function logWire(device: Device): WireEvent[] {
  const events: WireEvent[] = [];
  const receive = device.receive.bind(device);
  device.receive = (chunk) => {
    events.push({ at: performance.now(), dir: "in", bytes: [...chunk] });
    receive(chunk);
  };
  device.onOutput((bytes) => events.push({ at: performance.now(), dir: "out", bytes: [...bytes] }));
  return events;
}

export function modbusBus(addresses = [1, 2, 3]): VirtualModbusBus {
  const sim = new VirtualModbusBus({ now: () => performance.now() });
  for (const address of addresses) sim.addModule(address);
  return sim;
}

export interface BusRig {
  driver: BoardBus;
  health: Map<string, RecordingHealthSink>;
  busHealth: RecordingHealthSink;
  codec: BoardCodec;
  sink(boardId: string): RecordingHealthSink;
}

export function makeBus(
  transport: ByteTransport,
  codec: BoardCodec,
  options: Partial<BoardBusOptions> = {},
): BusRig {
  const health = new Map<string, RecordingHealthSink>();
  const busHealth = recordingHealthSink();
  const driver = new BoardBus({
    id: "hall",
    transport,
    codec,
    baudRate: 9600,
    boards: THREE,
    health: (id) => {
      const sink = recordingHealthSink();
      health.set(id, sink);
      return sink;
    },
    busHealth,
    ...FAST_BUS,
    ...options,
  });
  return { driver, health, busHealth, codec, sink: (id) => health.get(id)! };
}

let mockPorts = 0;

/** VirtualModbusBus behind SerialPortMock; the driver opens it through serialTransport. */
export async function mockSerialModbusRig(sim: VirtualModbusBus, options: Partial<BoardBusOptions> = {}) {
  const path = `/dev/ttyVB${mockPorts++}`;
  const attachment = await attachBoardBusToMockPort(sim, path);
  const mock = trackingMockBinding();
  const transport = serialTransport({ path, baudRate: 9600, binding: mock.binding });
  const rig = makeBus(transport, boardCodec("modbus-7seg"), options);
  return {
    ...rig,
    mock,
    async dispose() {
      await rig.driver.stop();
      await attachment.close();
      SerialPortMock.binding.reset();
    },
  };
}

/** A device served as an RS-485-to-Ethernet gateway; the driver connects with tcpTransport. */
export async function tcpRig(device: Device, codec: BoardCodec, options: Partial<BoardBusOptions> = {}) {
  let server = await serveBoardBusTcp(device);
  const port = server.port;
  const rig = makeBus(tcpTransport({ host: "127.0.0.1", port, connectTimeoutMs: 500 }), codec, options);
  return {
    ...rig,
    port,
    /** The gateway goes away: listening socket and connection closed. */
    async dropServer() {
      await server.close();
    },
    /** A gateway is back on the same port (possibly with another device behind it). */
    async restoreServer(next: Device = device) {
      server = await serveBoardBusTcp(next, { port });
    },
    async dispose() {
      await rig.driver.stop();
      await server.close().catch(() => {});
    },
  };
}

/** Asserts the master never sent a frame before the previous one was answered, and kept the gap. */
export function checkSerialised(events: WireEvent[], gapMs: number): void {
  let lastOut = Number.NEGATIVE_INFINITY;
  let expecting = false;
  for (const event of events) {
    if (event.dir === "out") {
      lastOut = event.at;
      expecting = false;
      continue;
    }
    if (expecting) throw new Error(`frame at ${event.at.toFixed(1)} sent while the previous was unanswered`);
    // Timers may fire up to 1 ms early against performance.now(): allow that much.
    if (event.at - lastOut < gapMs - 1) {
      throw new Error(`frame ${(event.at - lastOut).toFixed(2)} ms after the last reply, gap is ${gapMs}`);
    }
    expecting = true;
  }
}
