// A ticket printer on a device node, seen from the controller: the same TicketPrinterDriver the
// PrinterPool drives locally. The pool encodes the ticket and reserves its number before this gets
// a byte; here the bytes go to the node, which prints them with its own driver and confirmation
// barrier and says whether the ticket came out. No answer in time, or the node offline, is a
// failed print: the number is void exactly as with a local printer.
import type {
  PrinterState,
  PrinterStatusRecord,
  PrintJob,
  PrintResult,
  TicketPrinterDriver,
} from "../../device/printer/types.js";
import type { DeviceHealth } from "../health/health-board.js";

export interface RemotePrinting {
  /** Sends the job to the node and resolves with its answer, or why there is none. Never rejects. */
  print(node: string, printer: string, job: PrintJob, confirmTimeoutMs: number): Promise<PrintResult>;
}

/** A printer's state as its (mirrored) health record tells it. */
export function printerStateOf(device: DeviceHealth | undefined): PrinterState {
  if (!device || device.status === "offline") return "offline";
  if (device.status === "ok") return "ok";
  for (const fault of ["paper_out", "cover_open", "paper_low"] as const)
    if (device.faults.includes(fault)) return fault;
  return "error";
}

export class RemotePrinterDriver implements TicketPrinterDriver {
  constructor(
    readonly id: string,
    readonly node: string,
    private readonly printing: RemotePrinting,
    private readonly confirmTimeoutMs: number,
    private readonly health: () => DeviceHealth | undefined,
  ) {}

  status(): PrinterStatusRecord {
    const device = this.health();
    return { state: printerStateOf(device), raw: {}, lastSeen: device?.lastSeen ?? null };
  }

  print(job: PrintJob): Promise<PrintResult> {
    return this.printing.print(this.node, this.id, job, this.confirmTimeoutMs);
  }

  start(): void {}

  async stop(): Promise<void> {}
}
