// Issue #19's flood on a small Pi's heap: 102 resync requests with 1 MB requestIds from the
// read-only user once killed a controller running with a 128 MB heap (every refused id was kept).
// Now each gets a short VALIDATION_FAILED reply, nothing is kept, and the office goes on.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ContractClient } from "../../../controller/mqtt/contract-client.js";
import { connectMqtt, type MqttMessage } from "../../../controller/mqtt/transport.js";

const CHILD = join(import.meta.dirname, "support", "small-heap-child.ts");

describe("a flood of huge requestIds at a 128 MB heap", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "vooru-small-heap-"));
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("answers all 102 and keeps serving", async () => {
    child = spawn(process.execPath, ["--max-old-space-size=128", "--import", "tsx", CHILD, dataDir], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    const url = await new Promise<string>((resolve, reject) => {
      let out = "";
      child?.stdout?.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        const ready = /READY (\S+)/.exec(out);
        if (ready?.[1]) resolve(ready[1]);
      });
      child?.once("exit", (code) => reject(new Error(`the office exited (${code}): ${stderr}`)));
    });
    let exited: number | null | undefined;
    child.once("exit", (code) => {
      exited = code;
    });

    const monitor = connectMqtt({
      url,
      username: "monitor",
      password: "monitor-password",
      protocolVersion: 4,
    });
    const replies: MqttMessage[] = [];
    monitor.onMessage((m) => replies.push(m));
    await new Promise<void>((resolve) => monitor.onConnect(() => resolve()));
    const inbox = "vooru/v1/test/replies/monitor/flood";
    await monitor.subscribe([inbox], 1);
    const huge = "x".repeat(1024 * 1024);
    for (let i = 0; i < 102; i++)
      await monitor.publish(
        "vooru/v1/test/system/request/resync",
        JSON.stringify({ requestId: `${i}-${huge}`, replyTo: inbox }),
        { qos: 1 },
      );
    const deadline = Date.now() + 60_000;
    while (replies.length < 102 && exited === undefined && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(exited, stderr).toBeUndefined();
    expect(replies).toHaveLength(102);
    expect(replies.every((m) => m.payload.length < 500)).toBe(true);
    await monitor.end();

    const desk = ContractClient.connect({ url, office: "test", username: "desk", password: "desk-password" });
    expect(
      await desk.request({ scope: "desk", verb: "issue" }, { service: "pensions" }, 30_000),
    ).toMatchObject({
      ok: true,
    });
    await desk.close();
  }, 120_000);
});
