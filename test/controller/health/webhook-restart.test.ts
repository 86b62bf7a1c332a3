// Alerts survive a power cut: the controller runs in its own process while IT's endpoint answers
// 503, its kiosk printer runs low on paper and then out, and the process is killed with SIGKILL.
// Started again on the same data folder, with the endpoint answering 200, it delivers the alerts
// raised before the kill, in order, each exactly once.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { WEBHOOK_QUEUE_FILE } from "../../../controller/health/webhook-queue-file.js";

const CHILD = fileURLToPath(new URL("./support/webhook-child.ts", import.meta.url));

interface Post {
  status: number;
  body: { event: string; ts: string; alert: { device: string; code: string } };
}

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function until(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  for (let waited = 0; !check(); waited += 20) {
    if (waited > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

class Controller {
  readonly lines: string[] = [];
  stderr = "";
  private readonly proc: ChildProcess;

  constructor(url: string, dataDir: string) {
    this.proc = spawn(process.execPath, ["--import", "tsx", CHILD, url, dataDir], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    let buffer = "";
    this.proc.stdout?.setEncoding("utf8");
    this.proc.stdout?.on("data", (chunk: string) => {
      const parts = (buffer + chunk).split("\n");
      buffer = parts.pop() ?? "";
      this.lines.push(...parts);
    });
    this.proc.stderr?.setEncoding("utf8");
    this.proc.stderr?.on("data", (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-20_000);
    });
    cleanups.push(() => this.stop("SIGKILL"));
  }

  /** "raised kiosk-1 PAPER_OUT", … : the alerts it sent to the webhook, in order. */
  get alerts(): string[] {
    return this.lines.filter((l) => l.startsWith("ALERT ")).map((l) => l.slice(6));
  }

  async waitFor(line: string): Promise<void> {
    try {
      await until(() => this.lines.includes(line), line);
    } catch (error) {
      throw new Error(
        `${(error as Error).message}; stdout:\n${this.lines.join("\n")}\nstderr:\n${this.stderr}`,
      );
    }
  }

  send(command: string): void {
    this.proc.stdin?.write(`${command}\n`);
  }

  async stop(signal: "SIGKILL" | "SIGTERM"): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const exited = new Promise((resolve) => this.proc.once("exit", resolve));
    this.proc.kill(signal);
    await exited;
  }
}

const describeAlert = (p: Post) => `${p.body.event} ${p.body.alert.device} ${p.body.alert.code}`;

describe("webhook alerts across a SIGKILL", () => {
  it("alerts raised while the endpoint answered 503 are delivered after the restart, in order, exactly once", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "vooru-webhook-restart-"));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    let status = 503;
    const posts: Post[] = [];
    const server = createServer((req, res) => {
      let data = "";
      req.on("data", (chunk) => (data += chunk));
      req.on("end", () => {
        posts.push({ status, body: JSON.parse(data) });
        res.writeHead(status).end();
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
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`;

    const first = new Controller(url, dataDir);
    await first.waitFor("READY");
    first.send("paper-low");
    await first.waitFor("ALERT raised kiosk-1 PAPER_LOW");
    first.send("paper-out");
    await first.waitFor("ALERT raised kiosk-1 PAPER_OUT");
    // The endpoint is down: the first alert was tried and refused, the others wait behind it.
    await until(() => posts.length >= 2, "two refused attempts");
    await first.stop("SIGKILL");
    const sent = first.alerts;
    expect(sent).toEqual(expect.arrayContaining(["raised kiosk-1 PAPER_LOW", "raised kiosk-1 PAPER_OUT"]));
    expect(posts.every((p) => p.status === 503)).toBe(true);
    expect(new Set(posts.map(describeAlert))).toEqual(new Set([sent[0]]));
    expect(statSync(join(dataDir, WEBHOOK_QUEUE_FILE)).mode & 0o777).toBe(0o600);
    const killedAt = Date.now();

    status = 200;
    const second = new Controller(url, dataDir);
    await second.waitFor("READY");
    const delivered = () => posts.filter((p) => p.status === 200 && Date.parse(p.body.ts) < killedAt);
    await until(() => delivered().length >= sent.length, `the ${sent.length} alerts from before the kill`);
    // Time for a duplicate to show up, if there were one.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(delivered().map(describeAlert)).toEqual(sent);
    // Each body is the one raised before the kill, not a new alert with the same code.
    expect(new Set(delivered().map((p) => JSON.stringify(p.body))).size).toBe(sent.length);
    expect(second.stderr).toMatch(
      new RegExp(`${sent.length} alert\\(s\\) from before the restart to deliver`),
    );
    // Any alert of the new controller's own (its fresh simulated printer has paper) comes after them.
    const ages = posts
      .filter((p) => p.status === 200)
      .map((p) => (Date.parse(p.body.ts) < killedAt ? "old" : "new"));
    expect(ages.join(" ")).toMatch(/^(old ?)+(new ?)*$/);
    await second.stop("SIGTERM");
  });
});
