// IT support is told at once: a journal that cannot be written raises a critical alert on MQTT and
// on the webhook, the device turns degraded, and both clear when writing works again.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { alertSchema } from "../../../protocols/mqtt/schemas.js";
import { type Harness, startHarness } from "../../support/office-harness.js";

describe("alerts", () => {
  let h: Harness | undefined;
  const servers: Array<{ close(): void }> = [];
  afterEach(async () => {
    await h?.stop();
    for (const s of servers.splice(0)) s.close();
  });

  it("journal write failure: alert and degraded device on MQTT and the webhook, then cleared", async () => {
    const bodies: unknown[] = [];
    const server = createServer((req: IncomingMessage, res) => {
      let data = "";
      req.on("data", (chunk) => (data += chunk));
      req.on("end", () => {
        bodies.push(JSON.parse(data));
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    servers.push(server);
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    h = await startHarness({ config: { alerts: { webhook: { url } } } });
    const w = await h.watch();
    const client = await h.client();

    // The disk fills up: appends fail.
    const journal = (h.office.queue as unknown as { journal: { append(records: unknown[]): void } }).journal;
    const append = journal.append.bind(journal);
    journal.append = () => {
      throw new Error("ENOSPC: no space left on device, write");
    };
    const refused = await client.request({ scope: "desk", verb: "issue" }, { service: "pensions" });
    expect(refused).toMatchObject({ ok: false, error: { code: "JOURNAL_UNAVAILABLE" } });
    const raised = await w.waitFor((m) => m.topic === `${h?.base}alerts/journal` && m.payload.length > 0);
    expect(alertSchema.parse(JSON.parse(raised.payload.toString()))).toMatchObject({
      severity: "critical",
      device: "journal",
      code: "JOURNAL_UNAVAILABLE",
    });
    const degraded = await w.waitFor(
      (m) =>
        m.topic === `${h?.base}devices/journal` && JSON.parse(m.payload.toString()).status === "degraded",
    );

    // Space again: the next command works and everything clears.
    journal.append = append;
    expect((await client.request({ scope: "desk", verb: "issue" }, { service: "pensions" })).ok).toBe(true);
    await w.waitFor(
      (m) => m.topic === `${h?.base}alerts/journal` && m.payload.length === 0 && m.retain === false,
    );
    const after = (m: { topic: string }) => w.messages.indexOf(m as never) > w.messages.indexOf(degraded);
    await w.waitFor(
      (m) =>
        m.topic === `${h?.base}devices/journal` &&
        after(m) &&
        JSON.parse(m.payload.toString()).status === "ok",
    );
    for (let waited = 0; bodies.length < 2 && waited < 5000; waited += 25)
      await new Promise((r) => setTimeout(r, 25));
    expect(bodies).toMatchObject([
      {
        event: "raised",
        office: "test",
        alert: { code: "JOURNAL_UNAVAILABLE", device: "journal", severity: "critical" },
      },
      { event: "cleared", office: "test", alert: { code: "JOURNAL_UNAVAILABLE" } },
    ]);
    // The number that could not be written was never handed out: the next one is A001.
    expect(h.office.queue.core.openTickets().map((t) => t.number)).toEqual(["A001"]);
  });
});
