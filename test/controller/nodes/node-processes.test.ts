// A device node as its own process next to the controller, on loopback: on the controller's
// embedded broker and on a real Mosquitto with the node role's ACL. A press on the node's panel
// prints on the node's printer and the controller's queue has the ticket; a call shows on the
// node's board; the node killed -> its devices offline with NODE_OFFLINE, a desk issue at its
// printer voided cleanly; the node back -> all clear and working again.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { OfficeConfigInput } from "../../../controller/config/schema.js";
import { memoryLogger } from "../../../controller/health/log.js";
import { ContractClient } from "../../../controller/mqtt/contract-client.js";
import { mosquittoPasswordHash } from "../../../controller/mqtt/mosquitto-config.js";
import { type DemoOffice, startDemoOffice } from "../../../demo/demo-office.js";
import { mosquittoAvailable, type RunningMosquitto, startMosquitto } from "../../support/mosquitto.js";
import {
  NODE,
  NODE_USER,
  NodeProcess,
  nodeConfig,
  nodeOfficeConfig,
  until,
  writeNodeConfig,
} from "./support.js";

const CONTROLLER = { username: "controller", password: "controller-secret" };

interface Setup {
  office: DemoOffice;
  nodeConfigPath: string;
  client: ContractClient;
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "vooru-node-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function embeddedSetup(): Promise<Setup> {
  const dir = tempDir();
  const mqtt: OfficeConfigInput["mqtt"] = {
    embedded: { host: "127.0.0.1", port: 0, httpPort: 0, allowAnonymousLoopback: true },
    users: [{ ...NODE_USER, role: "node", node: NODE }],
  };
  const office = await startDemoOffice({
    config: nodeOfficeConfig(mqtt, join(dir, "data")),
    log: memoryLogger(),
    version: "test",
  });
  cleanups.push(() => office.stop());
  const client = ContractClient.connect({ url: office.mqttUrl, office: "test" });
  cleanups.push(() => client.close());
  return { office, client, nodeConfigPath: writeNodeConfig(dir, nodeConfig(office.mqttUrl)) };
}

/** Mosquitto with passwords and the ACL lines a node user needs (see the report to the lead). */
async function mosquittoSetup(): Promise<Setup> {
  const dir = tempDir();
  const base = "vooru/v1/test/";
  writeFileSync(
    join(dir, "passwd"),
    [CONTROLLER, NODE_USER].map((u) => `${u.username}:${mosquittoPasswordHash(u.password)}`).join("\n"),
  );
  const nodePrefix = `${base}nodes/${NODE}/`;
  writeFileSync(
    join(dir, "acl"),
    [
      `user ${CONTROLLER.username}`,
      "topic readwrite #",
      `user ${NODE_USER.username}`,
      `topic read ${base}#`,
      `topic write ${nodePrefix}status`,
      `topic write ${nodePrefix}devices/+`,
      `topic write ${nodePrefix}alerts/+`,
      `topic write ${nodePrefix}events/+`,
      `topic write ${nodePrefix}reply/+`,
      "",
    ].join("\n"),
  );
  const broker: RunningMosquitto = await startMosquitto({
    config: `allow_anonymous false\npassword_file ${join(dir, "passwd")}\nacl_file ${join(dir, "acl")}\n`,
  });
  cleanups.push(() => broker.stop());
  const mqtt: OfficeConfigInput["mqtt"] = {
    broker: { url: broker.url, ...CONTROLLER, protocolVersion: 5 },
    users: [{ ...NODE_USER, role: "node", node: NODE }],
  };
  const office = await startDemoOffice({
    config: nodeOfficeConfig(mqtt, join(dir, "data")),
    log: memoryLogger(),
    version: "test",
  });
  cleanups.push(() => office.stop());
  const client = ContractClient.connect({
    url: broker.url,
    office: "test",
    ...CONTROLLER,
    protocolVersion: 5,
  });
  cleanups.push(() => client.close());
  return { office, client, nodeConfigPath: writeNodeConfig(dir, nodeConfig(broker.url, NODE_USER, 5)) };
}

function device(office: DemoOffice, id: string) {
  return office.health.devices().find((d) => d.id === id);
}

function alertCodes(office: DemoOffice, id: string): string[] {
  return office.health
    .activeAlerts()
    .filter((a) => a.device === id)
    .map((a) => a.code);
}

