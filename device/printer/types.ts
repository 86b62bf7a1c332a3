// What the controller asks of a ticket printer driver.

export type PrinterState = "ok" | "paper_low" | "paper_out" | "cover_open" | "offline" | "error";

export interface PrinterStatusRecord {
  state: PrinterState;
  /** Raw status bytes last read (DLE EOT 1-4, ASB), kept for the health record. */
  raw: Record<string, number[]>;
  lastSeen: number | null;
}

export type PrintResult =
  | { ok: true; confirmedBy: "process_id" | "gs_r" }
  | { ok: false; reason: PrintFailure; detail: string };

export type PrintFailure = "offline" | "paper_out" | "cover_open" | "error" | "timeout" | "busy";

export interface PrintJob {
  /** 4 ASCII characters for GS ( H process id (e.g. "0042"); unique among recent jobs. */
  id: string;
  /** The ticket, already encoded (initialise ... cut), without the barrier: the driver adds it. */
  bytes: Uint8Array;
}

export interface TicketPrinterDriver {
  readonly id: string;
  status(): PrinterStatusRecord;
  /** Sends the job, then the barrier; resolves when the printer confirmed it, or why not. Never rejects. */
  print(job: PrintJob): Promise<PrintResult>;
  start(): void;
  stop(): Promise<void>;
}
