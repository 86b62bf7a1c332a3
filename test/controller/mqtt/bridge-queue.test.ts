// What the office's Mosquitto queues for the bridge while the central broker is away, with the
// generated vooru.conf: the queue survives a restart of the office's broker (persistence), and
// when it is full the newest messages are dropped while the retained state still catches up.
// A raw client publishes as the controller would: events (QoS 1) and retained state (QoS 1).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { connectMqtt, type MqttConnection } from "../../../controller/mqtt/transport.js";
import {
  bridgedConfig,
  type Central,
  CONTROLLER,
  DESK,
  durableConsumer,
  eventually,
  record,
  startCentral,
  startOfficeBroker,
} from "../../support/bridged-offices.js";
import { freePort, mosquittoAvailable, type RunningMosquitto } from "../../support/mosquitto.js";

const BASE = "vooru/v1/east/";
const UP = (m: { topic: string; payload: Buffer }, value: string) =>
  m.topic === "vooru/bridges/east/central" && m.payload.toString() === value;

describe.skipIf(!mosquittoAvailable())("the bridge's queue in the office's Mosquitto", () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setUp(maxQueuedMessages?: number) {
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), "vooru-bridge-queue-"));
    const extra = maxQueuedMessages !== undefined ? { maxQueuedMessages } : {};
    const central: Central = await startCentral([bridgedConfig("east", port, 1, dataDir, extra)]);
    cleanups.push(() => central.stop());
    const config = bridgedConfig("east", port, central.broker.port, dataDir, extra);
    const office: RunningMosquitto = await startOfficeBroker(config, port, dataDir);
    cleanups.push(() => office.stop());
    const url = `mqtt://127.0.0.1:${port}`;
    const local = await record(url, DESK, [`${BASE}#`, "vooru/bridges/east/central"]);
    cleanups.push(() => local.connection.end(true));
    const archive = await durableConsumer(central, "archive-east");
    cleanups.push(() => archive.end());
    await archive.until((m) => UP(m, "1"), "the bridge up");
    const controller = connectMqtt({ url, ...CONTROLLER, protocolVersion: 5, reconnectPeriodMs: 250 });
    cleanups.push(() => controller.end(true));
    await new Promise<void>((resolve) => controller.onConnect(resolve));
    return { central, office, local, archive, controller };
  }

  const event = (controller: MqttConnection, n: number) =>
    controller.publish(`${BASE}events/ticket_issued`, JSON.stringify({ seq: n }), { qos: 1 });
  const seqs = (messages: Array<{ topic: string; payload: Buffer }>) =>
    messages
      .filter((m) => m.topic === `${BASE}events/ticket_issued`)
      .map((m) => (JSON.parse(m.payload.toString()) as { seq: number }).seq);

  it("keeps the queued messages across a restart of the office's broker", async () => {
    const { central, office, local, archive, controller } = await setUp();
    central.broker.kill();
    await local.until((m) => UP(m, "0"), "the bridge down");
    for (let n = 1; n <= 5; n++) await event(controller, n);
    // SIGTERM: Mosquitto saves its database, the bridge's queue with it.
    await office.restart();
    await central.broker.restart();
    await eventually(() => [1, 2, 3, 4, 5].every((n) => seqs(archive.messages).includes(n)), "events 1-5");
    expect(new Set(seqs(archive.messages))).toEqual(new Set([1, 2, 3, 4, 5]));
  });

  it("when the queue is full, drops the newest events but still brings the retained state up to date", async () => {
    const { central, local, archive, controller } = await setUp(3);
    await controller.publish(`${BASE}info`, "info-1", { qos: 1, retain: true });
    await archive.until((m) => m.topic === `${BASE}info`, "info at the central broker");
    central.broker.kill();
    await local.until((m) => UP(m, "0"), "the bridge down");
    for (let n = 1; n <= 10; n++) {
      await event(controller, n);
      await controller.publish(`${BASE}tickets`, `tickets-${n}`, { qos: 1, retain: true });
    }
    await central.broker.restart();
    const fresh = await record(
      central.broker.url,
      { username: "central-admin", password: "central-admin-secret" },
      ["vooru/#"],
    );
    cleanups.push(() => fresh.connection.end(true));
    // On reconnect the bridge sends the office's retained messages again: current despite the drops.
    await eventually(
      () => fresh.last(`${BASE}tickets`) === "tickets-10",
      "the current tickets at the central broker",
    );
    expect(fresh.last(`${BASE}info`)).toBe("info-1");
    // Of the 20 messages queued (10 events, 10 tickets), the first 3 were kept, the rest dropped:
    // events 1 and 2 arrive (the third kept message was tickets-1), 3-10 never do.
    await eventually(() => seqs(archive.messages).includes(2), "the kept events");
    expect(seqs(archive.messages)).toEqual([1, 2]);
  });
});
