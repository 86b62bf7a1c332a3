// Power-cut tests: a controller process is killed with SIGKILL in the middle of a burst of tickets
// and started again from its journal. Nothing acknowledged is lost; no number repeats.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { memoryLogger } from "../../../controller/health/log.js";
import { DurableQueue, INTERRUPTED_PRINT } from "../../../controller/queue/durable-queue.js";
import { officeConfig, T0 } from "../../support/office.js";

const here = dirname(fileURLToPath(import.meta.url));
const child = join(here, "../../support/crash-child.ts");
const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Runs the child (node itself with tsx's loader, so SIGKILL hits the process that writes) until it has acknowledged `killAfter` tickets, then SIGKILLs it. */
function runAndKill(dataDir: string, killAfter: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const proc: ChildProcess = spawn(process.execPath, ["--import", "tsx", child, dataDir, "100000"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const acked: string[] = [];
    let buffered = "";
    let stderr = "";
    proc.stderr?.on("data", (d) => {
      stderr += d;
    });
    proc.stdout?.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) if (line.startsWith("ACK ")) acked.push(line.slice(4));
      if (acked.length >= killAfter) proc.kill("SIGKILL");
    });
    proc.on("error", reject);
    proc.on("exit", (code, signal) => {
      if (signal === "SIGKILL") resolve(acked);
      else reject(new Error(`child exited ${code} before the kill: ${stderr}`));
    });
  });
}

describe("power cut", () => {
  it("SIGKILL mid-burst, three times: every acknowledged ticket is back, no number repeats", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "vooru-crash-"));
    dirs.push(dataDir);
    const acknowledged: string[] = [];
    for (const killAfter of [37, 61, 23]) acknowledged.push(...(await runAndKill(dataDir, killAfter)));

    const log = memoryLogger();
    const config = officeConfig({ journal: { dataDir, snapshotEvery: 25 } });
    const queue = DurableQueue.open({ config, dataDir, clock: () => T0 + 60_000, log });
    const tickets = [...queue.core.view.tickets.values()];
    // Nothing acknowledged is lost: each is in the queue, waiting.
    for (const id of acknowledged) expect(queue.core.ticket(id)?.state, id).toBe("waiting");
    // A ticket reserved but not confirmed when the power went is void, never a phantom in the queue.
    for (const t of tickets)
      if (t.state !== "waiting") expect(t).toMatchObject({ state: "void", printFailure: INTERRUPTED_PRINT });
    // No number twice: the same day, ranges far from wrapping.
    const numbers = tickets.map((t) => t.number);
    expect(new Set(numbers).size).toBe(numbers.length);
    // And the next number continues after everything ever reserved.
    const next = queue.execute({ type: "issue", service: "pensions" });
    expect(next.ok).toBe(true);
    const issued = queue.core.ticket((next.events.at(-1) as { ticket: string }).ticket);
    expect(numbers).not.toContain(issued?.number);
    queue.close();
    expect(acknowledged.length).toBeGreaterThanOrEqual(37 + 61 + 23);
  });
});
