// The controller's side of a device node, over a fake connection: remote printing (answered,
// timed out -> void, node offline -> DEVICE_UNAVAILABLE), mirrored health with NODE_OFFLINE, the
// edge relay into a local ButtonPanelDriver, and garbage from the node counted, never thrown.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HealthBoard } from "../../../controller/health/health-board.js";
import { healthSinkFor } from "../../../controller/health/health-sink.js";
import { memoryLogger } from "../../../controller/health/log.js";
import type { MqttConnection, MqttMessage, PublishOptions } from "../../../controller/mqtt/transport.js";
import { NodeHub } from "../../../controller/nodes/node-hub.js";
import { setupPrinters } from "../../../controller/printing/printer-setup.js";
import { DurableQueue } from "../../../controller/queue/durable-queue.js";
import { QueueService } from "../../../controller/queue/queue-service.js";
import type { ButtonEdge } from "../../../device/panels/types.js";
import { T0 } from "../../support/office.js";
import { NODE, nodeOfficeConfig, until } from "./support.js";

const base = "vooru/v1/test/";
const prefix = `${base}nodes/${NODE}/`;

function fakeConnection() {
  const handlers: Array<(m: MqttMessage) => void> = [];
  const published: Array<{ topic: string; payload: string; options: PublishOptions | undefined }> = [];
  const connection: MqttConnection = {
    connected: true,
    async publish(topic, payload, options) {
      published.push({ topic, payload: payload.toString(), options });
    },
    async subscribe() {},
    async unsubscribe() {},
    onMessage: (h) => handlers.push(h),
    onConnect: (h) => h(),
    onDisconnect() {},
    onConnectError() {},
    async end() {},
  };
  // retain = true: a stored copy sent for a new subscription; false: a live message.
  const deliver = (topic: string, body: object | string, retain = false) => {
    const payload = Buffer.from(typeof body === "string" ? body : JSON.stringify(body));
    for (const h of handlers) h({ topic, payload, retain });
  };
  return { connection, published, deliver };
}

const online = { state: "online", epoch: "node-1", version: "t", ts: new Date(T0).toISOString() };
const offline = { ...online, state: "offline" };
const healthy = {
  kind: "printer",
  status: "ok",
  faults: [],
  since: new Date(T0).toISOString(),
  lastSeen: null,
};

