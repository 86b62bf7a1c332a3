// The audit trail as the desk and the manager read it: staff act as themselves over MQTT, the
// broker vouches for who they are, and desk/request/audit, `vooru report --audit` and the figures
// by staff say who did what, when and why.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "../../../controller/cli/main.js";
import { memoryLogger } from "../../../controller/health/log.js";
import type { ContractClient } from "../../../controller/mqtt/contract-client.js";
import type { MqttUser } from "../../../controller/mqtt/mqtt-schema.js";
import type { QueueEvent } from "../../../controller/queue/core/types.js";
import { AuditFold } from "../../../controller/stats/audit-trail.js";
import type { AuditPayload } from "../../../protocols/mqtt/stats-schemas.js";
import { type Harness, startHarness } from "../../support/office-harness.js";

const USERS: MqttUser[] = [
  { username: "desk", password: "desk-password", role: "desk" },
  { username: "desk2", password: "desk2-password", role: "desk" },
  { username: "counter1", password: "counter1-password", role: "counter", counter: "1" },
  { username: "monitor", password: "monitor-password", role: "monitor" },
];

let h: Harness;
let dataDir: string;
const clients = new Map<string, ContractClient>();
let today: string;

async function as(username: string) {
  let client = clients.get(username);
  if (!client) {
    client = await h.client({ username, password: `${username}-password` });
    clients.set(username, client);
  }
  return client;
}

async function ok(username: string, target: Parameters<ContractClient["request"]>[0], args = {}) {
  const reply = await (await as(username)).request(target, args);
  if (!reply.ok) throw new Error(`${username} ${target.verb}: ${JSON.stringify(reply)}`);
  return reply.result as Record<string, unknown>;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "vooru-audit-"));
  h = await startHarness({
    config: {
      journal: { dataDir },
      mqtt: {
        embedded: { host: "127.0.0.1", port: 0, httpPort: 0, allowAnonymousLoopback: false },
        users: USERS,
      },
    },
  });
  for (let i = 0; i < 3; i++) await ok("desk", { scope: "desk", verb: "issue" }, { service: "pensions" });
  await ok("counter1", { scope: "counter", counter: "1", verb: "open" });
  await ok("counter1", { scope: "counter", counter: "1", verb: "call_next" });
  await ok("counter1", { scope: "counter", counter: "1", verb: "no_show" });
  await ok(
    "desk2",
    { scope: "desk", verb: "cancel" },
    { ticket: "A002", reason: "duplicate", note: "asked twice" },
  );
  await ok(
    "desk",
    { scope: "desk", verb: "reissue" },
    { ticket: "A003", service: "benefits", reason: "wrong_service" },
  );
  const status = h.office.queue.core.view;
  today = [...status.tickets.values()][0]?.id.slice(0, 10) ?? "";
});

