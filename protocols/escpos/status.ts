// Status bytes a printer sends back, decoded to flags, and a printer state derived from them.
// Bit layouts: docs/hardware.md; where it is silent, the Epson ESC/POS manuals
// (DLE EOT, GS a, GS r) and Custom's ESC/POS emulation reference (DLE EOT 20) as cited below.
// Bit tables and types live in bits.ts, encoders for simulators in status-encode.ts; both are
// re-exported here so that callers import one module.

import {
  ASB_BITS,
  type AsbFlags,
  type Bits,
  DLE_EOT_BITS,
  type DleEotFlags,
  type DleEotFlagsMap,
  type DleEotN,
  decodeBits,
  type ErrorCause,
  type OfflineCause,
  PAPER_SENSOR_BITS,
  type PaperRollStatus,
  type PaperSensorFlags,
  PRESENTER_PAPER_BITS,
  type PresenterFlags,
  type PrinterStatus,
} from "./bits.js";

export * from "./bits.js";
export { isValidProcessId } from "./commands.js";
export * from "./status-encode.js";

/** DLE EOT reply byte: bits 1 and 4 set, bits 0 and 7 clear (0x12 = online, nothing wrong). */
export function isRealtimeStatusByte(b: number): boolean {
  return (b & 0x93) === 0x12;
}

/** First ASB byte, `0xx1xx00`: bit4 set, bits 0, 1 and 7 clear. */
export function isAsbHeader(b: number): boolean {
  return (b & 0x93) === 0x10;
}

/** Decodes the bits only; whether `byte` is a status byte at all is the parser's business. */
export function decodeDleEot<N extends DleEotN>(n: N, byte: number): DleEotFlagsMap[N] {
  const bits = DLE_EOT_BITS[n] as Bits<DleEotFlagsMap[N]>;
  if (bits === undefined) throw new RangeError(`DLE EOT n must be 1..4, got ${String(n)}`);
  return decodeBits(byte, bits) as DleEotFlagsMap[N];
}

export function decodeAsb(bytes: ArrayLike<number>): AsbFlags {
  if (bytes.length < 4) throw new RangeError(`ASB is 4 bytes, got ${bytes.length}`);
  return {
    ...decodeBits(bytes[0] ?? 0, ASB_BITS.byte1),
    ...decodeBits(bytes[1] ?? 0, ASB_BITS.byte2),
    ...decodeBits(bytes[2] ?? 0, ASB_BITS.byte3),
  };
}

export function decodePaperSensorStatus(byte: number): PaperSensorFlags {
  return decodeBits(byte, PAPER_SENSOR_BITS);
}

/**
 * DLE EOT 20 reply `10 0F paper user rec unrec` (Custom KPM150H ESC/POS emulation reference,
 * "n=20: FULL status"): paper byte bit0 paper absent, bit2 near end, bit5 ticket in output.
 */
export function decodePresenterStatus(bytes: ArrayLike<number>): PresenterFlags {
  if (bytes.length < 6 || bytes[0] !== 0x10 || bytes[1] !== 0x0f) {
    throw new RangeError("presenter status is 6 bytes starting 10 0F");
  }
  return {
    ...decodeBits(bytes[2] ?? 0, PRESENTER_PAPER_BITS),
    coverOpen: ((bytes[3] ?? 0) & 0x02) !== 0,
    error: (bytes[4] ?? 0) !== 0 || (bytes[5] ?? 0) !== 0,
  };
}

/** What every decoder boils down to; undefined = this reply says nothing about it. */
export interface StatusFlags {
  offline?: boolean;
  coverOpen?: boolean;
  paperOut?: boolean;
  paperNearEnd?: boolean;
  /** Any error cause: recoverable, autocutter, unrecoverable, auto-recoverable. */
  error?: boolean;
}

export type PrinterState = "ok" | "paper_low" | "paper_out" | "cover_open" | "offline" | "error";

/**
 * The cause, not the symptom: an open cover or paper end also makes the printer offline and
 * sets the DLE EOT 2 error-free offline bit, so "offline" is reported only when nothing explains it.
 */
export function printerStateOf(flags: StatusFlags): PrinterState {
  if (flags.coverOpen) return "cover_open";
  if (flags.paperOut) return "paper_out";
  if (flags.error) return "error";
  if (flags.offline) return "offline";
  if (flags.paperNearEnd) return "paper_low";
  return "ok";
}

const FLAG_KEYS = ["offline", "coverOpen", "paperOut", "paperNearEnd", "error"] as const;

/**
 * Combines partial views of one moment (e.g. DLE EOT 1..4 polled together): a flag is true if
 * any part says so, false if some part says false and none true, absent if no part mentions it.
 * To let a newer reading replace an older one, spread instead: `{ ...old, ...fresh }`.
 */
export function mergeFlags(...parts: StatusFlags[]): StatusFlags {
  const out: StatusFlags = {};
  for (const part of parts) {
    for (const key of FLAG_KEYS) {
      const v = part[key];
      if (v !== undefined) out[key] = (out[key] ?? false) || v;
    }
  }
  return out;
}

/**
 * StatusFlags of one DLE EOT reply. DLE EOT 2 bit5 set means paper out, but clear does not mean
 * paper present (the stop at paper end is configurable), so it only ever contributes `true`.
 */
export function dleEotStatusFlags<N extends DleEotN>(n: N, flags: DleEotFlagsMap[N]): StatusFlags;
export function dleEotStatusFlags(n: DleEotN, flags: DleEotFlags): StatusFlags {
  switch (n) {
    case 1:
      return { offline: (flags as PrinterStatus).offline };
    case 2: {
      const f = flags as OfflineCause;
      return { coverOpen: f.coverOpen, error: f.error, ...(f.paperEndStop ? { paperOut: true } : {}) };
    }
    case 3: {
      const f = flags as ErrorCause;
      return { error: f.recoverable || f.autocutter || f.unrecoverable || f.autoRecoverable };
    }
    case 4: {
      const f = flags as PaperRollStatus;
      return { paperNearEnd: f.paperNearEnd, paperOut: f.paperOut };
    }
  }
}

export function asbStatusFlags(f: AsbFlags): StatusFlags {
  return {
    offline: f.offline,
    coverOpen: f.coverOpen,
    paperOut: f.paperOut,
    paperNearEnd: f.paperNearEnd,
    error: f.recoverable || f.autocutter || f.unrecoverable || f.autoRecoverable,
  };
}

export function presenterStatusFlags(f: PresenterFlags): StatusFlags {
  return { paperOut: f.paperAbsent, paperNearEnd: f.paperNearEnd, coverOpen: f.coverOpen, error: f.error };
}
