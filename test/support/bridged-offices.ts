// Offices bridged to a central Mosquitto, all on loopback: a central broker with the offices'
// central-acl/central-passwd, and per office its own Mosquitto running the generated vooru.conf
// (bridge included) plus a vooru controller in this process connected to it.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mqtt from "mqtt";
import type { OfficeConfig } from "../../controller/config/schema.js";
import { memoryLogger } from "../../controller/health/log.js";
import type { BridgeConfig } from "../../controller/mqtt/bridge-schema.js";
import { generateMosquittoFiles, mosquittoPasswordHash } from "../../controller/mqtt/mosquitto-config.js";
import { connectMqtt, type MqttConnection, type MqttMessage } from "../../controller/mqtt/transport.js";
import { type DemoOffice, startDemoOffice } from "../../demo/demo-office.js";
import { type RunningMosquitto, startMosquitto } from "./mosquitto.js";
import { officeConfig } from "./office.js";

export const CONTROLLER = { username: "vooru-controller", password: "controller-secret" };
export const DESK = { username: "desk", password: "desk-secret", role: "desk" } as const;
export const CENTRAL_ADMIN = { username: "central-admin", password: "central-admin-secret" };

export const bridgeUser = (office: string) => ({
  username: `bridge-${office}`,
  // A space inside: Mosquitto reads remote_password to the end of the line.
  password: `bridge ${office} secret`,
});

export interface Central {
  broker: RunningMosquitto;
  /** How often it has saved its database so far. */
  saves(): number;
  stop(): Promise<void>;
}

export interface BridgedOffice {
  id: string;
  config: OfficeConfig;
  /** The office's own Mosquitto (the generated vooru.conf, bridge included). */
  broker: RunningMosquitto;
  /** mqtt://127.0.0.1:{the generated listener} */
  url: string;
  office: DemoOffice;
  stop(): Promise<void>;
}

/** The config of office `id`, bridged to the central broker on `centralPort`. */
export function bridgedConfig(
  id: string,
  officePort: number,
  centralPort: number,
  dataDir: string,
  bridge: Partial<BridgeConfig> = {},
): OfficeConfig {
  return officeConfig({
    office: { id, name: { en: `Office ${id}` } },
    journal: { dataDir },
    mqtt: {
      broker: { url: `mqtt://127.0.0.1:${officePort}`, ...CONTROLLER, protocolVersion: 5 },
      users: [{ ...DESK }],
      bridge: {
        host: "127.0.0.1",
        port: centralPort,
        ...bridgeUser(id),
        direction: "both",
        // Reconnect soon after the central broker is back; the tests wait on conditions, not time.
        restartTimeout: { base: 1, cap: 2 },
        keepaliveSeconds: 5,
        ...bridge,
      },
    },
  } as never);
}

/**
 * The central broker: logins only, the offices' generated ACL blocks, and persistence saved every
 * second so that a SIGKILL keeps the central watcher's session (as a real central broker would
 * keep a durable consumer's).
 */
