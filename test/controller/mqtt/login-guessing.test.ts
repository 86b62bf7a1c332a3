// Password guessing against the embedded broker, over MQTT and over the pages' WebSocket: 200 wrong
// passwords from one address are slowed and then locked out, while the right user still gets in
// from another address; the lock raises LOGIN_LOCKED and its end clears it. The policy's delays
// are shrunk (the rule is the product's, see login-guard.test.ts for its real numbers).
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { connect as tcpConnect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { HealthBoard } from "../../../controller/health/health-board.js";
import { memoryLogger } from "../../../controller/health/log.js";
import { type EmbeddedBroker, startEmbeddedBroker } from "../../../controller/mqtt/embedded-broker.js";
import { LOGIN_ALERT_DEVICE, reportLoginLocks } from "../../../controller/mqtt/login-alert.js";
import { LoginGuard } from "../../../controller/mqtt/login-guard.js";
import { hashPassword } from "../../../controller/mqtt/password-hash.js";

const brokers: EmbeddedBroker[] = [];
const servers: HttpServer[] = [];
afterEach(async () => {
  await Promise.all(brokers.splice(0).map((b) => b.close()));
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

function connectPacket(username: string, password: string): Buffer {
  const str = (s: string) => Buffer.concat([Buffer.from([0, Buffer.byteLength(s)]), Buffer.from(s)]);
  const id = str(`g-${Math.random().toString(16).slice(2, 10)}`);
  const body = Buffer.concat([str("MQTT"), Buffer.from([4, 0xc2, 0, 30]), id, str(username), str(password)]);
  return Buffer.concat([Buffer.from([0x10, body.length]), body]);
}

/** CONNECT over TCP from `localAddress`; resolves with the CONNACK return code. */
function tcpLogin(port: number, localAddress: string, username: string, password: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ port, host: "127.0.0.1", localAddress }, () =>
      socket.write(connectPacket(username, password)),
    );
    socket.once("data", (data) => {
      socket.destroy();
      resolve(data[3] ?? -1);
    });
    socket.once("error", reject);
  });
}

/** The same over MQTT-over-WebSocket, as a page signs in. */
function wsLogin(port: number, localAddress: string, username: string, password: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/mqtt`, "mqtt", { localAddress });
    ws.once("open", () => ws.send(connectPacket(username, password)));
    // The CONNACK may come in more than one frame.
    let received = Buffer.alloc(0);
    ws.on("message", (data: Buffer) => {
      received = Buffer.concat([received, data]);
      if (received.length < 4) return;
      ws.terminate();
      resolve(received[3] ?? -1);
    });
    ws.once("error", reject);
  });
}

async function start() {
  let now = 1_000_000;
  const guard = new LoginGuard(() => now, { baseDelayMs: 20, maxDelayMs: 80 });
  const health = new HealthBoard(() => now);
  const http = createHttpServer();
  servers.push(http);
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const address = http.address();
  const httpPort = typeof address === "object" && address ? address.port : 0;
  const broker = await startEmbeddedBroker({
    office: "demo",
    host: "127.0.0.1",
    port: 0,
    httpServer: http,
    users: [{ username: "desk", password: hashPassword("the-right-one"), role: "desk" }],
    allowAnonymousLoopback: false,
    internalUser: { username: "vooru-controller-x", password: "internal-secret" },
    loginGuard: guard,
    onLoginLocks: (locks) => reportLoginLocks(health, locks),
    log: memoryLogger(),
  });
  brokers.push(broker);
  return { broker, httpPort, guard, health, advance: (ms: number) => (now += ms) };
}

describe("guessing passwords at the embedded broker", () => {
  for (const over of ["MQTT", "WebSocket"] as const) {
    it(`slows and then locks 200 wrong passwords over ${over}; the right user gets in from elsewhere`, async () => {
      const { broker, httpPort, guard, health, advance } = await start();
      const login = (from: string, password: string) =>
        over === "MQTT"
          ? tcpLogin(broker.port, from, "desk", password)
          : wsLogin(httpPort, from, "desk", password);
      const codes: number[] = [];
      const started = performance.now();
      for (let i = 0; i < 200; i++) codes.push(await login("127.0.0.2", `guess-${i}`));
      const took = performance.now() - started;
      // Every guess refused: 10 as wrong (4), the rest unchecked while locked (5).
      expect(codes.slice(0, 10)).toEqual(Array(10).fill(4));
      expect(codes.slice(10)).toEqual(Array(190).fill(5));
      // Waits of 20, 40, 80, 80, 80, 80, 80 ms before the 4th to the 10th check.
      expect(took).toBeGreaterThanOrEqual(460);
      // Locked out even with the right password: the lock refuses unchecked.
      expect(await login("127.0.0.2", "the-right-one")).toBe(5);
      expect(health.activeAlerts()).toMatchObject([
        { device: LOGIN_ALERT_DEVICE, code: "LOGIN_LOCKED", severity: "warning" },
      ]);
      expect(health.activeAlerts()[0]?.message).toContain("127.0.0.2 (10 wrong passwords for desk");

      // The real user at its own counter PC still signs in (after the name's one-second wait).
      expect(await login("127.0.0.3", "the-right-one")).toBe(0);

      // The lock ends by itself; the alert is cleared.
      advance(15 * 60_000);
      guard.expire();
      expect(health.activeAlerts()).toEqual([]);
      expect(await login("127.0.0.2", "the-right-one")).toBe(0);
    }, 30_000);
  }
});