describe("NodeHub", () => {
  let dir: string;
  let now: number;
  let hub: NodeHub;
  let health: HealthBoard;
  let service: QueueService;
  let queue: DurableQueue;
  let fake: ReturnType<typeof fakeConnection>;
  const log = memoryLogger();

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "vooru-node-hub-"));
    now = T0;
    const clock = () => now;
    // 0.05 s to confirm and 50 ms of margin: a print nobody answers fails within a fraction of a second.
    const config = nodeOfficeConfig({}, join(dir, "data"), 0.05);
    health = new HealthBoard(clock);
    hub = new NodeHub({ config, health, clock, log, printMarginMs: 50 });
    const printers = await setupPrinters(config, health, clock, { remote: hub });
    for (const bus of config.devices.boardBuses) hub.remoteBoardBus(bus);
    queue = DurableQueue.open({ config, dataDir: join(dir, "data"), clock, log });
    service = new QueueService(queue, printers.pool, health, log);
    fake = fakeConnection();
    hub.start(fake.connection);
  });

  afterEach(async () => {
    await hub.stop();
    queue.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const issue = () =>
    service.run({ scope: "desk", verb: "issue" }, { service: "pensions", printer: "kiosk-2" });
  const voided = () =>
    [...queue.core.view.tickets.values()].filter((t) => t.state === "void").map((t) => t.number);
  const device = (id: string) => health.devices().find((d) => d.id === id);
  const alerts = (id: string) =>
    health
      .activeAlerts()
      .filter((a) => a.device === id)
      .map((a) => a.code);

  it("node offline: the print fails at once with DEVICE_UNAVAILABLE and the number is void", async () => {
    const result = await issue();
    expect(result).toMatchObject({ ok: false, error: { code: "DEVICE_UNAVAILABLE" } });
    expect(voided()).toEqual(["A001"]);
    expect(fake.published.some((p) => p.topic.endsWith("request/print"))).toBe(false);
  });

  it("no answer from the node: the print times out, PRINT_FAILED, the number is void", async () => {
    fake.deliver(`${prefix}status`, online);
    const result = await issue();
    expect(result).toMatchObject({ ok: false, error: { code: "PRINT_FAILED" } });
    expect(voided()).toEqual(["A001"]);
    // The node was told not to start it later than the controller waits.
    const request = JSON.parse(
      fake.published.find((p) => p.topic === `${prefix}request/print`)?.payload ?? "{}",
    );
    expect(request).toMatchObject({ printer: "kiosk-2", replyTo: `${prefix}reply/print`, startWithinMs: 50 });
    expect(request.job).toMatch(/^\d{4}$/);
    expect(Buffer.from(request.bytes, "base64").length).toBeGreaterThan(50);
  });

  it("the node's answer confirms the ticket; a repeated or foreign answer changes nothing", async () => {
    fake.deliver(`${prefix}status`, online);
    const pending = issue();
    await until(() => fake.published.some((p) => p.topic.endsWith("request/print")), "the print request");
    const request = JSON.parse(
      fake.published.find((p) => p.topic.endsWith("request/print"))?.payload ?? "{}",
    );
    // Another node cannot answer for this one, and a wrong printer is not this print's answer.
    fake.deliver(`${base}nodes/other-pi/reply/print`, {
      requestId: request.requestId,
      printer: "kiosk-2",
      ok: true,
      confirmedBy: "gs_r",
    });
    fake.deliver(`${prefix}reply/print`, {
      requestId: request.requestId,
      printer: "kiosk-9",
      ok: true,
      confirmedBy: "gs_r",
    });
    fake.deliver(`${prefix}reply/print`, {
      requestId: request.requestId,
      printer: "kiosk-2",
      ok: true,
      confirmedBy: "process_id",
    });
    fake.deliver(`${prefix}reply/print`, {
      requestId: request.requestId,
      printer: "kiosk-2",
      ok: false,
      reason: "timeout",
      detail: "late",
    });
    expect(await pending).toMatchObject({
      ok: true,
      result: { ticket: { number: "A001", state: "waiting" } },
    });
    expect(voided()).toEqual([]);
  });

  it("a failure the node reports is the printer's: paper out -> PRINT_FAILED, offline -> DEVICE_UNAVAILABLE", async () => {
    fake.deliver(`${prefix}status`, online);
    for (const [reason, code] of [
      ["paper_out", "PRINT_FAILED"],
      ["offline", "DEVICE_UNAVAILABLE"],
    ] as const) {
      const count = fake.published.filter((p) => p.topic.endsWith("request/print")).length;
      const pending = issue();
      await until(
        () => fake.published.filter((p) => p.topic.endsWith("request/print")).length > count,
        "request",
      );
      const request = JSON.parse(
        fake.published.filter((p) => p.topic.endsWith("request/print")).at(-1)?.payload ?? "{}",
      );
      fake.deliver(`${prefix}reply/print`, {
        requestId: request.requestId,
        printer: "kiosk-2",
        ok: false,
        reason,
        detail: reason,
      });
      expect(await pending).toMatchObject({ ok: false, error: { code } });
    }
    expect(voided()).toEqual(["A001", "A002"]);
  });

  it("the node going offline fails the print waiting on it at once", async () => {
    fake.deliver(`${prefix}status`, online);
    const pending = issue();
    await until(() => fake.published.some((p) => p.topic.endsWith("request/print")), "the print request");
    fake.deliver(`${prefix}status`, offline);
    expect(await pending).toMatchObject({ ok: false, error: { code: "DEVICE_UNAVAILABLE" } });
  });

  it("mirrors the node's device health and alerts; its last will marks them offline with NODE_OFFLINE", () => {
    expect(device("kiosk-2")).toMatchObject({ status: "offline", faults: ["connecting"] });
    // Retained health arrives before the status: it only counts once the node is online.
    fake.deliver(`${prefix}devices/kiosk-2`, healthy, true);
    expect(device("kiosk-2")?.status).toBe("offline");
    fake.deliver(`${prefix}status`, online, true);
    expect(device("kiosk-2")?.status).toBe("ok");
    expect(device(NODE)).toMatchObject({ kind: "node", status: "ok" });
    fake.deliver(`${prefix}devices/kiosk-2`, { ...healthy, status: "degraded", faults: ["paper_out"] });
    fake.deliver(`${prefix}alerts/kiosk-2`, {
      severity: "critical",
      device: "kiosk-2",
      code: "PAPER_OUT",
      message: "m",
      since: new Date(T0).toISOString(),
    });
    expect(device("kiosk-2")).toMatchObject({ status: "degraded", faults: ["paper_out"] });
    expect(alerts("kiosk-2")).toEqual(["PAPER_OUT"]);
    fake.deliver(`${prefix}status`, offline);
    expect(device("kiosk-2")).toMatchObject({ status: "offline", faults: ["node_offline"] });
    expect(device("board-1")).toMatchObject({ status: "offline", faults: ["node_offline"] });
    expect(alerts("kiosk-2")).toEqual(["NODE_OFFLINE"]);
    expect(alerts(NODE)).toEqual(["NODE_OFFLINE"]);
    fake.deliver(`${prefix}status`, online);
    expect(alerts(NODE)).toEqual([]);
    expect(alerts("kiosk-2")).toEqual(["PAPER_OUT"]);
    fake.deliver(`${prefix}alerts/kiosk-2`, "");
    expect(alerts("kiosk-2")).toEqual([]);
  });

  it("counts garbage from a node and never throws", () => {
    fake.deliver(`${prefix}status`, online);
    const before = hub.stats.garbage;
    fake.deliver(`${prefix}devices/kiosk-2`, "{not json");
    fake.deliver(`${prefix}devices/kiosk-2`, { status: "fine" });
    fake.deliver(`${prefix}devices/desk-printer`, healthy); // not on this node
    fake.deliver(`${prefix}alerts/kiosk-2`, [1, 2, 3]);
    fake.deliver(`${prefix}events/edge`, { panel: "panel-2" });
    fake.deliver(`${prefix}reply/print`, "null");
    fake.deliver(`${prefix}status`, { state: "sleeping" });
    expect(hub.stats.garbage - before).toBe(7);
    expect(hub.isOnline(NODE)).toBe(true);
  });

  it("relays the node's edges to its panel's driver on this controller's clock, once each", () => {
    const panelConfig = nodeOfficeConfig({}, dir).devices.panels[0];
    if (!panelConfig) throw new Error("no panel");
    const driver = hub.remotePanel(panelConfig, healthSinkFor(health, "panel-2b", "panel"));
    const edges: ButtonEdge[] = [];
    driver.onEdge((e) => edges.push(e));
    const edge = (seq: number, down: boolean, at: number, panel = "panel-2") =>
      fake.deliver(`${prefix}events/edge`, { epoch: "node-1", seq, panel, button: "0", down, at });
    edge(1, true, 1000); // while offline: dropped
    fake.deliver(`${prefix}status`, online, true);
    now = T0 + 10_000;
    // The node's clock is far behind: times are mapped, and the spacing of the two edges kept.
    edge(2, true, 5000);
    now += 80;
    edge(3, false, 5080);
    edge(3, false, 5080); // QoS 1 repeat
    edge(4, true, 6000, "panel-9"); // not this node's panel
    expect(edges).toEqual([
      { button: "0", down: true, at: T0 + 10_000 },
      { button: "0", down: false, at: T0 + 10_080 },
    ]);
    expect(hub.stats).toMatchObject({ duplicateEdges: 1, droppedEdges: 1 });
    // LEDs go to the node, retained.
    driver.setLed("0", "flash");
    const leds = fake.published.findLast((p) => p.topic === `${prefix}panels/panel-2/leds`);
    expect(leds?.options).toMatchObject({ retain: true });
    expect(JSON.parse(leds?.payload ?? "{}")).toEqual({ leds: { "0": "flash" } });
    // Held when the node dies: released, marked as made up.
    edge(5, true, 7000);
    fake.deliver(`${prefix}status`, offline);
    expect(edges.at(-1)).toMatchObject({ button: "0", down: false, lost: true });
    expect(driver.connected).toBe(false);
  });
});