export async function startCentral(offices: OfficeConfig[]): Promise<Central> {
  const dir = mkdtempSync(join(tmpdir(), "vooru-central-"));
  const dummy = { controllerUser: "unused-controller", controllerPassword: "unused", dir: "/unused" };
  const acl = [
    "user central-admin",
    "topic readwrite vooru/#",
    ...offices.map((c) => generateMosquittoFiles(c, dummy)["central-acl"] ?? ""),
  ];
  const passwd = [
    `${CENTRAL_ADMIN.username}:${mosquittoPasswordHash(CENTRAL_ADMIN.password)}`,
    ...offices.map((c) => generateMosquittoFiles(c, dummy)["central-passwd"] ?? ""),
  ];
  writeFileSync(join(dir, "acl"), acl.join("\n"));
  writeFileSync(join(dir, "passwd"), passwd.join("\n"));
  const broker = await startMosquitto({
    persistenceDir: join(dir, "db"),
    config: [
      "allow_anonymous false",
      `password_file ${join(dir, "passwd")}`,
      `acl_file ${join(dir, "acl")}`,
      "autosave_interval 1",
    ].join("\n"),
  });
  return {
    broker,
    saves: () => broker.log().match(/Saving in-memory database/g)?.length ?? 0,
    async stop() {
      await broker.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The office's Mosquitto alone, running the files `vooru mosquitto-config` generates for `config`. */
export async function startOfficeBroker(
  config: OfficeConfig,
  officePort: number,
  dataDir: string,
): Promise<RunningMosquitto> {
  const dir = join(dataDir, "mosquitto");
  mkdirSync(join(dir, "db"), { recursive: true });
  const files = generateMosquittoFiles(config, {
    controllerUser: CONTROLLER.username,
    controllerPassword: CONTROLLER.password,
    dir,
    port: officePort,
    bindAddress: "127.0.0.1",
    persistenceDir: join(dir, "db"),
  });
  for (const name of ["acl", "passwd", "vooru.conf"] as const) writeFileSync(join(dir, name), files[name]);
  return startMosquitto({ config: readFileSync(join(dir, "vooru.conf"), "utf8") });
}

/** An office Mosquitto with the generated files, bridged to `centralPort`, and its controller. */
export async function startBridgedOffice(
  id: string,
  officePort: number,
  centralPort: number,
  dataDir: string,
  bridge: Partial<BridgeConfig> = {},
): Promise<BridgedOffice> {
  const config = bridgedConfig(id, officePort, centralPort, dataDir, bridge);
  const broker = await startOfficeBroker(config, officePort, dataDir);
  let office: DemoOffice;
  try {
    office = await startDemoOffice({ config, log: memoryLogger(), version: "test" });
    await office.bridge.ready;
  } catch (error) {
    await broker.stop();
    throw error;
  }
  return {
    id,
    config,
    broker,
    url: `mqtt://127.0.0.1:${officePort}`,
    office,
    async stop() {
      await office.stop().catch(() => {});
      await broker.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Every message on some filters, with a wait on a condition (no wall-clock assertions). */
export interface Recorder {
  connection: MqttConnection;
  messages: MqttMessage[];
  until(predicate: (m: MqttMessage) => boolean, what: string, timeoutMs?: number): Promise<MqttMessage>;
  /** The last payload seen on a topic, as text. */
  last(topic: string): string | undefined;
}

export async function record(
  url: string,
  user: { username: string; password: string },
  filters: string[],
  protocolVersion: 4 | 5 = 4,
): Promise<Recorder> {
  const connection = connectMqtt({ url, ...user, protocolVersion, reconnectPeriodMs: 250 });
  const messages: MqttMessage[] = [];
  connection.onMessage((m) => messages.push(m));
  await new Promise<void>((resolve) => connection.onConnect(resolve));
  await connection.subscribe(filters, 1);
  return { connection, messages, until: waiter(messages), last: lastOf(messages) };
}

export function lastOf(messages: MqttMessage[]): (topic: string) => string | undefined {
  return (topic) => messages.findLast((m) => m.topic === topic)?.payload.toString();
}

export function waiter(messages: MqttMessage[]) {
  return async (predicate: (m: MqttMessage) => boolean, what: string, timeoutMs = 60_000) => {
    for (let waited = 0; ; waited += 50) {
      const found = messages.find(predicate);
      if (found) return found;
      if (waited >= timeoutMs)
        throw new Error(
          `timed out waiting for ${what}; saw ${[...new Set(messages.map((m) => m.topic))].join(", ")}`,
        );
      await new Promise((r) => setTimeout(r, 50));
    }
  };
}

/** Polls until check() is true; the message says what was expected. */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000) {
  for (let waited = 0; ; waited += 100) {
    if (await check()) return;
    if (waited >= timeoutMs) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * A durable consumer at the central broker (clean session false, fixed client id), as a central
 * archive would be: what reaches the central broker while it is offline waits there for it.
 * transport.ts always connects with a clean session, hence mqtt.js itself here.
 */
export async function durableConsumer(central: Central, clientId: string) {
  const client = mqtt.connect(central.broker.url, {
    clientId,
    clean: false,
    reconnectPeriod: 250,
    ...CENTRAL_ADMIN,
  });
  const messages: MqttMessage[] = [];
  client.on("message", (topic, payload, packet) => messages.push({ topic, payload, retain: packet.retain }));
  await new Promise<void>((resolve) => client.once("connect", () => resolve()));
  const saves = central.saves();
  await client.subscribeAsync(["vooru/#"], { qos: 1 });
  // The central broker saves every second: the session is on disk before a test kills the broker.
  await eventually(() => central.saves() > saves + 1, "the central broker saved its database");
  return { messages, until: waiter(messages), end: () => client.endAsync(true) };
}