async function startNodeProcess(path: string): Promise<NodeProcess> {
  const node = new NodeProcess(path);
  cleanups.push(() => node.kill());
  await node.waitFor((l) => l.startsWith("READY"), "the node to connect");
  return node;
}

async function nodeDevicesOk(office: DemoOffice): Promise<void> {
  await until(
    () =>
      ["kiosk-2", "panel-2", "board-1", NODE].every((id) => device(office, id)?.status === "ok") &&
      device(office, "kiosk-2")?.lastSeen !== null,
    "the node's devices ok on the controller",
  );
}

async function scenario(setup: Setup): Promise<void> {
  const { office, client } = setup;
  let node = await startNodeProcess(setup.nodeConfigPath);
  await nodeDevicesOk(office);
  expect(alertCodes(office, NODE)).toEqual([]);

  // A press on the node's panel: the controller's rules and queue, the node's printer.
  node.send("press panel-2 0");
  await node.waitFor((l) => l === "PRINTED kiosk-2 A001", "A001 on the node's printer");
  await until(
    () => office.queue.core.openTickets().some((t) => t.number === "A001" && t.state === "waiting"),
    "A001 waiting in the controller's queue",
  );

  // A call shows on the node's board.
  expect((await client.request({ scope: "counter", counter: "1", verb: "open" })).ok).toBe(true);
  const called = await client.request({ scope: "counter", counter: "1", verb: "call_next" });
  expect(called.ok).toBe(true);
  await node.waitFor((l) => l.startsWith("BOARD board-1 ") && l.includes("A001"), "A001 on the node's board");

  // Power cut on the node: its last will makes its devices offline on the controller.
  await node.kill();
  await until(
    () =>
      ["kiosk-2", "panel-2", "board-1"].every((id) => device(office, id)?.status === "offline") &&
      alertCodes(office, NODE).includes("NODE_OFFLINE"),
    "the node's devices offline with NODE_OFFLINE",
  );
  expect(device(office, "kiosk-2")?.faults).toEqual(["node_offline"]);
  expect(alertCodes(office, "kiosk-2")).toContain("NODE_OFFLINE");
  expect(office.panels.drivers.get("panel-2")?.connected).toBe(false);
  // The panel's buttons flash: its printer cannot print, so a press would be refused.
  await until(() => office.panels.service.leds("panel-2")["0"] === "flash", "panel-2 flashing");
  const refused = await client.request({ scope: "desk", verb: "issue" }, {});
  expect(refused.ok).toBe(false); // no service: a validation error, not a crash
  const issue = await client.request(
    { scope: "desk", verb: "issue" },
    { service: "benefits", printer: "kiosk-2" },
  );
  expect(issue).toMatchObject({ ok: false, error: { code: "DEVICE_UNAVAILABLE" } });
  expect(office.queue.core.openTickets().filter((t) => t.service === "benefits")).toEqual([]);

  // The node back: all clear, and it works again.
  node = await startNodeProcess(setup.nodeConfigPath);
  await nodeDevicesOk(office);
  expect(alertCodes(office, NODE)).toEqual([]);
  expect(alertCodes(office, "kiosk-2")).toEqual([]);
  await until(() => office.panels.service.leds("panel-2")["1"] === "on", "panel-2 lit again");
  node.send("press panel-2 1");
  // B001 was voided while the node was away: numbers never repeat.
  await node.waitFor((l) => l === "PRINTED kiosk-2 B002", "B002 on the node's printer");
  await until(
    () => office.queue.core.openTickets().some((t) => t.number === "B002" && t.state === "waiting"),
    "B002 waiting in the controller's queue",
  );
  // The board shows the call again after the node's restart (retained boards/ topic).
  await node.waitFor((l) => l.startsWith("BOARD board-1 ") && l.includes("A001"), "A001 on the board again");
}

describe("a device node in its own process", () => {
  it("on the controller's embedded broker", { timeout: 120_000 }, async () => {
    await scenario(await embeddedSetup());
  });

  it.skipIf(!mosquittoAvailable())(
    "on Mosquitto, with the node role's ACL",
    { timeout: 120_000 },
    async () => {
      await scenario(await mosquittoSetup());
    },
  );
});
