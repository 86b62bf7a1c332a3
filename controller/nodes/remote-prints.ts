// The controller's print requests to device nodes in flight: each waits for the node's answer, at
// most as long as the node may wait to start it plus the printer's confirm time plus a margin for
// the round trip. Whatever ends a wait first (the answer, the time, the node going offline) wins;
// a late or repeated answer changes nothing.
import { randomBytes } from "node:crypto";
import type { PrintJob, PrintResult } from "../../device/printer/types.js";
import type { NodePrintReply } from "../../protocols/mqtt/schemas.js";
import type { NodeTopics } from "../../protocols/mqtt/topics.js";
import type { MqttConnection } from "../mqtt/transport.js";

interface PendingPrint {
  node: string;
  printer: string;
  settle(result: PrintResult): void;
}

const DEFAULT_MARGIN_MS = 3000;

export class RemotePrints {
  private readonly pending = new Map<string, PendingPrint>();
  private readonly epoch = randomBytes(4).toString("hex");
  private seq = 0;

  constructor(private readonly marginMs = DEFAULT_MARGIN_MS) {}

  /** Sends the job to the node and resolves with its answer or why there is none. Never rejects. */
  send(
    connection: MqttConnection,
    topics: NodeTopics,
    node: string,
    printer: string,
    job: PrintJob,
    confirmTimeoutMs: number,
  ): Promise<PrintResult> {
    const requestId = `${this.epoch}-${++this.seq}`;
    // The node refuses a job it could not start within this, so a timed-out number is never
    // printed late; the wait covers that, the printer's own confirmation and the round trip.
    const startWithinMs = Math.round(confirmTimeoutMs);
    const waitMs = startWithinMs + confirmTimeoutMs + this.marginMs;
    return new Promise((resolve) => {
      const timer = setTimeout(
        () =>
          settle({
            ok: false,
            reason: "timeout",
            detail: `device node ${node} did not confirm the print within ${Math.round(waitMs / 1000)} s`,
          }),
        waitMs,
      );
      const settle = (result: PrintResult) => {
        if (!this.pending.delete(requestId)) return;
        clearTimeout(timer);
        resolve(result);
      };
      this.pending.set(requestId, { node, printer, settle });
      const request = {
        requestId,
        replyTo: topics.printReply,
        printer,
        job: job.id,
        bytes: Buffer.from(job.bytes).toString("base64"),
        startWithinMs,
      };
      connection
        .publish(topics.printRequest, JSON.stringify(request), { qos: 1, retain: false })
        .catch((error: Error) =>
          settle({ ok: false, reason: "offline", detail: `${node}: ${error.message}` }),
        );
    });
  }

  /** A node's answer; null when taken (or late), else why it is garbage. */
  answer(node: string, reply: NodePrintReply): string | null {
    const pending = this.pending.get(reply.requestId);
    if (!pending) return null;
    if (pending.node !== node || pending.printer !== reply.printer)
      return `reply for ${reply.printer} does not match the request`;
    pending.settle(
      reply.ok
        ? { ok: true, confirmedBy: reply.confirmedBy }
        : { ok: false, reason: reply.reason, detail: `${reply.detail} (on device node ${node})` },
    );
    return null;
  }

  /** Ends the waits on one node (null: all) as offline. */
  fail(node: string | null, detail: string): void {
    for (const pending of [...this.pending.values()])
      if (node === null || pending.node === node) pending.settle({ ok: false, reason: "offline", detail });
  }
}
