// Options of the board bus driver and their defaults (the timing ones are small in tests).

import type { BoardCodec } from "../../protocols/boards/types.js";
import type { DeviceHealthSink } from "../health.js";
import { type SupervisionOptions, supervisionDefaults } from "../supervisor.js";
import type { ByteTransport } from "../transport.js";

export interface BoardOnBus {
  id: string;
  address: number;
}

export interface BoardBusOptions extends SupervisionOptions {
  id: string;
  transport: ByteTransport;
  codec: BoardCodec;
  /** The bus speed: the codec's inter-frame gap and the wire time of a frame depend on it. */
  baudRate: number;
  boards: BoardOnBus[];
  /** One sink per board: each board is its own device in health and alerts. */
  health: (boardId: string) => DeviceHealthSink;
  /** The bus itself (BOARD_BUS_OFFLINE); without it the first board's sink carries that alert. */
  busHealth?: DeviceHealthSink;
  /** How long a board that answers (Modbus) may take to answer one frame. */
  replyTimeoutMs?: number;
  /** Offline boards, and boards idle this long, are probed this often. */
  probeIntervalMs?: number;
  /** Emulated blink: blank/text half period. */
  blinkMs?: number;
  /** How long a call blinks before the text stays steady. */
  blinkFor?: number;
  /** Misses in a row before a board counts as offline. */
  maxMisses?: number;
  /** The adapter hears its own transmission (RS-485 without automatic direction control). */
  localEcho?: boolean;
  /** Whether the board flashes by itself; default: the codec's nativeBlink, else whether a blinking frame differs. */
  nativeBlink?: boolean;
}

export interface BoardBusStats {
  /** Frames written to the bus. */
  frames: number;
  /** Replies that answered a frame. */
  replies: number;
  /** Frames that got no reply in time (also those answered by garbage only). */
  timeouts: number;
  /** What the reply parser skipped as garbage. */
  garbage: number;
  /** Frames whose own echo came back and was dropped (localEcho). */
  echoed: number;
  reconnects: number;
}

export type BoardBusSettings = Required<
  Omit<BoardBusOptions, "id" | "transport" | "codec" | "baudRate" | "boards" | "health" | "busHealth">
>;

export function withDefaults(options: BoardBusOptions): BoardBusSettings {
  return {
    ...supervisionDefaults(options),
    replyTimeoutMs: options.replyTimeoutMs ?? 200,
    probeIntervalMs: options.probeIntervalMs ?? 8_000,
    blinkMs: options.blinkMs ?? 500,
    blinkFor: options.blinkFor ?? 5000,
    maxMisses: options.maxMisses ?? 3,
    localEcho: options.localEcho ?? false,
    nativeBlink:
      options.nativeBlink ??
      options.codec.nativeBlink ??
      blinksNatively(options.codec, options.boards[0]?.address ?? 1),
  };
}

/** A codec that can flash encodes a blinking show differently (Alpha: flash mode); one that cannot ignores it. */
function blinksNatively(codec: BoardCodec, address: number): boolean {
  const flat = (frames: Uint8Array[]) => frames.map((f) => Buffer.from(f).toString("hex")).join("|");
  return flat(codec.encodeShow(address, "8", { blink: true })) !== flat(codec.encodeShow(address, "8", {}));
}
