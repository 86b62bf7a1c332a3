// A power cut: the controller process (on a real Mosquitto) is killed with SIGKILL in the middle
// of a burst of desk issues and counter calls, at a moment when a ticket is reserved but its print
// not confirmed, and started again on the same data folder. Every acknowledged reply's effect is
// there, no number repeats, the unconfirmed ticket is void, the broker told everyone the
// controller was offline (its last will), and the new controller is online.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { memoryLogger } from "../../controller/health/log.js";
import { ContractClient } from "../../controller/mqtt/contract-client.js";
import type { TicketState } from "../../controller/queue/core/types.js";
import { DurableQueue, INTERRUPTED_PRINT } from "../../controller/queue/durable-queue.js";
import { mosquittoAvailable, type RunningMosquitto, startMosquitto } from "../support/mosquitto.js";
import { checkLedgerAgainstJournal } from "./support/invariants.js";
import { readJournalRecords } from "./support/journal-audit.js";
import { faultConfig, Ledger, type RetainedView, watchRetained } from "./support/office-under-test.js";
import { eventually, sleep, until } from "./support/wait.js";

const childScript = join(dirname(fileURLToPath(import.meta.url)), "support/controller-child.ts");
const BASE = "vooru/v1/faults/";

function startChild(url: string, dataDir: string): Promise<{ proc: ChildProcess; epoch: string }> {
  const proc = spawn(process.execPath, ["--import", "tsx", childScript, url, dataDir], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  proc.stderr?.on("data", (d) => {
    stderr += d;
  });
  return new Promise((resolve, reject) => {
    proc.stdout?.on("data", (d: Buffer) => {
      const epoch = /READY (\S+)/.exec(d.toString())?.[1];
      if (epoch) resolve({ proc, epoch });
    });
    proc.once("exit", (code, signal) => reject(new Error(`controller exited ${code ?? signal}: ${stderr}`)));
  });
}

const exited = (proc: ChildProcess) =>
  proc.exitCode !== null || proc.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((resolve) => proc.once("exit", () => resolve()));

/** Tickets reserved in the journal whose print is neither confirmed nor failed. */
function unconfirmed(dataDir: string): string[] {
  const open = new Set<string>();
  for (const e of readJournalRecords(dataDir)) {
    if (e.type === "ticket_reserved") open.add(e.ticket);
    else if (e.type === "ticket_issued" || e.type === "print_failed") open.delete(e.ticket);
  }
  return [...open];
}

/** Lifecycle order: a later state than acknowledged is fine (a reply lost in the cut). */
const RANK: Partial<Record<TicketState, number>> = { waiting: 0, called: 1, serving: 2, done: 3 };

describe.skipIf(!mosquittoAvailable())("controller SIGKILL during a burst", () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it("every acknowledged effect survives, no number repeats, the unconfirmed ticket is void, offline then online", async () => {
    const broker: RunningMosquitto = await startMosquitto();
    cleanups.push(() => broker.stop());
    const dataDir = mkdtempSync(join(tmpdir(), "vooru-faults-kill-"));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const status: RetainedView = await watchRetained(broker.url, BASE);
    cleanups.push(() => status.close());

    const first = await startChild(broker.url, dataDir);
    cleanups.push(() => void first.proc.kill("SIGKILL"));
    await eventually(() =>
      expect(status.json("status")).toMatchObject({ state: "online", epoch: first.epoch }),
    );
    const client = ContractClient.connect({ url: broker.url, office: "faults" });
    cleanups.push(() => client.close().catch(() => {}));
    const ledger = new Ledger();
    for (const counter of ["1", "2"]) {
      const reply = await client.request({ scope: "counter", counter, verb: "open" });
      if (reply.ok) ledger.counterReply(counter, "open", reply.result as Record<string, unknown>);
    }

    // The burst: the desk issues four at a time while two counters call, start and finish.
    let killed = false;
    const request = (target: Parameters<ContractClient["request"]>[0], args: Record<string, unknown> = {}) =>
      client.request(target, args, 15_000).catch(() => null);
    const desk = (async () => {
      while (!killed) {
        const replies = await Promise.all(
          ["pensions", "benefits", "documents", "benefits"].map((service) =>
            request({ scope: "desk", verb: "issue" }, { service, printer: "kiosk-1" }),
          ),
        );
        for (const reply of replies)
          if (reply?.ok)
            ledger.issued(
              (reply.result as { ticket: { id: string; number: string; service: string } }).ticket,
            );
      }
    })();
    const counting = ["1", "2"].map(async (counter) => {
      while (!killed)
        for (const verb of ["call_next", "start", "finish"]) {
          const reply = await request({ scope: "counter", counter, verb: verb as "call_next" });
          if (reply?.ok) ledger.counterReply(counter, verb, reply.result as Record<string, unknown>);
          else if (verb === "call_next") {
            await sleep(20);
            break;
          }
        }
    });
    // Not awaited: requests in flight at the kill never get a reply and end by their timeout.
    void desk;
    void Promise.all(counting);

    await until(() => ledger.tickets.size >= 20, "20 acknowledged tickets");
    // From now on the printer is silent: tickets sent to it stay reserved. Kill with one such.
    first.proc.stdin?.write("vanish\n");
    await until(() => unconfirmed(dataDir).length > 0, "a reserved, unconfirmed ticket", 20_000);
    killed = true;
    first.proc.kill("SIGKILL");
    await exited(first.proc);
    const acknowledged = new Map([...ledger.tickets].map(([id, t]) => [id, { ...t }]));
    // The counters were working during the burst, not only the desk.
    expect([...acknowledged.values()].filter((t) => t.expected !== "waiting").length).toBeGreaterThan(0);

    // The broker publishes the last will: offline, with the dead controller's epoch.
    await eventually(() =>
      expect(status.json("status")).toMatchObject({ state: "offline", epoch: first.epoch }),
    );

    const second = await startChild(broker.url, dataDir);
    cleanups.push(() => void second.proc.kill("SIGKILL"));
    expect(second.epoch).not.toBe(first.epoch);
    await eventually(() =>
      expect(status.json("status")).toMatchObject({ state: "online", epoch: second.epoch }),
    );
    // Issuing goes on after the restart, with new numbers (the audit below checks them).
    const after = ContractClient.connect({ url: broker.url, office: "faults" });
    cleanups.push(() => after.close().catch(() => {}));
    for (const service of ["pensions", "benefits", "documents"]) {
      const reply = await after.request({ scope: "desk", verb: "issue" }, { service, printer: "kiosk-1" });
      expect(reply.ok, JSON.stringify(reply)).toBe(true);
      if (reply.ok)
        ledger.issued((reply.result as { ticket: { id: string; number: string; service: string } }).ticket);
    }
    second.proc.kill("SIGTERM");
    await exited(second.proc);

    // The stopped controller's data folder, as the next start sees it.
    const queue = DurableQueue.open({
      config: faultConfig({}, "none"),
      dataDir,
      clock: Date.now,
      log: memoryLogger(),
    });
    cleanups.push(() => queue.close());
    const core = queue.core;
    // Acknowledged tickets are there, at least as far along as their last acknowledged reply said.
    for (const [id, t] of acknowledged) {
      const state = core.ticket(id)?.state;
      expect(
        RANK[state as TicketState],
        `${t.number} (acknowledged ${t.expected}) is ${state}`,
      ).toBeGreaterThanOrEqual(RANK[t.expected] ?? 0);
      // The ledger compares exact states below: take the state the journal has for it.
      const held = ledger.tickets.get(id);
      if (held) held.expected = state as TicketState;
    }
    const audit = checkLedgerAgainstJournal(dataDir, ledger, core);
    const interrupted = [...audit.tickets.values()].filter((t) => t.reason === INTERRUPTED_PRINT);
    expect(interrupted.length, "tickets voided because the print was interrupted").toBeGreaterThan(0);
    for (const t of interrupted)
      expect(acknowledged.has(t.id), `${t.number} was never acknowledged`).toBe(false);
    expect([...audit.tickets.values()].filter((t) => t.state === "reserved")).toEqual([]);
    // The retained state the restarted controller published is the queue's.
    await eventually(() => {
      for (const counter of ["1", "2", "3"]) {
        const shown = status.json(`counters/${counter}`) as { status: string; ticket: { id: string } | null };
        const state = core.view.counters.get(counter);
        expect({ status: shown?.status, ticket: shown?.ticket?.id ?? null }, counter).toEqual({
          status: state?.status,
          ticket: state?.ticket ?? null,
        });
      }
    });
    // The counters stayed open through the cut.
    expect(["1", "2"].map((c) => core.view.counters.get(c)?.status)).toEqual(["open", "open"]);
  });
});
