// Bit layouts of every status reply, shared by the decoders (status.ts) and the encoders
// (status-encode.ts). Sources: docs/hardware.md; where it is silent, the manuals cited.

export type DleEotN = 1 | 2 | 3 | 4;

/** DLE EOT 1: printer status. */
export interface PrinterStatus {
  offline: boolean;
  waitingForRecovery: boolean;
  feedButton: boolean;
}
/** DLE EOT 2: offline cause. */
export interface OfflineCause {
  coverOpen: boolean;
  feedButtonFeeding: boolean;
  paperEndStop: boolean;
  error: boolean;
}
/** DLE EOT 3: error cause. */
export interface ErrorCause {
  recoverable: boolean;
  autocutter: boolean;
  unrecoverable: boolean;
  autoRecoverable: boolean;
}
/** DLE EOT 4 and GS r 1: paper roll sensors. */
export interface PaperRollStatus {
  paperNearEnd: boolean;
  paperOut: boolean;
}
export type PaperSensorFlags = PaperRollStatus;

export interface DleEotFlagsMap {
  1: PrinterStatus;
  2: OfflineCause;
  3: ErrorCause;
  4: PaperRollStatus;
}
export type DleEotFlags = DleEotFlagsMap[DleEotN];

export interface AsbFlags extends PaperRollStatus, ErrorCause {
  offline: boolean;
  coverOpen: boolean;
  feedButton: boolean;
}

export interface PresenterFlags {
  paperAbsent: boolean;
  paperNearEnd: boolean;
  /** The ticket is still in the presenter's mouth: not yet taken. */
  ticketInOutput: boolean;
  /** Extra (Custom KPM150H reference, 4th byte "user status" bit1). */
  coverOpen: boolean;
  /** Extra: any bit of the recoverable or unrecoverable error bytes (5th, 6th). */
  error: boolean;
}

export type Bits<T> = { readonly [K in keyof T]: number };

// A two-bit field (0x0C, 0x60, 0x03) is read as set when either bit is: Epson sets both, some
// clones only one, and reporting a problem that is not there is cheaper than missing one.
export const DLE_EOT_BITS: { readonly [N in DleEotN]: Bits<DleEotFlagsMap[N]> } = {
  1: { offline: 0x08, waitingForRecovery: 0x20, feedButton: 0x40 },
  2: { coverOpen: 0x04, feedButtonFeeding: 0x08, paperEndStop: 0x20, error: 0x40 },
  3: { recoverable: 0x04, autocutter: 0x08, unrecoverable: 0x20, autoRecoverable: 0x40 },
  4: { paperNearEnd: 0x0c, paperOut: 0x60 },
};
export const ASB_BITS = {
  byte1: { offline: 0x08, coverOpen: 0x20, feedButton: 0x40 },
  byte2: { recoverable: 0x04, autocutter: 0x08, unrecoverable: 0x20, autoRecoverable: 0x40 },
  byte3: { paperNearEnd: 0x03, paperOut: 0x0c },
} as const;
/**
 * GS r 1 reply (Epson TM-U220 / TM-U200 manuals, "GS r n", paper sensor status n = 1, 49;
 * identical in Bixolon's SRP-330II and SPP-R210 references): bits 0-1 near-end sensor (0x03),
 * bits 2-3 paper-end sensor (0x0C), bit4 and bit7 fixed 0, bits 5-6 reserved. Epson notes
 * the paper-end bits are rarely seen: at paper end the printer goes offline and does not
 * execute GS r until paper is loaded; the barrier then times out, which is the failure signal.
 */
export const PAPER_SENSOR_BITS: Bits<PaperSensorFlags> = { paperNearEnd: 0x03, paperOut: 0x0c };
export const PRESENTER_PAPER_BITS = { paperAbsent: 0x01, paperNearEnd: 0x04, ticketInOutput: 0x20 } as const;

export function decodeBits<T>(byte: number, bits: Bits<T>): { [K in keyof T]: boolean } {
  const out = {} as { [K in keyof T]: boolean };
  for (const key of Object.keys(bits) as (keyof T)[]) out[key] = (byte & bits[key]) !== 0;
  return out;
}

export function encodeBits<T>(flags: { [K in keyof T]?: boolean | undefined }, bits: Bits<T>): number {
  let byte = 0;
  for (const key of Object.keys(bits) as (keyof T)[]) if (flags[key]) byte |= bits[key];
  return byte;
}
