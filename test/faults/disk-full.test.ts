// The journal's disk really full: the data folder is a small tmpfs, filled to the last byte by
// another file while the office runs. New tickets (desk and kiosk) and counter calls are refused
// with JOURNAL_UNAVAILABLE and a critical alert, nothing changes, nothing issued is lost; once
// space is freed the office works again and the alert clears. A ticket whose reservation still
// fitted but whose confirmation did not (the print came out: the customer holds it) joins the
// queue at the first write that succeeds. Needs mount (root, or passwordless sudo); without it
// the tests are skipped and say why.
import { spawnSync } from "node:child_process";
import {
  closeSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { memoryLogger } from "../../controller/health/log.js";
import { DurableQueue } from "../../controller/queue/durable-queue.js";
import { ticketNumberOf } from "../../demo/simulation.js";
import { T0 } from "../support/office.js";
import { checkInvariants, checkLedgerAgainstJournal } from "./support/invariants.js";
import { faultConfig, KIOSK, OfficeUnderTest } from "./support/office-under-test.js";
import { eventually, until } from "./support/wait.js";

/** mount and umount as root (CI), or through passwordless sudo on a developer's machine. */
function privileged(command: string, args: string[]) {
  const root = process.getuid?.() === 0;
  return spawnSync(root ? command : "sudo", root ? args : ["-n", command, ...args], { encoding: "utf8" });
}

function mountTmpfs(dir: string, size: string): string | null {
  // Owned by whoever runs the test, so the controller writes there without root.
  const options = `size=${size},mode=0700,uid=${process.getuid?.() ?? 0},gid=${process.getgid?.() ?? 0}`;
  const mounted = privileged("mount", ["-t", "tmpfs", "-o", options, "tmpfs", dir]);
  if (mounted.error) return mounted.error.message;
  return mounted.status === 0 ? null : `mount -t tmpfs failed: ${mounted.stderr.trim() || mounted.status}`;
}

/** Why a small file system cannot be made here (not root, no mount in the container), or null. */
function whyNoTmpfs(): string | null {
  if (process.platform !== "linux") return "not Linux";
  const dir = mkdtempSync(join(tmpdir(), "vooru-faults-probe-"));
  try {
    const failed = mountTmpfs(dir, "64k");
    if (failed === null) privileged("umount", [dir]);
    return failed;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes a file until the file system says ENOSPC, down to single bytes: not a byte is left. */
function fillUp(path: string): void {
  const fd = openSync(path, "w");
  try {
    for (const size of [65_536, 4096, 1]) {
      const chunk = Buffer.alloc(size, 0x2e);
      try {
        for (;;) writeSync(fd, chunk);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
      }
    }
  } finally {
    closeSync(fd);
  }
}

const noTmpfs = whyNoTmpfs();
/** tmpfs gives a file its space a page at a time (4 KiB on x86, 16 KiB on a Pi 5's kernel). */
const PAGE = Number(spawnSync("getconf", ["PAGESIZE"], { encoding: "utf8" }).stdout) || 4096;

describe.skipIf(noTmpfs !== null)(
  `disk full on the journal${noTmpfs ? ` (skipped: ${noTmpfs})` : ""}`,
  () => {
    const cleanups: Array<() => Promise<void> | void> = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });

    /** An office whose data folder is a fresh 2 MiB tmpfs, on a Tuesday morning whenever run. */
    async function officeOnTmpfs() {
      const dataDir = mkdtempSync(join(tmpdir(), "vooru-faults-full-"));
      cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
      expect(mountTmpfs(dataDir, "2m")).toBeNull();
      cleanups.push(() => void privileged("umount", ["-l", dataDir]));
      const started = Date.now();
      const clock = () => T0 + (Date.now() - started);
      const o = await OfficeUnderTest.start({ dataDir, clock });
      let stopped = false;
      cleanups.push(() => (stopped ? undefined : o.stop()));
      return {
        o,
        dataDir,
        clock,
        async stop() {
          stopped = true;
          await o.stop();
        },
      };
    }

    it("refuses new tickets and calls with JOURNAL_UNAVAILABLE and a critical alert, loses nothing, and recovers", async () => {
      const { o, dataDir, clock, stop } = await officeOnTmpfs();
      const core = o.office.queue.core;
      for (const counter of ["1", "2"]) expect((await o.counter(counter, "open")).ok).toBe(true);
      for (const service of ["pensions", "benefits"]) expect((await o.issue(service)).ok).toBe(true);
      expect(await o.press("2")).toMatchObject({ outcome: "issued", ticket: "C001" });
      expect(await o.counter("1", "call_next")).toMatchObject({
        ok: true,
        result: { ticket: { number: "A001" } },
      });
      const before = JSON.stringify(core.toJson());

      // The next append starts a new segment file, which the full disk has no room for (else the
      // last page of the current one could still take a line or two).
      o.office.queue.snapshot();
      const filler = join(dataDir, "filler");
      fillUp(filler);

      const refused = await o.issue("pensions");
      expect(refused).toMatchObject({ ok: false, error: { code: "JOURNAL_UNAVAILABLE" } });
      expect(refused.ok || refused.error.message).toMatch(/ENOSPC/);
      await until(
        () =>
          o.office.health
            .activeAlerts()
            .some(
              (a) => a.device === "journal" && a.code === "JOURNAL_UNAVAILABLE" && a.severity === "critical",
            ),
        "the critical JOURNAL_UNAVAILABLE alert",
      );
      await eventually(() =>
        expect(o.retained.json("alerts/journal")).toMatchObject({
          code: "JOURNAL_UNAVAILABLE",
          severity: "critical",
        }),
      );
      await eventually(() =>
        expect(o.retained.json("devices/journal")).toMatchObject({ status: "degraded" }),
      );
      // A press takes no number and prints nothing; a counter cannot call; nothing changed.
      const printed = o.office.simulated.printers.get("kiosk-1")?.printer.tickets().length;
      expect(await o.press("0")).toMatchObject({ outcome: "print_failed" });
      expect(await o.counter("2", "call_next")).toMatchObject({
        ok: false,
        error: { code: "JOURNAL_UNAVAILABLE" },
      });
      expect(await o.counter("1", "start")).toMatchObject({
        ok: false,
        error: { code: "JOURNAL_UNAVAILABLE" },
      });
      expect(o.office.simulated.printers.get("kiosk-1")?.printer.tickets().length).toBe(printed);
      expect(JSON.stringify(core.toJson())).toBe(before);

      rmSync(filler);
      // The next write succeeds and clears the alert; numbering goes on where it stopped.
      expect(await o.issue("pensions")).toMatchObject({ ok: true, result: { ticket: { number: "A002" } } });
      expect(await o.counter("1", "start")).toMatchObject({ ok: true });
      expect(await o.counter("2", "call_next")).toMatchObject({
        ok: true,
        result: { ticket: { number: "B001" } },
      });
      expect(await o.press("0")).toMatchObject({ outcome: "issued", ticket: "A003" });
      await eventually(() => expect(o.retained.json("devices/journal")).toMatchObject({ status: "ok" }));
      await checkInvariants(o);

      // And after a restart, from the disk that was full: everything acknowledged is there.
      const ledger = o.ledger;
      await stop();
      const queue = DurableQueue.open({
        config: faultConfig({}, "none"),
        dataDir,
        clock,
        log: memoryLogger(),
      });
      try {
        checkLedgerAgainstJournal(dataDir, ledger, queue.core);
        expect(queue.core.openTickets().map((t) => t.number)).toEqual([
          "A001",
          "B001",
          "C001",
          "A002",
          "A003",
        ]);
      } finally {
        queue.close();
      }
    });

    it("an idle office: the full disk is alerted within 10 s with no command, and cleared when space is back", async () => {
      const { o, dataDir } = await officeOnTmpfs();
      const journalAlert = () =>
        o.office.health
          .activeAlerts()
          .find((a) => a.device === "journal" && a.code === "JOURNAL_UNAVAILABLE");
      const filler = join(dataDir, "filler");
      const since = performance.now();
      fillUp(filler);
      await until(
        () => journalAlert() !== undefined,
        "JOURNAL_UNAVAILABLE from the background probe",
        15_000,
      );
      const seconds = (performance.now() - since) / 1000;
      console.log(`disk full while idle: JOURNAL_UNAVAILABLE after ${seconds.toFixed(1)} s`);
      expect(seconds).toBeLessThanOrEqual(10);
      expect(journalAlert()?.severity).toBe("critical");
      expect(journalAlert()?.message).toMatch(/ENOSPC|no space/i);
      rmSync(filler);
      await until(() => journalAlert() === undefined, "the alert cleared once space is back", 15_000);
    });

    it("a ticket printed just as the disk fills up joins the queue once the journal can be written", async () => {
      const { o, dataDir } = await officeOnTmpfs();
      const segment = () => {
        const dir = join(dataDir, "journal");
        return join(
          dir,
          readdirSync(dir)
            .filter((n) => n.endsWith(".jsonl"))
            .sort()
            .at(-1) as string,
        );
      };
      expect((await o.counter("1", "open")).ok).toBe(true);
      // Seqs of one width from here to the fault (two digits; three on a kernel with bigger
      // pages, which need more padding), so every reservation line is as long as the one measured.
      for (let i = 0; i < (PAGE > 4096 ? 100 : 6); i++)
        await o.counter("3", i % 2 === 0 ? "open" : "pause", {}, "direct");
      expect(await o.press("0")).toMatchObject({ outcome: "issued", ticket: "A001" });
      const lines = readFileSync(segment(), "utf8")
        .split("\n")
        .filter((l) => l !== "");
      const reserveBytes = (lines.at(-2)?.length ?? 0) + 1;
      const confirmBytes = (lines.at(-1)?.length ?? 0) + 1;
      // Counter events until the segment's last page has room for the next reservation but not
      // for its confirmation: on a full disk the reservation is written, the print comes out, and
      // the confirmation needs a page the disk no longer has.
      const room = () => (PAGE - (statSync(segment()).size % PAGE)) % PAGE;
      for (let i = 0; !(room() >= reserveBytes && room() < reserveBytes + confirmBytes); i++) {
        expect(i, "padding the journal's last page").toBeLessThan(PAGE / 40);
        await o.counter("3", i % 2 === 0 ? "close" : "open", {}, "direct");
      }
      const filler = join(dataDir, "filler");
      fillUp(filler);
      const pressed = await o.press("1");
      expect(pressed).toMatchObject({ outcome: "print_failed" });
      expect(pressed.reason).toMatch(/^B001 was printed but the journal cannot be written/);
      const kiosk = o.office.simulated.printers.get(KIOSK)?.printer;
      expect(kiosk?.tickets().map(ticketNumberOf)).toEqual(["A001", "B001"]);
      // The customer holds B001: it is theirs, though not in the queue while the disk is full.
      o.ledger.issued({ id: "2026-11-24-B001", number: "B001", service: "benefits" }, KIOSK);
      expect(o.office.queue.core.ticket("B001")?.state).toBe("reserved");
      expect(o.office.health.activeAlerts().map((a) => a.code)).toContain("JOURNAL_UNAVAILABLE");

      rmSync(filler);
      // The first write that succeeds confirms B001 first; it keeps its place behind A001.
      expect(await o.counter("1", "call_next")).toMatchObject({
        ok: true,
        result: { ticket: { number: "A001" } },
      });
      expect(o.office.queue.core.ticket("B001")?.state).toBe("waiting");
      expect(await o.counter("1", "start")).toMatchObject({ ok: true });
      expect(await o.counter("1", "finish")).toMatchObject({ ok: true });
      expect(await o.counter("1", "call_next")).toMatchObject({
        ok: true,
        result: { ticket: { number: "B001" } },
      });
      await checkInvariants(o);
    });
  },
);
