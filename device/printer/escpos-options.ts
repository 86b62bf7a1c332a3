// Options of the ESC/POS driver and their defaults (the timing ones are small in tests).

import type { PrinterProfile } from "../../protocols/escpos/profiles.js";
import type { DeviceHealthSink } from "../health.js";
import { type SupervisionOptions, supervisionDefaults } from "../supervisor.js";
import type { ByteTransport } from "../transport.js";

export interface EscPosPrinterOptions extends SupervisionOptions {
  id: string;
  transport: ByteTransport;
  profile: PrinterProfile;
  health: DeviceHealthSink;
  /** How long the printer may take to print a ticket and answer the barrier (plus wire time). */
  barrierTimeoutMs?: number;
  statusPollMs?: number;
  /** A DLE EOT is answered at once; silence this long counts as no answer. */
  answerTimeoutMs?: number;
  /** Unanswered status queries in a row before the printer counts as unplugged. */
  maxNoAnswer?: number;
  /** Jobs allowed to wait behind the one printing. */
  maxWaiting?: number;
}

export interface PrinterStats {
  garbage: number;
  jobsOk: number;
  jobsFailed: number;
  reconnects: number;
  noAnswers: number;
}

export type EscPosPrinterSettings = Required<
  Omit<EscPosPrinterOptions, "id" | "transport" | "profile" | "health">
>;

export function withDefaults(options: EscPosPrinterOptions): EscPosPrinterSettings {
  return {
    ...supervisionDefaults(options),
    barrierTimeoutMs: options.barrierTimeoutMs ?? 8000,
    statusPollMs: options.statusPollMs ?? 5000,
    answerTimeoutMs: options.answerTimeoutMs ?? 1500,
    maxNoAnswer: options.maxNoAnswer ?? 3,
    maxWaiting: options.maxWaiting ?? 5,
  };
}
