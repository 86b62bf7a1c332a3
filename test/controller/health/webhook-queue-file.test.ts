// The webhook's queue on disk: what waits survives a restart in order, what was delivered or
// dropped does not come back, a torn line is skipped, the file stays small and private, and a
// flush to disk never holds up the next write.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { WebhookSender } from "../../../controller/health/alert-webhook.js";
import type { WebhookConfig } from "../../../controller/health/alerts-schema.js";
import { memoryLogger } from "../../../controller/health/log.js";
import {
  WEBHOOK_QUEUE_FILE,
  WebhookQueueFile,
  type WebhookQueueFileOptions,
} from "../../../controller/health/webhook-queue-file.js";

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function queuePath(): string {
  const dir = mkdtempSync(join(tmpdir(), "vooru-webhook-queue-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, WEBHOOK_QUEUE_FILE);
}

function open(path: string, options: Partial<WebhookQueueFileOptions> = {}) {
  const log = memoryLogger();
  const file = new WebhookQueueFile({ path, log, ...options });
  cleanups.push(() => file.close());
  return { file, log, alerts: file.load() };
}

const lines = (path: string) => readFileSync(path, "utf8").split("\n").filter(Boolean);
const alert = (id: number, n = id) => ({ id, body: JSON.stringify({ n }) });

/** An endpoint answering `status()` to every POST, recording the bodies. */
async function endpoint(status: () => number = () => 200) {
  const received: unknown[] = [];
  const server = createServer((req, res) => {
    let data = "";
    req.on("data", (chunk) => (data += chunk));
    req.on("end", () => {
      received.push(JSON.parse(data));
      res.writeHead(status()).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
}

function config(url: string, overrides: Partial<WebhookConfig> = {}): WebhookConfig {
  return { url, headers: {}, timeoutMs: 2000, maxBackoffMs: 1000, maxQueued: 1000, ...overrides };
}

const waitFor = (check: () => void) => vi.waitFor(check, { timeout: 5000, interval: 5 });

/** Retries that never come: after its first failure a sender posts nothing more. */
const noRetries = { setTimeout: () => null, clearTimeout: () => {} };

/** A power cut: the sender stops where it is, and its store writes nothing more (no close). */
function crash(sender: WebhookSender, store: WebhookQueueFile): void {
  (sender as unknown as { closed: boolean }).closed = true;
  // Only to release the fd in this process: closing writes nothing.
  cleanups.push(() => store.close());
}

describe("WebhookQueueFile", () => {
  it("keeps what waits across a reopen, in order, without what was removed; the file is 0600", () => {
    const path = queuePath();
    const first = open(path);
    expect(first.alerts).toEqual([]);
    for (const id of [1, 2, 3, 4]) first.file.add(alert(id));
    first.file.remove(2);
    // No close: a killed process. Each line is in the file as soon as add or remove returns.
    expect(lines(path)).toEqual([
      '{"add":1,"body":{"n":1}}',
      '{"add":2,"body":{"n":2}}',
      '{"add":3,"body":{"n":3}}',
      '{"add":4,"body":{"n":4}}',
      '{"del":2}',
    ]);
    expect(statSync(path).mode & 0o777).toBe(0o600);

    const second = open(path);
    expect(second.alerts).toEqual([alert(1), alert(3), alert(4)]);
    // Opening rewrote it with only what waits.
    expect(lines(path)).toHaveLength(3);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it("is emptied when nothing waits any more", () => {
    const path = queuePath();
    const { file } = open(path);
    file.add(alert(1));
    file.add(alert(2));
    file.remove(1);
    file.remove(2);
    expect(readFileSync(path, "utf8")).toBe("");
    file.add(alert(3));
    expect(lines(path)).toEqual(['{"add":3,"body":{"n":3}}']);
  });

  it("skips a torn last line with a warning, keeps the rest, and appends on a clean line after it", () => {
    const path = queuePath();
    writeFileSync(path, '{"add":1,"body":{"n":1}}\n{"add":2,"body":{"n":2}}\n{"add":3,"bo');
    const reopened = open(path);
    expect(reopened.alerts).toEqual([alert(1), alert(2)]);
    expect(reopened.log.lines).toEqual([expect.stringMatching(/^warn: .*skipped 1 unreadable line/)]);
    reopened.file.add(alert(4));
    reopened.file.close();
    expect(open(path).alerts).toEqual([alert(1), alert(2), alert(4)]);
  });

  it("skips an unreadable line anywhere, and lines that are not its records, without failing the start", () => {
    const path = queuePath();
    writeFileSync(
      path,
      [
        '{"add":1,"body":{"n":1}}',
        "\u0000\u0000\u0000",
        '{"add":"x","body":{}}',
        "[1,2]",
        '{"add":2,"body":{"n":2}}',
        '{"del":1}',
        "",
      ].join("\n"),
    );
    const { alerts, log } = open(path);
    expect(alerts).toEqual([alert(2)]);
    expect(log.lines).toEqual([expect.stringMatching(/skipped 3 unreadable line/)]);
  });

  it("stays small: rewritten once it is mostly removals, whatever still waits kept in order", () => {
    const path = queuePath();
    const { file } = open(path);
    // Always ten waiting (a long outage with a full queue): a removal for every addition.
    for (let id = 1; id <= 2000; id++) {
      file.add(alert(id));
      if (id > 10) file.remove(id - 10);
      expect(lines(path).length).toBeLessThanOrEqual(2 * 10 + 256 + 1);
    }
    expect(open(path).alerts.map((a) => a.id)).toEqual([
      1991, 1992, 1993, 1994, 1995, 1996, 1997, 1998, 1999, 2000,
    ]);
  });

  it("flushes to disk in the background, one at a time: writes do not wait for it", () => {
    const path = queuePath();
    const pending: ((error: Error | null) => void)[] = [];
    const { file } = open(path, { flush: (_fd, done) => pending.push(done) });
    file.add(alert(1));
    file.add(alert(2));
    file.add(alert(3));
    // The lines are written already; one flush is under way, and the next is due after it.
    expect(lines(path)).toHaveLength(3);
    expect(pending).toHaveLength(1);
    pending.shift()?.(null);
    expect(pending).toHaveLength(1);
    pending.shift()?.(null);
    expect(pending).toHaveLength(0);
  });

  it("a flush that fails is logged once, and the next change rewrites the file whole", () => {
    const path = queuePath();
    const pending: ((error: Error | null) => void)[] = [];
    const { file, log } = open(path, { flush: (_fd, done) => pending.push(done) });
    file.add(alert(1));
    pending.shift()?.(new Error("EIO: i/o error, fdatasync"));
    expect(log.lines).toEqual([expect.stringMatching(/^error: .*flush failed \(EIO/)]);
    file.add(alert(2));
    expect(log.lines.at(-1)).toMatch(/^info: .*writing again/);
    expect(lines(path)).toEqual(['{"add":1,"body":{"n":1}}', '{"add":2,"body":{"n":2}}']);
  });

  it("a folder it cannot write is an error in the log, not a failed start; alerts stay in memory", async () => {
    const path = join(queuePath(), "..", "missing", WEBHOOK_QUEUE_FILE);
    const server = await endpoint();
    const log = memoryLogger();
    const store = new WebhookQueueFile({ path, log });
    const webhook = new WebhookSender({ config: config(server.url), log, store });
    cleanups.push(() => webhook.close());
    webhook.send({ n: 1 });
    await waitFor(() => expect(server.received).toEqual([{ n: 1 }]));
    expect(log.lines.filter((l) => l.startsWith("error:"))).toEqual([
      expect.stringMatching(/webhook queue .*missing.*: rewrite failed \(ENOENT/),
    ]);
  });
});

describe("WebhookSender with its queue on disk", () => {
  it("alerts not delivered before a crash are delivered after it, in order, each once", async () => {
    const path = queuePath();
    let status = 503;
    const server = await endpoint(() => status);
    const store = new WebhookQueueFile({ path, log: memoryLogger() });
    const before = new WebhookSender({
      config: config(server.url),
      log: memoryLogger(),
      store,
      timers: noRetries,
    });
    for (const n of [1, 2, 3]) before.send({ n });
    await waitFor(() => expect(before.stats().failedAttempts).toBe(1));
    crash(before, store);

    status = 200;
    server.received.length = 0;
    const log = memoryLogger();
    const after = new WebhookSender({
      config: config(server.url),
      log,
      store: new WebhookQueueFile({ path, log }),
    });
    cleanups.push(() => after.close());
    expect(log.lines).toEqual([expect.stringMatching(/^info: .*3 alert\(s\) from before the restart/)]);
    after.send({ n: 4 });
    await waitFor(() => expect(after.stats().delivered).toBe(4));
    expect(server.received).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }]);
    expect(readFileSync(path, "utf8")).toBe("");
  });

  it("a clean stop keeps what waits for the next start, and says so", async () => {
    const path = queuePath();
    const server = await endpoint(() => 503);
    const log = memoryLogger();
    const webhook = new WebhookSender({
      config: config(server.url),
      log,
      store: new WebhookQueueFile({ path, log }),
      random: () => 0.01,
    });
    webhook.send({ n: 1 });
    webhook.send({ n: 2 });
    await waitFor(() => expect(server.received.length).toBeGreaterThan(0));
    webhook.close();
    expect(log.lines.at(-1)).toMatch(/2 alert\(s\) not delivered at shutdown, kept for the next start$/);
    expect(open(path).alerts.map((a) => JSON.parse(a.body))).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it("the bound holds across restarts: alerts dropped from a full queue stay dropped, and a lowered maxQueued drops the oldest at start", async () => {
    const path = queuePath();
    const server = await endpoint(() => 503);
    const first = new WebhookSender({
      config: config(server.url, { maxQueued: 10 }),
      log: memoryLogger(),
      store: new WebhookQueueFile({ path, log: memoryLogger() }),
      random: () => 0.01,
    });
    for (let n = 1; n <= 15; n++) first.send({ n });
    expect(first.stats()).toMatchObject({ queued: 10, dropped: 5 });
    first.close();
    // The alert being posted when the queue filled up is never dropped: 1, then 7 to 15.
    const kept = open(path);
    expect(kept.alerts.map((a) => JSON.parse(a.body).n)).toEqual([1, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    kept.file.close();

    const log = memoryLogger();
    const second = new WebhookSender({
      config: config(server.url, { maxQueued: 4 }),
      log,
      store: new WebhookQueueFile({ path, log }),
      random: () => 0.01,
    });
    expect(second.stats()).toMatchObject({ queued: 4, dropped: 6 });
    expect(log.lines[0]).toMatch(
      /^warn: .*6 alert\(s\) from before the restart dropped, more than maxQueued \(4\)/,
    );
    second.close();
    expect(open(path).alerts.map((a) => JSON.parse(a.body).n)).toEqual([12, 13, 14, 15]);
  });

  it("at least once: a crash after the 2xx but before the removal was written sends that alert once more", async () => {
    const path = queuePath();
    const server = await endpoint();
    const store = new WebhookQueueFile({ path, log: memoryLogger() });
    // The process dies between the endpoint's answer and the removal.
    store.remove = () => {};
    const before = new WebhookSender({ config: config(server.url), log: memoryLogger(), store });
    before.send({ n: 1 });
    await waitFor(() => expect(before.stats().delivered).toBe(1));
    crash(before, store);

    const after = new WebhookSender({
      config: config(server.url),
      log: memoryLogger(),
      store: new WebhookQueueFile({ path, log: memoryLogger() }),
    });
    cleanups.push(() => after.close());
    await waitFor(() => expect(after.stats().delivered).toBe(1));
    expect(server.received).toEqual([{ n: 1 }, { n: 1 }]);
    expect(readFileSync(path, "utf8")).toBe("");
  });
});
