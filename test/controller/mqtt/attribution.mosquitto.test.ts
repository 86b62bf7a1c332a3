// Through a real Mosquitto running the generated ACL, as an office in production: requests are
// attributed by their by/{username}/ topic (Mosquitto lets each user write only its own), and a
// reply never goes where the requester could not write (issue #19's probe with counter1).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryLogger } from "../../../controller/health/log.js";
import { ContractClient } from "../../../controller/mqtt/contract-client.js";
import { connectMqtt, type MqttConnection, type MqttMessage } from "../../../controller/mqtt/transport.js";
import type { QueueEvent } from "../../../controller/queue/core/types.js";
import { type DemoOffice, startDemoOffice } from "../../../demo/demo-office.js";
import { CONTROLLER, startOfficeBroker } from "../../support/bridged-offices.js";
import { freePort, mosquittoAvailable, type RunningMosquitto } from "../../support/mosquitto.js";
import { officeConfig } from "../../support/office.js";

const USERS = [
  { username: "desk2", password: "desk2-secret", role: "desk" },
  { username: "counter1", password: "counter1-secret", role: "counter", counter: "1" },
] as const;

describe.skipIf(!mosquittoAvailable())("attribution through Mosquitto's generated ACL", () => {
  let broker: RunningMosquitto;
  let office: DemoOffice;
  let url: string;
  const events: QueueEvent[] = [];
  const cleanups: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    const port = await freePort();
    url = `mqtt://127.0.0.1:${port}`;
    const dataDir = mkdtempSync(join(tmpdir(), "vooru-attribution-"));
    const config = officeConfig({
      journal: { dataDir },
      mqtt: {
        broker: { url, ...CONTROLLER, protocolVersion: 5 },
        users: USERS.map((u) => ({ ...u })),
      },
    } as never);
    broker = await startOfficeBroker(config, port, dataDir);
    office = await startDemoOffice({ config, log: memoryLogger(), version: "test" });
    await office.bridge.ready;
    office.queue.onEvents((batch) => events.push(...batch));
  });

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    await office?.stop();
    await broker?.stop();
  });

  async function raw(user: (typeof USERS)[number]) {
    const connection: MqttConnection = connectMqtt({
      url,
      ...user,
      protocolVersion: 4,
      reconnectPeriodMs: 0,
    });
    cleanups.push(() => connection.end(true));
    const messages: MqttMessage[] = [];
    connection.onMessage((m) => messages.push(m));
    await new Promise<void>((resolve) => connection.onConnect(() => resolve()));
    await connection.subscribe([`${office.bridge.topics.base}#`], 1);
    return { connection, messages };
  }

  it("attributes desk2's requests to desk2 in the journal", async () => {
    const desk2 = ContractClient.connect({ url, office: "test", ...USERS[0], protocolVersion: 5 });
    cleanups.push(() => desk2.close());
    const issued = await desk2.request({ scope: "desk", verb: "issue" }, { service: "pensions" });
    expect(issued).toMatchObject({ ok: true });
    const cancelled = await desk2.request(
      { scope: "desk", verb: "cancel" },
      { ticket: "A001", reason: "duplicate" },
    );
    expect(cancelled).toMatchObject({ ok: true });
    expect(events.find((e) => e.type === "ticket_cancelled")?.by).toBe("desk2");
  });

  it("sends counter1's reply to its own default topic, never into another user's inbox", async () => {
    const base = office.bridge.topics.base;
    const counter1 = await raw(USERS[1]);
    const desk2 = await raw(USERS[0]);
    // Mosquitto drops what the ACL does not allow: a plain request, or one as another user.
    await counter1.connection.publish(`${base}counters/1/request/open`, JSON.stringify({ requestId: "p1" }));
    await counter1.connection.publish(
      `${base}by/desk2/counters/1/request/open`,
      JSON.stringify({ requestId: "p2" }),
    );
    await counter1.connection.publish(
      `${base}by/counter1/counters/1/request/open`,
      JSON.stringify({ requestId: "p3", replyTo: `${base}replies/desk2/page/p3` }),
    );
    const replyTopic = `${base}counters/1/reply/open`;
    const deadline = Date.now() + 10_000;
    while (!counter1.messages.some((m) => m.topic === replyTopic) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    const replies = counter1.messages
      .filter((m) => m.topic === replyTopic)
      .map((m) => JSON.parse(m.payload.toString()));
    expect(replies).toMatchObject([{ requestId: "p3", ok: false, error: { code: "VALIDATION_FAILED" } }]);
    expect(desk2.messages.filter((m) => m.topic.startsWith(`${base}replies/desk2/`))).toEqual([]);
    expect(office.queue.core.view.counters.get("1")?.status).toBe("closed");
  });
});
