// One interface for every LED number board protocol: a new vendor's board is one new codec.

export interface ShowOptions {
  /** Blink/flash the text if the board can do it itself (Alpha); drivers emulate it otherwise. */
  blink?: boolean;
}

/** Parses what boards on a bus send back; garbage is skipped and counted. */
export interface BoardReplyParser {
  push(chunk: Uint8Array): BoardReply[];
  readonly garbage: number;
  reset(): void;
  /** Decides the held-back tail now (the line went quiet): an unfinished frame there is garbage. */
  flush?(): BoardReply[];
}

export type BoardReply =
  | { type: "ack"; address: number; function: number }
  | { type: "registers"; address: number; values: number[] }
  | { type: "exception"; address: number; function: number; code: number };

export interface BoardCodec {
  readonly protocol: string;
  /** Characters the board shows at once (4 for a four-digit module). */
  readonly width: number;
  /** The board blinks by itself when asked (Alpha); otherwise the driver emulates `blink`. */
  readonly nativeBlink?: boolean;
  /** Frames that make the board at `address` show `text` (one line; the codec fits or cuts it). */
  encodeShow(address: number, text: string, options?: ShowOptions): Uint8Array[];
  /** A frame that asks whether the board is there; null for write-only protocols. */
  encodeProbe(address: number): Uint8Array | null;
  /** Whether each frame gets a reply (Modbus: yes, except broadcast to address 0; Alpha: no). */
  expectsReply(address: number): boolean;
  newReplyParser(): BoardReplyParser;
  /** Silence the bus needs between frames (Modbus RTU: 3.5 character times, at least 2 ms). */
  interFrameGapMs(baudRate: number): number;
}
