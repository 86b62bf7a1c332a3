// A device node's side of remote printing: the controller sends an encoded ticket, the node prints
// it with its own driver (and that driver's confirmation barrier) and answers whether it came out.
// A repeated requestId (QoS 1 delivers at least once) gets the first answer and prints nothing
// again. Jobs for one printer run one after the other, and a job that could not start within the
// time the controller gave it is refused rather than printed late: the controller has voided its
// number by then, and a printed void number is a ticket nobody will ever call.
import type { PrintResult, TicketPrinterDriver } from "../../device/printer/types.js";
import type { NodePrintReply, NodePrintRequest } from "../../protocols/mqtt/schemas.js";

const DEFAULT_DEDUPE_MS = 10 * 60_000;

export class NodePrintDesk {
  private readonly seen = new Map<string, { at: number; reply: Promise<NodePrintReply> }>();
  private readonly chains = new Map<string, Promise<unknown>>();

  constructor(
    private readonly printers: ReadonlyMap<string, TicketPrinterDriver>,
    private readonly clock: () => number = Date.now,
    private readonly dedupeMs = DEFAULT_DEDUPE_MS,
  ) {}

  /** The answer to a validated print request. Never rejects. */
  handle(request: NodePrintRequest): Promise<NodePrintReply> {
    const now = this.clock();
    for (const [id, entry] of this.seen) {
      if (now - entry.at < this.dedupeMs) break;
      this.seen.delete(id);
    }
    const cached = this.seen.get(request.requestId);
    if (cached) return cached.reply;
    const reply = this.run(request, now);
    this.seen.set(request.requestId, { at: now, reply });
    return reply;
  }

  private async run(request: NodePrintRequest, receivedAt: number): Promise<NodePrintReply> {
    const { requestId, printer } = request;
    const driver = this.printers.get(printer);
    if (!driver)
      return {
        requestId,
        printer,
        ok: false,
        reason: "offline",
        detail: `no printer ${printer} on this node`,
      };
    const bytes = Buffer.from(request.bytes, "base64");
    const previous = this.chains.get(printer) ?? Promise.resolve();
    const job = previous.then(async (): Promise<PrintResult> => {
      const waited = this.clock() - receivedAt;
      if (waited > request.startWithinMs)
        return {
          ok: false,
          reason: "timeout",
          detail: `printer ${printer} was busy for ${waited} ms; the job was not started (allowed ${request.startWithinMs} ms)`,
        };
      return driver.print({ id: request.job, bytes });
    });
    this.chains.set(
      printer,
      job.catch(() => {}),
    );
    let result: PrintResult;
    try {
      result = await job;
    } catch (error) {
      result = { ok: false, reason: "error", detail: `printer ${printer}: ${(error as Error).message}` };
    }
    return result.ok
      ? { requestId, printer, ok: true, confirmedBy: result.confirmedBy }
      : { requestId, printer, ok: false, reason: result.reason, detail: result.detail };
  }
}
