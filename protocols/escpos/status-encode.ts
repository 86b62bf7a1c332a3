// The printer's side of the status replies, for simulators: flags in, wire bytes out. Each is the
// exact inverse of its decoder in status.ts (tested by round trips). Missing flags are false.

import {
  ASB_BITS,
  type AsbFlags,
  type Bits,
  DLE_EOT_BITS,
  type DleEotFlagsMap,
  type DleEotN,
  encodeBits,
  PAPER_SENSOR_BITS,
  type PaperSensorFlags,
  PRESENTER_PAPER_BITS,
  type PresenterFlags,
} from "./bits.js";
import { isValidProcessId } from "./commands.js";

type FlagInput<T> = { [K in keyof T]?: boolean | undefined };

/** One byte with the fixed bits of every real-time status (bit1, bit4 set) plus the flags. */
export function encodeDleEot<N extends DleEotN>(n: N, flags: FlagInput<DleEotFlagsMap[N]>): Uint8Array {
  const bits = DLE_EOT_BITS[n] as Bits<DleEotFlagsMap[N]>;
  if (bits === undefined) throw new RangeError(`DLE EOT n must be 1..4, got ${String(n)}`);
  return Uint8Array.of(0x12 | encodeBits(flags, bits));
}

/** Four bytes: header `0xx1xx00`, error byte, paper byte, reserved 00. */
export function encodeAsb(flags: FlagInput<AsbFlags>): Uint8Array {
  return Uint8Array.of(
    0x10 | encodeBits(flags, ASB_BITS.byte1),
    encodeBits(flags, ASB_BITS.byte2),
    encodeBits(flags, ASB_BITS.byte3),
    0x00,
  );
}

/** `37 22 d1 d2 d3 d4 00`, sent once everything before the request has printed. */
export function encodeProcessIdReply(id: string): Uint8Array {
  if (!isValidProcessId(id)) {
    throw new RangeError(`process id must be exactly 4 characters in 0x30..0x7E, got ${JSON.stringify(id)}`);
  }
  return Uint8Array.of(0x37, 0x22, id.charCodeAt(0), id.charCodeAt(1), id.charCodeAt(2), id.charCodeAt(3), 0);
}

/** GS r 1 reply: 0x03 near end, 0x0C paper end; bits 4 and 7 stay 0. */
export function encodePaperSensorStatus(flags: FlagInput<PaperSensorFlags>): Uint8Array {
  return Uint8Array.of(encodeBits(flags, PAPER_SENSOR_BITS));
}

/**
 * DLE EOT 20 reply `10 0F paper user rec unrec`. Cover open goes to user status bit1; an error
 * is reported as the recoverable byte's bit0 (head temperature), one real cause among several.
 */
export function encodePresenterStatus(flags: FlagInput<PresenterFlags>): Uint8Array {
  return Uint8Array.of(
    0x10,
    0x0f,
    encodeBits(flags, PRESENTER_PAPER_BITS),
    flags.coverOpen ? 0x02 : 0x00,
    flags.error ? 0x01 : 0x00,
    0x00,
  );
}