afterAll(async () => {
  for (const client of clients.values()) await client.close();
  await h?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("the audit trail", () => {
  it("answers the desk with who did what, when and why; the note stays off MQTT", async () => {
    const trail = (await ok(
      "desk",
      { scope: "desk", verb: "audit" },
      { from: today, to: today },
    )) as AuditPayload;
    expect(trail.truncated).toBe(false);
    expect(trail.rows.map(({ at: _at, ...row }) => row)).toEqual([
      { day: today, action: "no_show", ticket: "A001", service: "pensions", by: "counter1", counter: "1" },
      {
        day: today,
        action: "cancelled",
        ticket: "A002",
        service: "pensions",
        by: "desk2",
        reason: "duplicate",
      },
      {
        day: today,
        action: "reissued",
        ticket: "A003",
        service: "pensions",
        by: "desk",
        reason: "wrong_service",
        to: "B001",
      },
    ]);
    expect(JSON.stringify(trail)).not.toContain("asked twice");
  });

  it("filters by user and action; calls when asked for", async () => {
    const mine = (await ok(
      "desk",
      { scope: "desk", verb: "audit" },
      { from: today, to: today, user: "desk2" },
    )) as AuditPayload;
    expect(mine.rows.map((r) => [r.action, r.ticket])).toEqual([["cancelled", "A002"]]);
    const calls = (await ok(
      "desk",
      { scope: "desk", verb: "audit" },
      {
        from: today,
        to: today,
        actions: ["called"],
      },
    )) as AuditPayload;
    expect(calls.rows.map((r) => [r.action, r.ticket, r.by, r.counter])).toEqual([
      ["called", "A001", "counter1", "1"],
    ]);
  });

  it("is the desk's: a counter or monitor user is refused by the broker", async () => {
    const reply = await (await as("monitor")).request(
      { scope: "desk", verb: "audit" },
      { from: today, to: today },
    );
    expect(reply).toMatchObject({ ok: false, error: { code: "UNAUTHORIZED" } });
  });

  it("refuses a range longer than a month over MQTT, naming why", async () => {
    const reply = await (await as("desk")).request(
      { scope: "desk", verb: "audit" },
      { from: "2026-01-01", to: "2026-03-01" },
    );
    expect(reply).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED" } });
    if (!reply.ok) expect(reply.error.message).toContain("at most 31 days");
  });

  it("is in `vooru report --audit`, with the journal-only note, and the figures by staff", async () => {
    const run = async (args: string[]) => {
      const lines: string[] = [];
      const spy = vi
        .spyOn(console, "log")
        .mockImplementation((line: unknown) => void lines.push(String(line)));
      try {
        return {
          code: await main(["report", "--data-dir", dataDir, "--from", today, ...args], memoryLogger()),
          out: lines.join("\n"),
        };
      } finally {
        spy.mockRestore();
      }
    };
    const json = await run(["--audit", "--json"]);
    expect(json.code).toBe(0);
    const rows = (JSON.parse(json.out) as AuditPayload & { rows: Array<{ note?: string }> }).rows;
    expect(rows.find((r) => r.action === "cancelled")).toMatchObject({ by: "desk2", note: "asked twice" });
    const text = await run(["--audit", "--user", "counter1"]);
    expect(text.out).toMatch(/no_show\s+A001\s+by counter1\s+at counter 1/);
    const staff = await run(["--by", "staff", "--json"]);
    const keys = (JSON.parse(staff.out) as { groups: { staff: Array<{ key: string }> } }).groups.staff.map(
      (g) => g.key,
    );
    expect(keys).toEqual(expect.arrayContaining(["counter1", "desk", "desk2"]));
  });
});

describe("AuditFold", () => {
  const event = (seq: number, body: Record<string, unknown>) =>
    ({ seq, ts: 1_000 * seq, ...body }) as QueueEvent;
  it("tells a reissue's cancel from a plain cancel and skips the controller's own no-shows", () => {
    const fold = new AuditFold({ from: "2026-12-07", to: "2026-12-07" });
    const reserved = (seq: number, ticket: string, number: string, reissuedFrom?: string) =>
      event(seq, {
        type: "ticket_reserved",
        ticket,
        number,
        numeric: seq,
        service: "s",
        priority: 0,
        arrivedAt: 0,
        ...(reissuedFrom ? { reissuedFrom } : {}),
      });
    const events = [
      event(1, { type: "day_started", day: "2026-12-07" }),
      reserved(2, "t1", "A001"),
      reserved(3, "t2", "A002"),
      event(4, { type: "ticket_cancelled", ticket: "t1", reason: "duplicate", by: "d" }),
      event(5, { type: "ticket_cancelled", ticket: "t2", reason: "wrong_service", by: "d" }),
      reserved(6, "t3", "B001", "t2"),
      event(7, { type: "ticket_no_show", ticket: "t3", automatic: true }),
    ];
    for (const e of events) fold.apply(e, "2026-12-07");
    expect(fold.finish().map((r) => [r.action, r.ticket, r.reason, r.to])).toEqual([
      ["cancelled", "A001", "duplicate", undefined],
      ["reissued", "A002", "wrong_service", "B001"],
    ]);
  });
});
