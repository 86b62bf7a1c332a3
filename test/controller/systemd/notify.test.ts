// The systemd notifier with a fake `systemd-notify` that records its arguments and environment,
// and once with the real systemd-notify against a real datagram socket (python3 receives there,
// as PID 1 would). Watchdog pings stop while a check fails and resume after.
import { execFileSync, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { memoryLogger } from "../../../controller/health/log.js";
import { SystemdNotifier } from "../../../controller/systemd/notify.js";
import { PROBE_FILE } from "../../../controller/systemd/watchdog-health.js";

const dirs: string[] = [];
const notifiers: SystemdNotifier[] = [];
afterEach(async () => {
  for (const n of notifiers.splice(0)) await n.stopping();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "vooru-notify-"));
  dirs.push(dir);
  return dir;
}

/** A systemd-notify stand-in: one line per call, "NOTIFY_SOCKET|OTHER_ENV|args". */
function fakeNotify(dir: string): { command: string; calls: () => string[] } {
  const record = join(dir, "calls.txt");
  const command = join(dir, "systemd-notify");
  writeFileSync(
    command,
    `#!/bin/sh\nprintf '%s|%s|%s\\n' "$NOTIFY_SOCKET" "\${WATCHDOG_USEC:-}\${RECORD_LEAK:-}" "$*" >> '${record}'\n`,
  );
  chmodSync(command, 0o755);
  return {
    command,
    calls: () => (existsSync(record) ? readFileSync(record, "utf8").trim().split("\n") : []),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitFor(done: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!done()) {
    if (Date.now() > end) throw new Error("timed out");
    await sleep(10);
  }
}
const pings = (calls: string[]) => calls.filter((c) => c.endsWith("|WATCHDOG=1")).length;

describe("systemd notifier", () => {
  it("does nothing without NOTIFY_SOCKET", () => {
    expect(SystemdNotifier.fromEnvironment({ log: memoryLogger(), env: { PATH: "/usr/bin" } })).toBeNull();
  });

  it("takes the notify variables out of the environment, so no other child can speak for vooru", () => {
    const env: NodeJS.ProcessEnv = { NOTIFY_SOCKET: "/run/x", WATCHDOG_USEC: "30000000", WATCHDOG_PID: "7" };
    const notifier = SystemdNotifier.fromEnvironment({ log: memoryLogger(), env, pid: 7 });
    expect(env).toEqual({});
    expect(notifier?.watchdogIntervalMs).toBe(15_000);
    // A watchdog meant for another pid (we were forked by the main process) is not ours.
    const other = SystemdNotifier.fromEnvironment({
      log: memoryLogger(),
      env: { NOTIFY_SOCKET: "/run/x", WATCHDOG_USEC: "30000000", WATCHDOG_PID: "8" },
      pid: 7,
    });
    expect(other?.watchdogIntervalMs).toBeNull();
  });

  it("READY=1, then WATCHDOG=1 only while the checks pass; STOPPING=1 at the end", async () => {
    const dir = tempDir();
    const fake = fakeNotify(dir);
    const log = memoryLogger();
    const env = {
      NOTIFY_SOCKET: "@/vooru/test",
      WATCHDOG_USEC: "100000",
      PATH: process.env.PATH,
      RECORD_LEAK: "x",
    };
    const notifier = SystemdNotifier.fromEnvironment({ log, env, command: fake.command, pid: process.pid });
    if (!notifier) throw new Error("no notifier");
    notifiers.push(notifier);
    let problem: string | null = null;
    await notifier.ready({ dataDir: dir, status: "office t running", checks: [async () => problem] });
    expect(fake.calls()[0]).toBe("@/vooru/test||READY=1 STATUS=office t running"); // nothing else of our env
    await waitFor(() => pings(fake.calls()) >= 2);

    problem = "the journal is on fire";
    await waitFor(() => fake.calls().some((c) => c.includes("STATUS=unhealthy: the journal is on fire")));
    const held = pings(fake.calls());
    await sleep(350); // three intervals
    expect(pings(fake.calls())).toBe(held);
    expect(log.lines).toContain(
      "warn: systemd watchdog: holding back pings (systemd restarts vooru if this lasts): the journal is on fire",
    );

    problem = null;
    await waitFor(() => pings(fake.calls()) >= held + 2);
    expect(log.lines).toContain("info: systemd watchdog: healthy again, pings resumed");

    await notifier.stopping();
    const after = fake.calls().length;
    expect(fake.calls().at(-1)).toBe("@/vooru/test||STOPPING=1 STATUS=stopping");
    await sleep(250);
    expect(fake.calls()).toHaveLength(after);
  });

  it("the default checks: a blocked event loop and an unwritable data folder hold the pings back", async () => {
    const dir = tempDir();
    const fake = fakeNotify(dir);
    const log = memoryLogger();
    const dataDir = join(dir, "data"); // not there yet: nothing can be written
    const env = { NOTIFY_SOCKET: "/run/systemd/notify", WATCHDOG_USEC: "200000", PATH: process.env.PATH };
    const notifier = SystemdNotifier.fromEnvironment({
      log,
      env,
      command: fake.command,
      maxEventLoopDelayMs: 150,
    });
    if (!notifier) throw new Error("no notifier");
    notifiers.push(notifier);
    await notifier.ready({ dataDir });
    await waitFor(() => fake.calls().some((c) => c.includes("STATUS=unhealthy: the data folder")));
    expect(pings(fake.calls())).toBe(0);

    mkdirSync(dataDir);
    await waitFor(() => pings(fake.calls()) >= 2);
    expect(existsSync(join(dataDir, PROBE_FILE))).toBe(true);

    const before = pings(fake.calls());
    const end = Date.now() + 400;
    while (Date.now() < end) {} // the event loop is stuck for 400 ms
    await waitFor(() =>
      fake
        .calls()
        .some((c) => /STATUS=unhealthy: the event loop was blocked for \d+ ms \(limit 150 ms\)/.test(c)),
    );
    expect(pings(fake.calls())).toBe(before);
    await waitFor(() => pings(fake.calls()) >= before + 2); // it turns again: pings resume

    await notifier.stopping();
    expect(existsSync(join(dataDir, PROBE_FILE))).toBe(false);
  });

  it("reports a failing systemd-notify once, and keeps going", async () => {
    const dir = tempDir();
    const log = memoryLogger();
    const env = { NOTIFY_SOCKET: "/run/systemd/notify", WATCHDOG_USEC: "100000", PATH: process.env.PATH };
    const notifier = SystemdNotifier.fromEnvironment({ log, env, command: join(dir, "no-such-notify") });
    if (!notifier) throw new Error("no notifier");
    notifiers.push(notifier);
    await notifier.ready({ dataDir: dir, checks: [async () => null] });
    await sleep(350);
    expect(log.lines.filter((l) => l.includes("failed (is NotifyAccess=all set?)"))).toHaveLength(1);
  });
});

function hasTool(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: "ignore", timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

const realTools = hasTool("systemd-notify", ["--version"]) && hasTool("python3", ["-c", "import socket"]);

describe.skipIf(!realTools)(
  "systemd notifier with the real systemd-notify (needs systemd-notify and python3)",
  () => {
    it("READY=1 and WATCHDOG=1 arrive as datagrams on NOTIFY_SOCKET, without waiting out the barrier", async () => {
      const dir = tempDir();
      const socketPath = join(dir, "notify");
      // Receives like PID 1, without taking the barrier's fd, so the kernel closes it at once.
      const receiver = spawn(
        "python3",
        [
          "-u",
          "-c",
          "import socket,sys\ns=socket.socket(socket.AF_UNIX,socket.SOCK_DGRAM)\ns.bind(sys.argv[1])\nprint('bound')\nwhile True: print(repr(s.recv(4096).decode()))",
          socketPath,
        ],
        { stdio: ["ignore", "pipe", "inherit"] },
      );
      let received = "";
      receiver.stdout.on("data", (chunk: Buffer) => {
        received += chunk.toString();
      });
      try {
        await waitFor(() => received.includes("bound"), 10_000);
        const env = { NOTIFY_SOCKET: socketPath, WATCHDOG_USEC: "200000", PATH: process.env.PATH };
        const notifier = SystemdNotifier.fromEnvironment({ log: memoryLogger(), env });
        if (!notifier) throw new Error("no notifier");
        notifiers.push(notifier);
        const started = Date.now();
        await notifier.ready({ dataDir: dir, status: "up", checks: [async () => null] });
        expect(Date.now() - started).toBeLessThan(2000); // the barrier did not time out (5 s)
        await waitFor(() => (received.match(/WATCHDOG=1/g) ?? []).length >= 2, 10_000);
        expect(received).toContain("'READY=1\\nSTATUS=up'");
        expect(received).toContain("'BARRIER=1'"); // systemd-notify waited for the manager
      } finally {
        receiver.kill();
      }
    });
  },
);
