// The embedded broker over real sockets on ephemeral ports: who may connect, publish and subscribe.
import {
  createServer as createHttpServer,
  type Server as HttpServer,
  request as httpRequest,
} from "node:http";
import { createServer as createTcpServer, type Socket, connect as tcpConnect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { memoryLogger } from "../../../controller/health/log.js";
import {
  type BrokerIdentity,
  type EmbeddedBroker,
  isLoopbackAddress,
  publishRefusal,
  startEmbeddedBroker,
  subscribeAllowed,
} from "../../../controller/mqtt/embedded-broker.js";
import type { MqttUser } from "../../../controller/mqtt/mqtt-schema.js";
import { connectMqtt, type MqttConnection, type MqttMessage } from "../../../controller/mqtt/transport.js";

const BASE = "vooru/v1/demo/";
// Every password here is `${username}-password`.
const INTERNAL = { username: "vooru-controller", password: "vooru-controller-password" };
const USERS: MqttUser[] = [
  { username: "counter3", password: "counter3-password", role: "counter", counter: "3" },
  { username: "counter4", password: "counter4-password", role: "counter", counter: "4" },
  { username: "desk", password: "desk-password", role: "desk" },
  { username: "monitor", password: "monitor-password", role: "monitor" },
  { username: "admin", password: "admin-password", role: "admin" },
];

const clients: MqttConnection[] = [];
const brokers: EmbeddedBroker[] = [];
const httpServers: HttpServer[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(clients.splice(0).map((c) => c.end(true)));
  await Promise.all(brokers.splice(0).map((b) => b.close()));
  await Promise.all(httpServers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function startBroker(options: { allowAnonymousLoopback?: boolean; httpServer?: HttpServer } = {}) {
  const log = memoryLogger();
  const broker = await startEmbeddedBroker({
    office: "demo",
    host: "127.0.0.1",
    port: 0,
    users: USERS,
    allowAnonymousLoopback: options.allowAnonymousLoopback ?? false,
    internalUser: INTERNAL,
    log,
    ...(options.httpServer ? { httpServer: options.httpServer } : {}),
  });
  brokers.push(broker);
  return { broker, log };
}

async function until(predicate: () => boolean, what: string, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A connected client that records what it receives. */
async function client(url: string, username?: string) {
  const connection = connectMqtt({
    url,
    protocolVersion: 4,
    reconnectPeriodMs: 0,
    connectTimeoutMs: 3000,
    ...(username !== undefined ? { username, password: `${username}-password` } : {}),
  });
  clients.push(connection);
  const received: MqttMessage[] = [];
  connection.onMessage((m) => received.push(m));
  await until(() => connection.connected, `${username ?? "anonymous"} to connect`);
  const json = (topic: string) =>
    received
      .filter((m) => m.topic === topic)
      .map((m) => JSON.parse(m.payload.toString()) as Record<string, unknown>);
  /** Sends a request under the office base. */
  const ask = (rest: string, requestId: string, replyTo?: string, retain = false) =>
    connection.publish(BASE + rest, JSON.stringify({ requestId, ...(replyTo ? { replyTo } : {}) }), {
      retain,
    });
  return { connection, received, json, ask };
}

/** CONNECT by hand, to read the CONNACK return code mqtt.js hides from the transport. */
function rawConnect(port: number, username?: string, password?: string): Promise<number> {
  const str = (s: string) => Buffer.concat([Buffer.from([0, Buffer.byteLength(s)]), Buffer.from(s)]);
  const optional = [username, password].filter((s) => s !== undefined).map(str);
  const flags = 0x02 | (username !== undefined ? 0x80 : 0) | (password !== undefined ? 0x40 : 0);
  const id = str(`raw-${Math.random().toString(16).slice(2, 10)}`);
  const body = Buffer.concat([str("MQTT"), Buffer.from([4, flags, 0, 30]), id, ...optional]);
  const packet = Buffer.concat([Buffer.from([0x10, body.length]), body]);
  return new Promise((resolve, reject) => {
    const socket = tcpConnect(port, "127.0.0.1", () => socket.write(packet));
    sockets.push(socket);
    socket.once("data", (data) => {
      socket.destroy();
      if (data[0] === 0x20 && data[3] !== undefined) resolve(data[3]);
      else reject(new Error(`not a CONNACK: ${data.toString("hex")}`));
    });
    socket.once("error", reject);
  });
}

describe("embedded broker: connecting", () => {
  it("accepts configured users and the internal user, refuses bad credentials with code 4", async () => {
    const { broker, log } = await startBroker();
    expect(broker.url).toBe(`mqtt://127.0.0.1:${broker.port}`);
    expect(broker.port).toBeGreaterThan(0);
    expect(await rawConnect(broker.port, "counter4", "counter4-password")).toBe(0);
    expect(await rawConnect(broker.port, INTERNAL.username, INTERNAL.password)).toBe(0);
    expect(await rawConnect(broker.port, "counter4", "counter3-password")).toBe(4);
    expect(await rawConnect(broker.port, "counter4", "counter4-passwor")).toBe(4);
    expect(await rawConnect(broker.port, "nobody", "counter4-password")).toBe(4);
    expect(await rawConnect(broker.port, "counter4")).toBe(4);
    expect(log.lines.filter((l) => l.includes("bad username or password"))).toHaveLength(4);

    await client(broker.url, "desk");
    await client(broker.url, INTERNAL.username);
    expect(broker.clientCount()).toBe(2);
  });

  it("lets anonymous clients in from loopback only when allowed", async () => {
    const closed = await startBroker();
    expect(await rawConnect(closed.broker.port)).toBe(5);
    expect(closed.log.lines.some((l) => l.includes("refused anonymous"))).toBe(true);

    const open = await startBroker({ allowAnonymousLoopback: true });
    expect(await rawConnect(open.broker.port)).toBe(0);
    // Anonymous loopback is the developer's demo office: the desk's rights, attributed to "anonymous".
    const anonymous = await client(open.broker.url);
    const admin = await client(open.broker.url, "admin");
    await admin.connection.subscribe([`${BASE}by/+/desk/request/+`]);
    await anonymous.ask("desk/request/issue", "a1");
    await until(
      () => admin.json(`${BASE}by/anonymous/desk/request/issue`).length === 1,
      "the anonymous request",
    );
  });

  it("tells loopback addresses apart", () => {
    for (const a of ["127.0.0.1", "127.8.9.1", "::1", "::ffff:127.0.0.1"])
      expect(isLoopbackAddress(a)).toBe(true);
    for (const a of ["10.0.0.2", "::ffff:10.0.0.2", "fe80::1", "1.127.0.0", undefined]) {
      expect(isLoopbackAddress(a)).toBe(false);
    }
  });
});

describe("embedded broker: publishing", () => {
  it("delivers a counter's own requests and refuses another counter's with an UNAUTHORIZED reply", async () => {
    const { broker, log } = await startBroker();
    const controller = await client(broker.url, INTERNAL.username);
    await controller.connection.subscribe([`${BASE}#`]);
    const counter4 = await client(broker.url, "counter4");
    const inbox = `${BASE}replies/counter4/page`;
    await counter4.connection.subscribe([`${inbox}/+`, "clients/counter4/replies", `${BASE}replies/desk/+`]);

    await counter4.ask("counters/3/request/call_next", "r1", `${inbox}/r1`);
    // A replyTo outside its own replies/counter4/ is not used: the default reply topic instead.
    await counter4.ask("counters/3/request/call_next", "r2", "clients/counter4/replies");
    await counter4.ask("counters/3/request/call_next", "r3");
    // A replyTo naming an office topic must not let the refusal overwrite it.
    await counter4.ask("counters/3/request/call_next", "r4", `${BASE}counters/3`);
    await counter4.ask("counters/3/request/call_next", "r5", `${BASE}replies/desk/x`);
    await counter4.ask("counters/4/request/call_next", "ok");
    // Delivered under by/counter4/: the controller knows who sent it.
    await until(
      () => controller.json(`${BASE}by/counter4/counters/4/request/call_next`).length === 1,
      "counter 4's own request",
    );
    // Same publisher, same order: had a refused request been forwarded it would have come first.
    const forwarded = controller.received.map((m) => m.topic).filter((t) => t.includes("/request/"));
    expect(forwarded).toEqual([`${BASE}by/counter4/counters/4/request/call_next`]);

    await until(() => counter4.json(`${inbox}/r1`).length === 1, "the reply to replyTo");
    expect(counter4.json(`${inbox}/r1`)[0]).toEqual({
      requestId: "r1",
      verb: "call_next",
      ok: false,
      error: { code: "UNAUTHORIZED", message: "counter4 may not send call_next for counter 3" },
    });
    // Without a usable replyTo the refusal goes to the default reply topic of the request.
    await until(() => controller.json(`${BASE}counters/3/reply/call_next`).length === 4, "default replies");
    expect(controller.json(`${BASE}counters/3/reply/call_next`).map((r) => r.requestId)).toEqual([
      "r2",
      "r3",
      "r4",
      "r5",
    ]);
    expect(controller.json(`${BASE}counters/3`)).toEqual([]);
    expect(counter4.json("clients/counter4/replies")).toEqual([]);
    expect(counter4.json(`${BASE}replies/desk/x`)).toEqual([]);

    // Dropped silently: the counter stays connected.
    expect(counter4.connection.connected).toBe(true);
    expect(log.lines.filter((l) => l.startsWith("warn: mqtt: refused publish"))).toHaveLength(5);
  });

  it("lets the desk send requests for every counter and the desk", async () => {
    const { broker } = await startBroker();
    const controller = await client(broker.url, INTERNAL.username);
    await controller.connection.subscribe([`${BASE}by/+/counters/+/request/+`, `${BASE}by/+/desk/request/+`]);
    const desk = await client(broker.url, "desk");
    await desk.ask("counters/3/request/open", "d1");
    await desk.ask("counters/4/request/call_next", "d2");
    await desk.ask("desk/request/issue", "d3");
    await until(() => controller.received.length === 3, "the desk's requests");

    // A counter may not issue tickets.
    const counter4 = await client(broker.url, "counter4");
    await counter4.connection.subscribe([`${BASE}replies/counter4/+`]);
    await counter4.ask("desk/request/issue", "c1", `${BASE}replies/counter4/c1`);
    await until(() => counter4.received.length === 1, "the refusal");
    expect(counter4.json(`${BASE}replies/counter4/c1`)[0]).toMatchObject({
      error: { code: "UNAUTHORIZED", message: "counter4 may not send issue to desk" },
    });
    expect(controller.received).toHaveLength(3);
  });

  it("lets a monitor ask for a resync and nothing else", async () => {
    const { broker } = await startBroker();
    const admin = await client(broker.url, "admin");
    await admin.connection.subscribe([`${BASE}#`]);
    const monitor = await client(broker.url, "monitor");
    const inbox = `${BASE}replies/monitor/page`;
    await monitor.connection.subscribe([inbox]);
    await monitor.ask("counters/3/request/call_next", "m1", inbox);
    await monitor.ask("desk/request/issue", "m2", inbox);
    await monitor.connection.publish(`${BASE}counters/3`, JSON.stringify({ status: "open" }), {
      retain: true,
    });
    await monitor.ask("system/request/resync", "m3");
    await monitor.ask("system/request/whoami", "m4");
    await until(() => admin.json(`${BASE}by/monitor/system/request/whoami`).length === 1, "the whoami");
    expect(admin.json(`${BASE}by/monitor/system/request/resync`)).toHaveLength(1);
    await until(() => monitor.json(inbox).length === 2, "two refusals");
    const topics = admin.received.map((m) => m.topic);
    expect(topics).not.toContain(`${BASE}counters/3/request/call_next`);
    expect(topics).not.toContain(`${BASE}desk/request/issue`);
    expect(topics).not.toContain(`${BASE}counters/3`);
  });

  it("refuses retained requests, even to a counter's own topic, and stores nothing", async () => {
    const { broker } = await startBroker();
    const counter4 = await client(broker.url, "counter4");
    const inbox = `${BASE}replies/counter4/k`;
    await counter4.connection.subscribe([inbox]);
    await counter4.ask("counters/4/request/call_next", "k1", inbox, true);
    await until(() => counter4.received.length === 1, "the refusal");
    expect(counter4.json(inbox)[0]).toMatchObject({
      requestId: "k1",
      error: { code: "UNAUTHORIZED", message: "counter4 may not send a retained call_next request" },
    });

    const admin = await client(broker.url, "admin");
    // Not even admin may store a request; a retained marker elsewhere shows what a late subscriber gets.
    await admin.connection.publish(`${BASE}counters/4/request/open`, '{"requestId":"a"}', { retain: true });
    await admin.connection.publish(`${BASE}by/admin/counters/4/request/open`, '{"requestId":"b"}', {
      retain: true,
    });
    // Nor a reply: a retained one would reach every later subscriber of that inbox.
    await admin.connection.publish(`${BASE}replies/admin/stored`, "{}", { retain: true });
    await admin.connection.publish("elsewhere/marker", "{}", { retain: true });
    const late = await client(broker.url, "admin");
    await late.connection.subscribe([`${BASE}#`, "elsewhere/marker"]);
    await until(() => late.received.length === 1, "the retained marker");
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(late.received.map((m) => m.topic)).toEqual(["elsewhere/marker"]);
  });

  it("judges topics by role (the table)", () => {
    const c4: BrokerIdentity = { username: "c4", role: "counter", counter: "4" };
    const as = (role: BrokerIdentity["role"]): BrokerIdentity => ({ username: role, role });
    // [who, topic (under BASE unless it starts with vooru/, $ or somewhere/), retained, allowed]
    const table: Array<[BrokerIdentity, string, boolean, boolean]> = [
      [c4, "counters/4/request/call_next", false, true],
      [c4, "counters/4/request/call_next/x", false, false],
      [c4, "counters/40/request/call_next", false, false],
      [c4, "system/request/resync", false, true],
      [c4, "system/request/whoami", false, true],
      [c4, "system/request/other", false, false],
      [c4, "by/c4/counters/4/request/call_next", false, true],
      [c4, "by/desk/counters/4/request/call_next", false, false],
      [c4, "by/c4/counters/3/request/call_next", false, false],
      [c4, "by/c4/status", false, false],
      [c4, "replies/c4/page/1", false, true],
      [c4, "replies/c4/page/1", true, false],
      [c4, "replies/c4", false, false],
      [c4, "replies/desk/page/1", false, false],
      [c4, "counters/4/reply/call_next", false, false],
      [c4, "somewhere/else", false, true],
      [c4, "vooru/v1/other/counters/4/request/call_next", false, false],
      [c4, "$SYS/x", false, false],
      [as("desk"), "system/request/anything", false, true],
      [as("desk"), "status", false, false],
      [as("monitor"), "counters/4/request/open", false, false],
      [as("admin"), "vooru/v1/other/status", true, true],
      [as("admin"), "counters/4/request/open", false, true],
      [as("admin"), "counters/4/request/open", true, false],
      // Only the controller writes the office's state, not even an admin user.
      [as("admin"), "status", true, false],
      [as("admin"), "boards/hall-main", true, false],
      [{ username: "vooru-controller", role: "admin", internal: true }, "boards/hall-main", true, true],
    ];
    for (const [who, topic, retain, allowed] of table) {
      const full = /^(vooru\/|\$|somewhere\/)/.test(topic) ? topic : BASE + topic;
      expect(publishRefusal(who, BASE, full, retain) === null, `${who.username} ${topic}`).toBe(allowed);
    }
  });
});

describe("embedded broker: subscribing", () => {
  it("keeps non-admins to this office and topics outside vooru/", async () => {
    const { broker } = await startBroker();
    const counter4 = await client(broker.url, "counter4");
    // The broker answers SUBACK 0x80 for each refused filter; mqtt.js turns that into a rejection.
    for (const filter of ["#", "vooru/v1/other/#", "+/v1/other/status", "$SYS/#"]) {
      await expect(counter4.connection.subscribe([filter])).rejects.toThrow(/Subscribe error/);
    }
    await counter4.connection.subscribe([`${BASE}#`, "clients/counter4/replies"]);
    const admin = await client(broker.url, "admin");
    await admin.connection.publish("vooru/v1/other/status", "{}");
    await admin.connection.publish("clients/counter4/replies", "{}");
    const controller = await client(broker.url, INTERNAL.username);
    await controller.connection.publish(`${BASE}status`, "{}");
    await until(() => counter4.received.some((m) => m.topic === `${BASE}status`), "the office status");
    expect(counter4.received.map((m) => m.topic)).toEqual(["clients/counter4/replies", `${BASE}status`]);
    expect(counter4.connection.connected).toBe(true);

    const c4: BrokerIdentity = { username: "c4", role: "counter", counter: "4" };
    expect(subscribeAllowed(c4, BASE, "#")).toBe(false);
    expect(subscribeAllowed(c4, BASE, "vooru/#")).toBe(false);
    expect(subscribeAllowed({ username: "a", role: "admin" }, BASE, "#")).toBe(true);
  });
});

describe("embedded broker: WebSocket", () => {
  it("serves MQTT over WebSocket at /mqtt on the web server, and nothing on other paths", async () => {
    const http = createHttpServer();
    httpServers.push(http);
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    const address = http.address();
    const httpPort = typeof address === "object" && address ? address.port : 0;
    const { broker } = await startBroker({ httpServer: http, allowAnonymousLoopback: true });

    const controller = await client(broker.url, INTERNAL.username);
    await controller.connection.subscribe([`${BASE}by/+/counters/+/request/+`]);
    const browser = await client(`ws://127.0.0.1:${httpPort}/mqtt`, "counter4");
    await browser.connection.subscribe([`${BASE}replies/counter4/browser`]);
    await browser.ask("counters/4/request/open", "w1");
    await browser.ask("counters/3/request/open", "w2", `${BASE}replies/counter4/browser`);
    await until(() => browser.received.length === 1, "the refusal over WebSocket");
    await until(() => controller.received.length === 1, "the browser's request");
    expect(controller.received[0]?.topic).toBe(`${BASE}by/counter4/counters/4/request/open`);

    // Anonymous from loopback works over WebSocket too (the address comes from the HTTP request).
    await client(`ws://127.0.0.1:${httpPort}/mqtt`);
    expect(broker.clientCount()).toBe(3);

    const refused = await new Promise<string>((resolve) => {
      const req = httpRequest({
        port: httpPort,
        host: "127.0.0.1",
        path: "/elsewhere",
        headers: { Connection: "Upgrade", Upgrade: "websocket" },
      });
      req.on("upgrade", () => resolve("upgraded"));
      req.on("error", (error) => resolve(error.message));
      req.end();
    });
    expect(refused).toBe("socket hang up");
  });
});

describe("embedded broker: close", () => {
  it("disconnects clients and frees the port", async () => {
    const { broker } = await startBroker();
    const counter4 = await client(broker.url, "counter4");
    let lost = false;
    counter4.connection.onDisconnect(() => {
      lost = true;
    });
    // A socket that never sends CONNECT is not an aedes client yet; close() must end it too.
    const silent = tcpConnect(broker.port, "127.0.0.1");
    sockets.push(silent);
    await new Promise((resolve) => silent.once("connect", resolve));

    await broker.close();
    await broker.close(); // twice is harmless
    await until(() => lost, "the client to notice");
    expect(broker.clientCount()).toBe(0);

    const again = createTcpServer();
    await new Promise<void>((resolve, reject) => {
      again.once("error", reject);
      again.listen(broker.port, "127.0.0.1", resolve);
    });
    await new Promise((resolve) => again.close(resolve));
  });
});
