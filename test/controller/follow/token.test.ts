// The follow page's token: unguessable (96 random bits, base64url), one per ticket, kept in the
// journal across a restart, a reissue's own, and the old one leading to the new ticket; never in
// what the office publishes on MQTT.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FollowLookup } from "../../../controller/follow/follow-status.js";
import { newFollowToken, TOKEN_PATTERN } from "../../../controller/follow/token.js";
import { HealthBoard } from "../../../controller/health/health-board.js";
import { memoryLogger } from "../../../controller/health/log.js";
import { contractTicketById, openTickets } from "../../../controller/mqtt/contract-views.js";
import type { PrintService } from "../../../controller/printing/print-service.js";
import { DurableQueue } from "../../../controller/queue/durable-queue.js";
import { QueueService } from "../../../controller/queue/queue-service.js";
import { officeConfig, T0 } from "../../support/office.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const printing: PrintService = { has: () => true, print: async () => ({ ok: true, printer: "p" }) };

function office() {
  const dataDir = mkdtempSync(join(tmpdir(), "vooru-token-"));
  dirs.push(dataDir);
  const config = officeConfig({ journal: { dataDir } });
  const log = memoryLogger();
  const open = () => {
    const queue = DurableQueue.open({ config, dataDir, clock: () => T0, log });
    const service = new QueueService(queue, printing, new HealthBoard(() => T0), log);
    return { queue, service };
  };
  return { dataDir, open };
}

async function issue(service: QueueService, serviceId = "pensions"): Promise<string> {
  const result = await service.run({ scope: "desk", verb: "issue" }, { service: serviceId });
  if (!result.ok) throw new Error(result.error.message);
  return (result.result.ticket as { id: string }).id;
}

describe("follow tokens", () => {
  it("are 96 random bits as 16 base64url characters, and never repeat", () => {
    const tokens = Array.from({ length: 5000 }, newFollowToken);
    for (const t of tokens) {
      expect(t).toMatch(TOKEN_PATTERN);
      expect(t).toHaveLength(16);
      expect(Buffer.from(t, "base64url")).toHaveLength(12);
    }
    expect(new Set(tokens).size).toBe(tokens.length);
    // Loosely: every bit position is about half ones (a stuck bit or a counter would fail this).
    const ones = new Array(96).fill(0) as number[];
    for (const t of tokens) {
      const bytes = Buffer.from(t, "base64url");
      for (let bit = 0; bit < 96; bit++)
        if ((bytes[bit >> 3] as number) & (1 << (bit & 7))) ones[bit] = (ones[bit] as number) + 1;
    }
    for (const n of ones) expect(Math.abs(n / tokens.length - 0.5)).toBeLessThan(0.05);
  });

  it("each issued ticket has its own token, kept in the journal, and it survives a restart", async () => {
    for (const snapshot of [false, true]) {
      const o = office();
      let { queue, service } = o.open();
      await service.run({ scope: "counter", counter: "1", verb: "open" }, {});
      const ids = [await issue(service), await issue(service), await issue(service, "benefits")];
      const tokens = ids.map((id) => queue.core.ticket(id)?.token as string);
      for (const t of tokens) expect(t).toMatch(TOKEN_PATTERN);
      expect(new Set(tokens).size).toBe(3);
      const journal = readdirSync(o.dataDir, { recursive: true, encoding: "utf8" })
        .filter((f) => f.endsWith(".jsonl"))
        .map((f) => readFileSync(join(o.dataDir, f), "utf8"))
        .join("");
      for (const t of tokens) expect(journal).toContain(`"token":"${t}"`);
      if (snapshot) queue.snapshot();
      queue.close();
      ({ queue, service } = o.open());
      const lookup = new FollowLookup(queue.core);
      for (const [i, t] of tokens.entries()) {
        expect(queue.core.ticket(ids[i] as string)?.token).toBe(t);
        expect(lookup.status(t)).toMatchObject({
          state: "waiting",
          number: queue.core.ticket(ids[i] as string)?.number,
        });
      }
      queue.close();
    }
  });

  it("a reissued ticket gets its own token, and the old token leads to the new ticket", async () => {
    const { queue, service } = office().open();
    const old = await issue(service);
    const oldToken = queue.core.ticket(old)?.token as string;
    const reissued = await service.run(
      { scope: "desk", verb: "reissue" },
      { ticket: old, service: "benefits", reason: "wrong_service" },
    );
    expect(reissued.ok).toBe(true);
    const fresh = queue.core.ticket(old)?.reissuedAs as string;
    const newToken = queue.core.ticket(fresh)?.token as string;
    expect(newToken).toMatch(TOKEN_PATTERN);
    expect(newToken).not.toBe(oldToken);
    const lookup = new FollowLookup(queue.core);
    expect(lookup.status(oldToken)).toMatchObject({ state: "waiting", number: "B001", reissuedFrom: "A001" });
    expect(lookup.status(newToken)).toMatchObject({ state: "waiting", number: "B001" });
    expect(lookup.status(newToken).reissuedFrom).toBeUndefined();
    expect(lookup.status(newFollowToken())).toEqual({ state: "invalid" });
    queue.close();
  });

  it("is in no payload the office publishes on MQTT", async () => {
    const { queue, service } = office().open();
    const id = await issue(service);
    const token = queue.core.ticket(id)?.token as string;
    expect(JSON.stringify(contractTicketById(queue.core, id))).not.toContain(token);
    expect(JSON.stringify(openTickets(queue.core))).not.toContain(token);
    queue.close();
  });
});
