// The probes of a hostile staff member (issue #19), kept as tests against a whole office on the
// embedded broker: each of these got through before, and must not.
import { request as httpRequest } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import type { MqttUser } from "../../../controller/mqtt/mqtt-schema.js";
import { connectMqtt, type MqttConnection, type MqttMessage } from "../../../controller/mqtt/transport.js";
import type { QueueEvent } from "../../../controller/queue/core/types.js";
import { type Harness, startHarness } from "../../support/office-harness.js";

const USERS: MqttUser[] = [
  { username: "desk", password: "desk-password", role: "desk" },
  { username: "desk2", password: "desk2-password", role: "desk" },
  { username: "counter1", password: "counter1-password", role: "counter", counter: "1" },
  { username: "monitor", password: "monitor-password", role: "monitor" },
];
const password = (username: string) => `${username}-password`;

let h: Harness;
const connections: MqttConnection[] = [];
afterEach(async () => {
  await Promise.all(connections.splice(0).map((c) => c.end(true)));
  await h?.stop();
});

async function office(): Promise<Harness> {
  h = await startHarness({
    config: {
      mqtt: {
        embedded: { host: "127.0.0.1", port: 0, httpPort: 0, allowAnonymousLoopback: true },
        users: USERS,
      },
    },
  });
  return h;
}

/** A raw connection as `username` (undefined: anonymous) that records everything of the office. */
async function as(username: string | undefined, clientId?: string) {
  const connection = connectMqtt({
    url: h.office.mqttUrl,
    protocolVersion: 4,
    reconnectPeriodMs: 0,
    ...(username !== undefined ? { username, password: password(username) } : {}),
    ...(clientId !== undefined ? { clientId } : {}),
  });
  connections.push(connection);
  const messages: MqttMessage[] = [];
  connection.onMessage((m) => messages.push(m));
  await new Promise<void>((resolve) => connection.onConnect(() => resolve()));
  await connection.subscribe([`${h.base}#`], 1);
  const until = async (predicate: (m: MqttMessage) => boolean, what: string) => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const found = messages.find(predicate);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const reply = async (topic: string) =>
    JSON.parse((await until((m) => m.topic === topic && m.payload.length > 0, topic)).payload.toString());
  return { connection, messages, until, reply };
}

