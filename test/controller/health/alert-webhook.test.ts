import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { WebhookSender, type WebhookTimers } from "../../../controller/health/alert-webhook.js";
import type { WebhookConfig } from "../../../controller/health/alerts-schema.js";
import { memoryLogger } from "../../../controller/health/log.js";

interface Received {
  method: string | undefined;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** What the endpoint does with its n-th request (0-based): answer with a status, or never. */
type Behaviour = (n: number) => number | "hang";

interface Endpoint {
  url: string;
  port: number;
  received: Received[];
}

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function listen(server: Server, port = 0): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

async function endpoint(behaviour: Behaviour = () => 200, port = 0): Promise<Endpoint> {
  const received: Received[] = [];
  const hung: ServerResponse[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const answer = behaviour(received.length);
      received.push({
        method: req.method,
        headers: req.headers,
        body: JSON.parse(Buffer.concat(chunks).toString()),
      });
      if (answer === "hang") hung.push(res);
      else res.writeHead(answer, { "content-type": "text/plain" }).end("thanks");
    });
  });
  const actual = await listen(server, port);
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${actual}/alerts?token=secret`, port: actual, received };
}

function config(url: string, overrides: Partial<WebhookConfig> = {}): WebhookConfig {
  return { url, headers: {}, timeoutMs: 2000, maxBackoffMs: 300_000, maxQueued: 1000, ...overrides };
}

function sender(options: ConstructorParameters<typeof WebhookSender>[0]): WebhookSender {
  const s = new WebhookSender(options);
  cleanups.push(() => s.close());
  return s;
}

/** Timers that only record: the test fires them, so backoff delays are checked without waiting. */
function manualTimers(): WebhookTimers & { delays: number[]; pending: number; fire(): void } {
  const pending: { callback: () => void }[] = [];
  const delays: number[] = [];
  return {
    delays,
    get pending() {
      return pending.length;
    },
    setTimeout(callback, ms) {
      const handle = { callback };
      pending.push(handle);
      delays.push(ms);
      return handle;
    },
    clearTimeout(handle) {
      const index = pending.indexOf(handle as { callback: () => void });
      if (index >= 0) pending.splice(index, 1);
    },
    fire() {
      pending.shift()?.callback();
    },
  };
}

const waitFor = (check: () => void) => vi.waitFor(check, { timeout: 2000, interval: 5 });

describe("WebhookSender", () => {
  it("posts each alert as JSON with the configured headers, one at a time, in order", async () => {
    const server = await endpoint();
    const headers = { Authorization: "Bearer abc", "X-Office": "demo" };
    const webhook = sender({ config: config(server.url, { headers }), log: memoryLogger() });
    const alerts = [1, 2, 3, 4, 5].map((n) => ({
      severity: "warning",
      device: `printer-${n}`,
      code: "PAPER_LOW",
    }));
    for (const alert of alerts) webhook.send(alert);
    expect(webhook.stats().queued).toBe(5);

    await waitFor(() => expect(webhook.stats().delivered).toBe(5));
    expect(server.received.map((r) => r.body)).toEqual(alerts);
    for (const request of server.received) {
      expect(request.method).toBe("POST");
      expect(request.headers["content-type"]).toBe("application/json");
      expect(request.headers.authorization).toBe("Bearer abc");
      expect(request.headers["x-office"]).toBe("demo");
    }
    expect(webhook.stats()).toEqual({ queued: 0, delivered: 5, failedAttempts: 0, dropped: 0 });
  });

  it("keeps every alert, in order, while the endpoint answers 503, and delivers them afterwards", async () => {
    const server = await endpoint((n) => (n < 3 ? 503 : 200));
    const log = memoryLogger();
    // Real timers with tiny jitter: retries after 10, 20, 40 ms.
    const webhook = sender({ config: config(server.url), log, random: () => 0.01 });
    for (const n of [1, 2, 3]) webhook.send({ n });

    await waitFor(() => expect(webhook.stats().delivered).toBe(3));
    expect(server.received.map((r) => r.body)).toEqual([
      { n: 1 },
      { n: 1 },
      { n: 1 },
      { n: 1 },
      { n: 2 },
      { n: 3 },
    ]);
    expect(webhook.stats()).toEqual({ queued: 0, delivered: 3, failedAttempts: 3, dropped: 0 });
    expect(log.lines.filter((l) => l.startsWith("warn:"))).toHaveLength(1);
    expect(log.lines[0]).toContain("HTTP 503");
    // The URL's path and query may hold a token: only the origin is logged.
    expect(log.lines.join("\n")).not.toContain("secret");
    expect(log.lines.at(-1)).toMatch(/^info: .*delivering again after 3 failed attempt/);
  });

  it("retries while nothing listens yet and delivers once the endpoint is up", async () => {
    const probe = await endpoint();
    await cleanups.pop()?.(); // frees the port: connections to it are now refused
    const timers = manualTimers();
    const log = memoryLogger();
    const webhook = sender({ config: config(probe.url), log, timers, random: () => 1 });
    webhook.send({ n: 1 });
    webhook.send({ n: 2 });

    await waitFor(() => expect(timers.pending).toBe(1));
    timers.fire();
    await waitFor(() => expect(webhook.stats().failedAttempts).toBe(2));
    expect(log.lines[0]).toContain("ECONNREFUSED");

    const server = await endpoint(() => 200, probe.port);
    await waitFor(() => expect(timers.pending).toBe(1));
    timers.fire();
    await waitFor(() => expect(webhook.stats().delivered).toBe(2));
    expect(server.received.map((r) => r.body)).toEqual([{ n: 1 }, { n: 2 }]);
    expect(timers.delays).toEqual([1000, 2000]);
  });

  it("counts a timeout as a failed attempt and sends the same alert again", async () => {
    const server = await endpoint((n) => (n === 0 ? "hang" : 200));
    const log = memoryLogger();
    const webhook = sender({ config: config(server.url, { timeoutMs: 100 }), log, random: () => 0.01 });
    webhook.send({ n: 1 });
    webhook.send({ n: 2 });

    await waitFor(() => expect(webhook.stats().delivered).toBe(2));
    expect(webhook.stats().failedAttempts).toBe(1);
    expect(server.received.map((r) => r.body)).toEqual([{ n: 1 }, { n: 1 }, { n: 2 }]);
    expect(log.lines[0]).toContain("timed out after 100 ms");
  });

  it("drops the oldest alert with a warning when the queue is full", async () => {
    let up = false;
    const server = await endpoint(() => (up ? 200 : 503));
    const timers = manualTimers();
    const log = memoryLogger();
    const webhook = sender({ config: config(server.url, { maxQueued: 10 }), log, timers, random: () => 1 });
    webhook.send({ n: 1 });
    await waitFor(() => expect(timers.pending).toBe(1)); // alert 1 waits for its retry
    for (let n = 2; n <= 13; n++) webhook.send({ n });
    expect(webhook.stats()).toMatchObject({ queued: 10, dropped: 3 });
    expect(log.lines.filter((l) => l.includes("queue full"))).toHaveLength(3);

    up = true;
    timers.fire();
    await waitFor(() => expect(webhook.stats().delivered).toBe(10));
    expect(server.received.slice(1).map((r) => r.body)).toEqual(
      [4, 5, 6, 7, 8, 9, 10, 11, 12, 13].map((n) => ({ n })),
    );
  });

  it("does not drop the alert being posted", async () => {
    const server = await endpoint(() => 200);
    const webhook = sender({ config: config(server.url, { maxQueued: 10 }), log: memoryLogger() });
    // The first POST is under way while the other eleven arrive.
    for (let n = 1; n <= 12; n++) webhook.send({ n });
    expect(webhook.stats()).toMatchObject({ queued: 10, dropped: 2 });
    await waitFor(() => expect(webhook.stats().delivered).toBe(10));
    expect(server.received.map((r) => (r.body as { n: number }).n)).toEqual([
      1, 4, 5, 6, 7, 8, 9, 10, 11, 12,
    ]);
  });

  it("backs off from 1 s doubling up to maxBackoffMs, jittered, and starts over after a delivery", async () => {
    let failures = 7;
    const server = await endpoint(() => (failures-- > 0 ? 500 : 200));
    const timers = manualTimers();
    let jitter = 1;
    const config8s = config(server.url, { maxBackoffMs: 8000 });
    const webhook = sender({ config: config8s, log: memoryLogger(), timers, random: () => jitter });
    webhook.send({ n: 1 });
    for (let attempt = 1; attempt <= 7; attempt++) {
      await waitFor(() => expect(timers.pending).toBe(1));
      if (attempt === 6) jitter = 0.5; // for the delay after the 7th failure
      timers.fire();
    }
    await waitFor(() => expect(webhook.stats().delivered).toBe(1));
    expect(timers.delays).toEqual([1000, 2000, 4000, 8000, 8000, 8000, 4000]);

    failures = 1;
    webhook.send({ n: 2 });
    await waitFor(() => expect(timers.delays).toHaveLength(8));
    expect(timers.delays.at(-1)).toBe(500); // a new outage starts at 1 s (times the jitter)
    expect(webhook.stats()).toMatchObject({ queued: 1, delivered: 1, failedAttempts: 8 });

    webhook.close();
    expect(timers.pending).toBe(0);
    webhook.send({ n: 3 });
    expect(webhook.stats().queued).toBe(1);
  });
});
