// Entry point for LED board protocols: a board config names its protocol, this picks the codec.

import { type AlphaCodecOptions, alphaCodec } from "./alpha.js";
import { type SevenSegmentModbusOptions, sevenSegmentModbusCodec } from "./seven-segment-modbus.js";
import type { BoardCodec } from "./types.js";

export type { AlphaCodecOptions } from "./alpha.js";
export type { SevenSegmentModbusOptions } from "./seven-segment-modbus.js";
export type { BoardCodec, BoardReply, BoardReplyParser, ShowOptions } from "./types.js";

export const BOARD_PROTOCOLS = ["modbus-7seg", "alpha"] as const;
export type BoardProtocol = (typeof BOARD_PROTOCOLS)[number];

export function boardCodec(protocol: "modbus-7seg", options?: SevenSegmentModbusOptions): BoardCodec;
export function boardCodec(protocol: "alpha", options?: AlphaCodecOptions): BoardCodec;
export function boardCodec(
  protocol: BoardProtocol,
  options?: SevenSegmentModbusOptions | AlphaCodecOptions,
): BoardCodec;
export function boardCodec(
  protocol: BoardProtocol,
  options: SevenSegmentModbusOptions | AlphaCodecOptions = {},
): BoardCodec {
  switch (protocol) {
    case "modbus-7seg":
      return sevenSegmentModbusCodec(options as SevenSegmentModbusOptions);
    case "alpha":
      return alphaCodec(options as AlphaCodecOptions);
    default:
      throw new RangeError(`unknown board protocol ${JSON.stringify(protocol)}`);
  }
}