describe("a hostile staff member on the embedded broker", () => {
  it("cannot fake the desk's replies, nor store one for its later subscribers", async () => {
    await office();
    const desk = await as("desk");
    const counter = await as("counter1");
    const fake = JSON.stringify({ requestId: "d1", verb: "issue", ok: true, result: {} });
    await counter.connection.publish(`${h.base}replies/desk/web-x/d1`, fake);
    await counter.connection.publish(`${h.base}replies/desk/web-x/d2`, fake, { retain: true });
    // Its own inbox takes a message, not a retained one.
    await counter.connection.publish(`${h.base}replies/counter1/mine`, "{}");
    await desk.until((m) => m.topic === `${h.base}replies/counter1/mine`, "counter1's own reply topic");
    expect(desk.messages.filter((m) => m.topic.startsWith(`${h.base}replies/desk/`))).toEqual([]);
    const late = await as("desk");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(late.messages.filter((m) => m.topic.startsWith(`${h.base}replies/`))).toEqual([]);
  });

  it("cannot make the controller reply into another user's inbox", async () => {
    await office();
    const counter = await as("counter1");
    await counter.connection.publish(
      `${h.base}counters/1/request/open`,
      JSON.stringify({ requestId: "o1", replyTo: `${h.base}replies/desk/web-x/o1` }),
    );
    const reply = await counter.reply(`${h.base}counters/1/reply/open`);
    expect(reply).toMatchObject({ requestId: "o1", ok: false, error: { code: "VALIDATION_FAILED" } });
    expect(reply.error.issues).toEqual([
      { path: "replyTo", message: `must be under ${h.base}replies/counter1/ (the sender's own replies)` },
    ]);
    expect(counter.messages.some((m) => m.topic.startsWith(`${h.base}replies/desk/`))).toBe(false);
    expect(h.office.queue.core.view.counters.get("1")?.status).toBe("closed");
  });

  it("cannot hit another user's requestId: the desk's issue runs after the monitor's resync of the same id", async () => {
    await office();
    const monitor = await as("monitor");
    const desk = await as("desk");
    await monitor.connection.publish(
      `${h.base}system/request/resync`,
      JSON.stringify({ requestId: "same", replyTo: `${h.base}replies/monitor/m/same` }),
    );
    expect(await monitor.reply(`${h.base}replies/monitor/m/same`)).toMatchObject({
      ok: true,
      verb: "resync",
    });
    await desk.connection.publish(
      `${h.base}desk/request/issue`,
      JSON.stringify({ requestId: "same", service: "pensions", replyTo: `${h.base}replies/desk/d/same` }),
    );
    const issued = await desk.reply(`${h.base}replies/desk/d/same`);
    expect(issued).toMatchObject({ ok: true, verb: "issue", result: { ticket: { number: "A001" } } });
  });

  it("survives 102 requests with 1 MB requestIds, answering each without echoing or keeping it", async () => {
    await office();
    const monitor = await as("monitor");
    const huge = "x".repeat(1024 * 1024);
    for (let i = 0; i < 102; i++)
      await monitor.connection.publish(
        `${h.base}system/request/resync`,
        JSON.stringify({ requestId: `${i}${huge}`, replyTo: `${h.base}replies/monitor/m/big` }),
      );
    const replies = () => monitor.messages.filter((m) => m.topic === `${h.base}replies/monitor/m/big`);
    await monitor.until(() => replies().length === 102, "102 replies");
    for (const m of replies()) {
      expect(m.payload.length).toBeLessThan(500);
      expect(JSON.parse(m.payload.toString())).toMatchObject({
        requestId: null,
        ok: false,
        error: {
          code: "VALIDATION_FAILED",
          issues: [{ path: "requestId", message: "at most 128 characters" }],
        },
      });
    }
    const desk = h.client({ username: "desk", password: password("desk") });
    expect(
      await (await desk).request({ scope: "desk", verb: "issue" }, { service: "pensions" }),
    ).toMatchObject({
      ok: true,
    });
  });

  it("cannot take over another user's session by its client id", async () => {
    await office();
    const desk = await as("desk", "web-0123456789ab");
    let deskLost = false;
    desk.connection.onDisconnect(() => {
      deskLost = true;
    });
    const thief = connectMqtt({
      url: h.office.mqttUrl,
      protocolVersion: 4,
      reconnectPeriodMs: 0,
      username: "counter1",
      password: password("counter1"),
      clientId: "web-0123456789ab",
    });
    connections.push(thief);
    const refused = await new Promise<string>((resolve) => {
      thief.onConnect(() => resolve("connected"));
      thief.onConnectError((reason) => resolve(reason));
      thief.onDisconnect((reason) => resolve(reason));
    });
    expect(refused).not.toBe("connected");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(deskLost).toBe(false);
    expect(h.log.lines.some((l) => l.includes("another user holds it"))).toBe(true);
    // The same user may reconnect with its own id (a page reloading takes its session back).
    const again = await as("desk", "web-0123456789ab");
    expect(again.connection.connected).toBe(true);
  });

  it("is attributed by the broker: desk2's cancel is desk2's whatever the payload or topic claims", async () => {
    await office();
    const events: QueueEvent[] = [];
    h.office.queue.onEvents((batch) => events.push(...batch));
    const desk2 = await as("desk2");
    const issue = JSON.stringify({
      requestId: "i1",
      service: "pensions",
      replyTo: `${h.base}replies/desk2/p/i1`,
    });
    await desk2.connection.publish(`${h.base}desk/request/issue`, issue);
    await desk2.reply(`${h.base}replies/desk2/p/i1`);
    // Claiming the desk in the topic is refused by the broker; a `by` field is not the contract's.
    await desk2.connection.publish(
      `${h.base}by/desk/desk/request/cancel`,
      JSON.stringify({
        requestId: "c0",
        ticket: "A001",
        reason: "duplicate",
        replyTo: `${h.base}replies/desk2/p/c0`,
      }),
    );
    expect(await desk2.reply(`${h.base}replies/desk2/p/c0`)).toMatchObject({
      error: { code: "UNAUTHORIZED" },
    });
    await desk2.connection.publish(
      `${h.base}desk/request/cancel`,
      JSON.stringify({
        requestId: "c1",
        ticket: "A001",
        reason: "duplicate",
        by: "desk",
        replyTo: `${h.base}replies/desk2/p/c1`,
      }),
    );
    expect(await desk2.reply(`${h.base}replies/desk2/p/c1`)).toMatchObject({
      error: { code: "VALIDATION_FAILED", issues: [{ path: "by", message: "unknown field" }] },
    });
    await desk2.connection.publish(
      `${h.base}desk/request/cancel`,
      JSON.stringify({
        requestId: "c2",
        ticket: "A001",
        reason: "duplicate",
        replyTo: `${h.base}replies/desk2/p/c2`,
      }),
    );
    expect(await desk2.reply(`${h.base}replies/desk2/p/c2`)).toMatchObject({ ok: true });
    const cancelled = events.filter((e) => e.type === "ticket_cancelled");
    expect(cancelled).toHaveLength(1);
    expect(cancelled[0]?.by).toBe("desk2");
    expect(events.find((e) => e.type === "ticket_reserved")?.by).toBe("desk2");
  });

  it("cannot read another user's requests (a cancel's note is for the journal only)", async () => {
    await office();
    const desk = await as("desk");
    const desk2 = await as("desk2");
    const issue = JSON.stringify({
      requestId: "n1",
      service: "pensions",
      replyTo: `${h.base}replies/desk2/p/n1`,
    });
    await desk2.connection.publish(`${h.base}desk/request/issue`, issue);
    await desk2.reply(`${h.base}replies/desk2/p/n1`);
    const cancel = { requestId: "n2", ticket: "A001", reason: "other", note: "Mari 49001010000" };
    await desk2.connection.publish(
      `${h.base}desk/request/cancel`,
      JSON.stringify({ ...cancel, replyTo: `${h.base}replies/desk2/p/n2` }),
    );
    await desk2.reply(`${h.base}replies/desk2/p/n2`);
    await desk.until((m) => m.topic === `${h.base}events/ticket_cancelled`, "the cancel's event");
    expect(desk.messages.filter((m) => m.topic.includes("/request/"))).toEqual([]);
    expect(desk.messages.some((m) => m.payload.includes("49001010000"))).toBe(false);
    // Its sender sees its own request (a client may check what it sent).
    expect(desk2.messages.some((m) => m.topic === `${h.base}by/desk2/desk/request/cancel`)).toBe(true);
  });

  it("answers whoami with the broker's identity", async () => {
    await office();
    const counter = h.client({ username: "counter1", password: password("counter1") });
    expect(await (await counter).request({ scope: "system", verb: "whoami" })).toMatchObject({
      ok: true,
      result: { username: "counter1", role: "counter", counter: "1" },
    });
    const anonymous = await h.client();
    expect(await anonymous.request({ scope: "system", verb: "whoami" })).toMatchObject({
      ok: true,
      result: { username: "anonymous", role: "desk" },
    });
  });

  it("as the demo's anonymous loopback client, cannot overwrite the controller's state", async () => {
    await office();
    const watcher = await as("monitor");
    await watcher.until((m) => m.topic === `${h.base}status`, "the retained status");
    const anonymous = await as(undefined);
    await anonymous.connection.publish(`${h.base}status`, JSON.stringify({ state: "offline" }), {
      retain: true,
    });
    await anonymous.connection.publish(
      `${h.base}boards/hall-main`,
      JSON.stringify({ text: "CLOSED - GO HOME", lines: ["CLOSED - GO HOME"], blink: false }),
      { retain: true },
    );
    await anonymous.connection.publish(`${h.base}replies/anonymous/marker`, "m");
    await watcher.until((m) => m.topic === `${h.base}replies/anonymous/marker`, "the marker");
    expect(watcher.messages.filter((m) => m.topic === `${h.base}boards/hall-main`)).toEqual([]);
    const statuses = watcher.messages.filter((m) => m.topic === `${h.base}status`);
    expect(statuses.map((m) => JSON.parse(m.payload.toString()).state)).toEqual(["online"]);
    expect(h.log.lines.some((l) => l.includes("only the controller publishes"))).toBe(true);
  });

  it("cannot open the WebSocket from a page of another origin", async () => {
    await office();
    const port = Number(new URL(h.office.httpUrl ?? "").port);
    const upgrade = (origin?: string) =>
      new Promise<number | string>((resolve) => {
        const req = httpRequest({
          port,
          host: "127.0.0.1",
          path: "/mqtt",
          headers: {
            Connection: "Upgrade",
            Upgrade: "websocket",
            "Sec-WebSocket-Version": "13",
            "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
            "Sec-WebSocket-Protocol": "mqtt",
            ...(origin ? { Origin: origin } : {}),
          },
        });
        req.on("upgrade", (response, socket) => {
          socket.destroy();
          resolve(response.statusCode ?? 0);
        });
        req.on("response", (response) => resolve(response.statusCode ?? 0));
        req.on("error", (error) => resolve(error.message));
        req.end();
      });
    expect(await upgrade("http://evil.example")).toBe(403);
    expect(await upgrade(`http://127.0.0.1:${port}`)).toBe(101);
    expect(await upgrade()).toBe(101);
  });
});
