// The follow listener over real HTTP: it serves the page behind a ticket's QR, that ticket's
// status and the page's two assets, and nothing else (no staff pages, no /config.json, no MQTT
// over WebSocket, no path outside them); it rate-limits per address and answers an unknown token
// in the same time as a known one.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createFollowServer, MIN_ANSWER_MS } from "../../../controller/follow/follow-server.js";
import { newFollowToken } from "../../../controller/follow/token.js";
import { HealthBoard } from "../../../controller/health/health-board.js";
import { memoryLogger } from "../../../controller/health/log.js";
import type { PrintService } from "../../../controller/printing/print-service.js";
import { DurableQueue } from "../../../controller/queue/durable-queue.js";
import { QueueService } from "../../../controller/queue/queue-service.js";
import { officeConfig, T0 } from "../../support/office.js";

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const printing: PrintService = { has: () => true, print: async () => ({ ok: true, printer: "p" }) };

async function start(rateLimit = { perMinute: 6000, burst: 1000 }) {
  const dir = mkdtempSync(join(tmpdir(), "vooru-follow-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const webRoot = join(dir, "web");
  mkdirSync(join(webRoot, "chunks"), { recursive: true });
  // The staff pages and files sit in the same folder: none of them may come out.
  for (const [file, body] of Object.entries({
    "follow.html": "<!doctype html><title>follow</title>",
    "follow.js": "console.log('follow')",
    "follow.css": "body{}",
    "index.html": "STAFF index",
    "desk.html": "STAFF desk",
    "counter.html": "STAFF counter",
    "desk.js": "STAFF desk.js",
    "config.json": "STAFF config",
    "chunks/shared.js": "STAFF chunk",
  }))
    writeFileSync(join(webRoot, file), body);
  const dataDir = join(dir, "data");
  const config = officeConfig({ journal: { dataDir } });
  const log = memoryLogger();
  const queue = DurableQueue.open({ config, dataDir, clock: () => T0, log });
  cleanups.push(() => queue.close());
  const service = new QueueService(queue, printing, new HealthBoard(() => T0), log);
  const server: Server = createFollowServer({ core: queue.core, webRoot, rateLimit });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  cleanups.push(() => server.closeAllConnections());
  const port = (server.address() as AddressInfo).port;
  const issue = async (serviceId = "pensions") => {
    const r = await service.run({ scope: "desk", verb: "issue" }, { service: serviceId });
    if (!r.ok) throw new Error(r.error.message);
    const id = (r.result.ticket as { id: string }).id;
    return { id, token: queue.core.ticket(id)?.token as string };
  };
  return { port, queue, service, issue };
}

/** A raw request: the path goes on the wire exactly as written (fetch would normalise ../). */
function get(port: number, path: string, method = "GET") {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const req = request({ host: "127.0.0.1", port, path, method, agent: false }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on("error", reject);
      req.end();
    },
  );
}

describe("the follow listener", () => {
  it("serves the page, its assets and the ticket's status, with the security headers and no cookie", async () => {
    const { port, issue, service } = await start();
    await issue();
    const { token } = await issue();
    const page = await get(port, `/t/${token}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain("follow");
    expect(page.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(page.headers["x-frame-options"]).toBe("DENY");
    expect(page.headers["referrer-policy"]).toBe("no-referrer");
    expect(page.headers["set-cookie"]).toBeUndefined();
    expect((await get(port, "/follow.js")).body).toContain("follow");
    expect((await get(port, "/follow.css")).status).toBe(200);
    const status = await get(port, `/t/${token}.json`);
    expect(status.status).toBe(200);
    expect(status.headers["cache-control"]).toBe("no-store");
    expect(status.headers["set-cookie"]).toBeUndefined();
    const body = JSON.parse(status.body);
    expect(body).toMatchObject({ state: "waiting", number: "A002", ahead: 1, service: { id: "pensions" } });
    expect(body.estimatedWait.maxMinutes).toBeGreaterThanOrEqual(body.estimatedWait.minMinutes);
    expect(status.body).not.toContain(token);
    await service.run({ scope: "counter", counter: "1", verb: "open" }, {});
    await service.run({ scope: "counter", counter: "1", verb: "call" }, { ticket: "A002" });
    expect(JSON.parse((await get(port, `/t/${token}.json`)).body)).toMatchObject({
      state: "called",
      counter: { id: "1", place: "counter" },
    });
    const unknown = await get(port, `/t/${newFollowToken()}.json`);
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body)).toEqual({ state: "invalid" });
  });

  it("refuses everything else: staff pages, /config.json, /mqtt, other methods and paths outside", async () => {
    const { port, issue } = await start();
    const { token } = await issue();
    const refused = [
      "/",
      "/index.html",
      "/desk.html",
      "/desk",
      "/counter.html?counter=1",
      "/desk.js",
      "/config.json",
      "/mqtt",
      "/chunks/shared.js",
      "/clips/et/letter-a.wav",
      "/t/",
      "/t/short",
      `/t/${token}/`,
      `/t/${token}/../../desk.html`,
      "/t/../config.json",
      "/t/%2e%2e/config.json",
      "/%2e%2e/%2e%2e/etc/passwd",
      "/../../etc/passwd",
      "/follow.js/../desk.html",
      `/t/${token}.json/../../config.json`,
      "//desk.html",
      "/FOLLOW.JS",
    ];
    for (const path of refused) {
      const res = await get(port, path);
      expect(res.status, path).toBe(404);
      expect(res.body, path).not.toContain("STAFF");
    }
    for (const method of ["POST", "PUT", "DELETE"])
      expect((await get(port, `/t/${token}`, method)).status).toBe(405);
  });

  it("destroys WebSocket upgrades (MQTT over WebSocket is not reachable through it)", async () => {
    const { port } = await start();
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, "127.0.0.1", () =>
        socket.write(
          "GET /mqtt HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n" +
            "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n",
        ),
      );
      let data = "";
      socket.on("data", (chunk) => (data += chunk.toString()));
      socket.on("close", () => resolve(data));
      socket.on("error", reject);
    });
    expect(answer).not.toContain("101");
  });

  it("rate-limits per client address with 429 and Retry-After", async () => {
    const { port, issue } = await start({ perMinute: 60, burst: 5 });
    const { token } = await issue();
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await get(port, `/t/${token}.json`)).status);
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(5)).toEqual([429, 429, 429]);
    const limited = await get(port, "/desk.html");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThanOrEqual(1);
  });

  it("answers an unknown token in the same time as a known one (loosely)", async () => {
    const { port, issue } = await start();
    const tokens: string[] = [];
    for (let i = 0; i < 30; i++) tokens.push((await issue(i % 2 ? "pensions" : "benefits")).token);
    const timed = async (path: string) => {
      const t0 = performance.now();
      await get(port, path);
      return performance.now() - t0;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 30; i++) {
      known.push(await timed(`/t/${tokens[i]}.json`));
      unknown.push(await timed(`/t/${newFollowToken()}.json`));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
    expect(Math.min(...known, ...unknown)).toBeGreaterThanOrEqual(MIN_ANSWER_MS - 1);
    expect(Math.abs(median(known) - median(unknown))).toBeLessThan(10);
  });
});
