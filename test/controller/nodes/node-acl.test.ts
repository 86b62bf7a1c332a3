// A device node's credentials (role node) never write queue state: the embedded broker refuses
// their requests with UNAUTHORIZED and drops anything they publish outside nodes/{their node}/.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryLogger } from "../../../controller/health/log.js";
import { publishRefusal } from "../../../controller/mqtt/embedded-broker.js";
import { connectMqtt, type MqttConnection, type MqttMessage } from "../../../controller/mqtt/transport.js";
import { type DemoOffice, startDemoOffice } from "../../../demo/demo-office.js";
import { NODE, NODE_USER, nodeOfficeConfig, until } from "./support.js";

const base = "vooru/v1/test/";
const node = { username: NODE_USER.username, role: "node" as const, node: NODE };

describe("publishRefusal for role node", () => {
  it("allows only the node's own status, devices, alerts, events and replies", () => {
    for (const topic of ["status", "devices/kiosk-2", "alerts/kiosk-2", "events/edge", "reply/print"])
      expect(publishRefusal(node, base, `${base}nodes/${NODE}/${topic}`, true)).toBeNull();
    for (const topic of [
      `${base}nodes/other-pi/status`,
      `${base}nodes/${NODE}/request/print`,
      `${base}nodes/${NODE}/panels/panel-2/leds`,
      `${base}counters/1`,
      `${base}tickets`,
      `${base}devices/kiosk-2`,
      `${base}desk/request/issue`,
      `${base}counters/1/request/call_next`,
      `${base}system/request/resync`,
      `${base}sim/request/press`,
      "vooru/v1/other/nodes/hall-pi/status",
    ])
      expect(publishRefusal(node, base, topic, false), topic).not.toBeNull();
    // Other roles may not pretend to be a node.
    expect(
      publishRefusal({ username: "d", role: "desk" }, base, `${base}nodes/${NODE}/status`, true),
    ).not.toBeNull();
  });
});

describe("a node user on the embedded broker", () => {
  let office: DemoOffice;
  let dir: string;
  let connection: MqttConnection;
  const messages: MqttMessage[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "vooru-node-acl-"));
    const mqtt = {
      embedded: { host: "127.0.0.1", port: 0, httpPort: 0, allowAnonymousLoopback: false },
      users: [{ ...NODE_USER, role: "node" as const, node: NODE }],
    };
    office = await startDemoOffice({
      config: nodeOfficeConfig(mqtt, join(dir, "data")),
      log: memoryLogger(),
      version: "test",
    });
    connection = connectMqtt({ url: office.mqttUrl, ...NODE_USER });
    connection.onMessage((m) => messages.push(m));
    await new Promise<void>((resolve) => connection.onConnect(resolve));
    await connection.subscribe([`${base}replies/${NODE_USER.username}/#`, `${base}counters/1`], 1);
  });

  afterAll(async () => {
    await connection.end();
    await office.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("gets UNAUTHORIZED for desk and counter requests, and the queue is unchanged", async () => {
    const replyTo = `${base}replies/${NODE_USER.username}/x`;
    const before = office.queue.core.seq;
    for (const [topic, requestId] of [
      [`${base}desk/request/issue`, "n1"],
      [`${base}counters/1/request/open`, "n2"],
      [`${base}system/request/resync`, "n3"],
    ] as const)
      await connection.publish(topic, JSON.stringify({ requestId, replyTo, service: "pensions" }), {
        qos: 1,
      });
    await until(() => messages.filter((m) => m.topic === replyTo).length === 3, "three refusals");
    for (const m of messages.filter((x) => x.topic === replyTo))
      expect(JSON.parse(m.payload.toString())).toMatchObject({ ok: false, error: { code: "UNAUTHORIZED" } });
    expect(office.queue.core.seq).toBe(before);
    expect(office.queue.core.view.counters.get("1")?.status).toBe("closed");
  });

  it("cannot overwrite retained state, nor speak for another node", async () => {
    const original = messages.findLast((m) => m.topic === `${base}counters/1`)?.payload.toString();
    expect(original).toBeDefined();
    await connection.publish(`${base}counters/1`, '{"status":"open"}', { qos: 1, retain: true });
    await connection.publish(`${base}nodes/other-pi/status`, '{"state":"online"}', { qos: 1, retain: true });
    // Its own status goes through: proof that the two before were handled (in order) and dropped.
    await connection.publish(
      `${base}nodes/${NODE}/status`,
      JSON.stringify({ state: "online", epoch: "e1", version: "t", ts: new Date().toISOString() }),
      { qos: 1, retain: true },
    );
    await until(() => office.nodes.isOnline(NODE), "the node online");
    const fresh = connectMqtt({ url: office.mqttUrl, ...NODE_USER });
    const seen: MqttMessage[] = [];
    fresh.onMessage((m) => seen.push(m));
    await new Promise<void>((resolve) => fresh.onConnect(resolve));
    await fresh.subscribe([`${base}counters/1`, `${base}nodes/${NODE}/status`], 1);
    await until(() => seen.some((m) => m.topic.endsWith(`nodes/${NODE}/status`)), "the retained status");
    await until(() => seen.some((m) => m.topic === `${base}counters/1`), "the retained counter");
    expect(seen.find((m) => m.topic === `${base}counters/1`)?.payload.toString()).toBe(original);
    await fresh.end();
  });
});
