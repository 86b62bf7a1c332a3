import { appendFileSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { memoryLogger } from "../../../controller/health/log.js";
import type { QueueEvent } from "../../../controller/queue/core/types.js";
import { DurableQueue, INTERRUPTED_PRINT } from "../../../controller/queue/durable-queue.js";
import { MINUTE, officeConfig, T0 } from "../../support/office.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function setup(snapshotEvery = 1000) {
  const dataDir = mkdtempSync(join(tmpdir(), "vooru-dq-"));
  dirs.push(dataDir);
  let now = T0;
  const log = memoryLogger();
  const config = officeConfig({ journal: { dataDir, snapshotEvery } });
  const open = () => DurableQueue.open({ config, dataDir, clock: () => now, log });
  return { dataDir, log, open, advance: (ms: number) => (now += ms) };
}

function run(queue: DurableQueue, script: Array<Parameters<DurableQueue["execute"]>[0]>): void {
  for (const command of script) {
    const result = queue.execute(command);
    if (!result.ok) throw new Error(`${JSON.stringify(command)}: ${result.error.message}`);
  }
}

const DAY_SCRIPT: Array<Parameters<DurableQueue["execute"]>[0]> = [
  { type: "open", counter: "1" },
  { type: "open", counter: "2" },
  { type: "issue", service: "pensions" },
  { type: "confirm_print", ticket: "A001" },
  { type: "issue", service: "benefits", priority: 1 },
  { type: "confirm_print", ticket: "B001" },
  { type: "issue", service: "pensions" },
  { type: "confirm_print", ticket: "A002" },
  { type: "call_next", counter: "1" },
  { type: "start", counter: "1" },
  { type: "finish", counter: "1" },
  { type: "call_next", counter: "1" },
  { type: "park", counter: "1" },
  { type: "reissue", ticket: "A002", service: "benefits" },
  { type: "confirm_print", ticket: "B002" },
];

describe("DurableQueue", () => {
  it("state after a restart equals the state before it, with and without snapshots", () => {
    for (const snapshotEvery of [1000, 10]) {
      const office = setup(snapshotEvery);
      const queue = office.open();
      run(queue, DAY_SCRIPT);
      const before = queue.core.toJson();
      queue.close();
      const reopened = office.open();
      expect(reopened.core.toJson()).toEqual(before);
      reopened.close();
      if (snapshotEvery === 10) expect(readdirSync(office.dataDir)).toContain("snapshot.json");
    }
  });

  it("a second controller on the same data folder refuses to start", () => {
    const office = setup();
    const first = office.open();
    expect(() => office.open()).toThrow(/is already open in this process/);
    first.close();
    office.open().close();
  });

  it("a ticket whose print was never confirmed is voided on start, with a warning", () => {
    const office = setup();
    const queue = office.open();
    run(queue, [{ type: "issue", service: "pensions" }]);
    // No close: the process "died" here. Release only the lock, as the OS would for a dead pid.
    (queue as unknown as { lock: { release(): void } }).lock.release();
    const reopened = office.open();
    expect(reopened.core.ticket("A001")).toMatchObject({ state: "void", printFailure: INTERRUPTED_PRINT });
    expect(office.log.lines).toContain("warn: voided 1 ticket(s) whose print was not confirmed: A001");
    run(reopened, [{ type: "issue", service: "pensions" }]);
    expect(reopened.core.ticket("A002")?.state).toBe("reserved");
    reopened.close();
  });

  it("rolls the day over when started after the reset time", () => {
    const office = setup();
    const queue = office.open();
    run(queue, DAY_SCRIPT.slice(0, 4));
    queue.close();
    office.advance(24 * 60 * MINUTE);
    const reopened = office.open();
    expect(reopened.core.day).toBe("2026-11-25");
    expect(reopened.core.view.history.at(-1)).toMatchObject({ day: "2026-11-24", issued: 1, expired: 1 });
    reopened.close();
  });

  it("a torn last line from a power cut is set aside and the rest is kept", () => {
    const office = setup();
    const queue = office.open();
    run(queue, DAY_SCRIPT.slice(0, 4));
    const before = queue.core.toJson();
    queue.close();
    const segment = join(
      office.dataDir,
      "journal",
      readdirSync(join(office.dataDir, "journal")).find((f) => f.endsWith(".jsonl")) ?? "",
    );
    appendFileSync(segment, '{"type":"ticket_reserved","tick');
    const reopened = office.open();
    expect(reopened.core.toJson()).toEqual(before);
    expect(office.log.lines.some((l) => l.includes("set aside a torn last line"))).toBe(true);
    run(reopened, [{ type: "issue", service: "pensions" }]);
    reopened.close();
  });

  it("listeners hear each durable batch; a failing listener breaks nothing", () => {
    const office = setup();
    const queue = office.open();
    const heard: QueueEvent[][] = [];
    queue.onEvents(() => {
      throw new Error("listener bug");
    });
    queue.onEvents((events) => heard.push([...events]));
    run(queue, [
      { type: "open", counter: "1" },
      { type: "issue", service: "pensions" },
    ]);
    expect(heard.map((batch) => batch.map((e) => e.type))).toEqual([["counter_opened"], ["ticket_reserved"]]);
    expect(office.log.lines.filter((l) => l.includes("listener bug"))).toHaveLength(2);
    queue.close();
  });

  it("a journal that cannot be written refuses the command and changes nothing", () => {
    const office = setup();
    const queue = office.open();
    run(queue, [{ type: "open", counter: "1" }]);
    const before = queue.core.toJson();
    const journal = (queue as unknown as { journal: { append(): void } }).journal;
    const append = journal.append;
    journal.append = () => {
      throw new Error("ENOSPC: no space left on device");
    };
    const result = queue.execute({ type: "issue", service: "pensions" });
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: "JOURNAL_UNAVAILABLE",
        message: "the journal cannot be written: ENOSPC: no space left on device",
      },
    });
    expect(queue.core.toJson()).toEqual(before);
    journal.append = append;
    run(queue, [{ type: "issue", service: "pensions" }]);
    expect(queue.core.ticket("A001")?.state).toBe("reserved");
    queue.close();
  });
});
