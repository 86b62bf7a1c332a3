// systemd's notify protocol for `vooru start` under the unit in deploy/systemd/vooru.service:
// READY=1 once the office runs, STOPPING=1 on shutdown, and WATCHDOG=1 every WatchdogSec/2, sent
// only while the health checks pass (watchdog-health.ts), so a hung or broken controller is
// restarted by systemd. Active only when NOTIFY_SOCKET is set; otherwise nothing happens.
//
// How the datagram gets out: Node has no AF_UNIX datagram sockets, and `npm ci` must not compile
// native code (sd-notify, unix-dgram do), so each message is sent by spawning `systemd-notify`
// (package systemd, always there under systemd). Its limits, and why the unit says what it says:
// - The message comes from the child's pid, not the main pid: the unit needs NotifyAccess=all
//   (any process of the service's cgroup; not "any process on the machine"). Unprivileged,
//   systemd-notify cannot pose as its parent, it falls back to its own pid.
// - systemd attributes a message by the sender's cgroup, looked up while the sender lives; a
//   sender that exits first is dropped (systemd#2737). systemd-notify (v246+, Bookworm has 252)
//   waits by default until the manager processed the message (sd_notify_barrier): never pass
//   --no-block, which brings the race back.
// - With NotifyAccess=all any process of the service could speak for it, so NOTIFY_SOCKET (and
//   the WATCHDOG_* variables) are taken out of process.env at once: children such as udevadm
//   (spawned by serialport's list) never see them; only systemd-notify gets the socket.
// - A spawn costs a few milliseconds every WatchdogSec/2 (15 s with the shipped unit).

import { execFile } from "node:child_process";
import type { Logger } from "../health/log.js";
import {
  eventLoopDelayCheck,
  type HealthCheck,
  journalWritableCheck,
  removeProbe,
} from "./watchdog-health.js";

export interface SystemdNotifierOptions {
  log: Logger;
  /** Read, and the notify variables removed from it; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Our pid, compared with WATCHDOG_PID; default process.pid. */
  pid?: number;
  /** The sender; default "systemd-notify" on PATH. */
  command?: string;
  /** Longest event-loop delay that still counts as healthy; default 2000 ms. */
  maxEventLoopDelayMs?: number;
}

export interface ReadyOptions {
  /** The journal's folder: the watchdog's write probe goes there. */
  dataDir: string;
  /** A line for `systemctl status`. */
  status?: string;
  /** Replaces the default checks (event-loop delay, journal writable); for tests. */
  checks?: HealthCheck[];
}

export class SystemdNotifier {
  readonly #log: Logger;
  readonly #socket: string;
  readonly #command: string;
  readonly #path: string;
  readonly #maxDelayMs: number;
  /** Ping period (WatchdogSec / 2), or null when systemd runs no watchdog for us. */
  readonly watchdogIntervalMs: number | null;
  #chain: Promise<unknown> = Promise.resolve();
  #timer: NodeJS.Timeout | null = null;
  #stopChecks: (() => void) | null = null;
  #dataDir: string | null = null;
  #healthy = true;
  #sendFailing = false;
  #stopped = false;
  /** Pings sent, for tests and the log. */
  pings = 0;

  /** A notifier when systemd gave us a notify socket, else null. */
  static fromEnvironment(options: SystemdNotifierOptions): SystemdNotifier | null {
    const env = options.env ?? process.env;
    const socket = env.NOTIFY_SOCKET;
    const usec = Number(env.WATCHDOG_USEC);
    const watchdogPid = env.WATCHDOG_PID === undefined ? undefined : Number(env.WATCHDOG_PID);
    // Taken out at once, as sd_notify's unset_environment does (see the comment at the top).
    delete env.NOTIFY_SOCKET;
    delete env.WATCHDOG_USEC;
    delete env.WATCHDOG_PID;
    if (!socket) return null;
    const ours = watchdogPid === undefined || watchdogPid === (options.pid ?? process.pid);
    const interval = Number.isFinite(usec) && usec > 0 && ours ? Math.max(50, usec / 2000) : null;
    return new SystemdNotifier(options, socket, env.PATH ?? "/usr/bin:/bin", interval);
  }

  private constructor(
    options: SystemdNotifierOptions,
    socket: string,
    path: string,
    interval: number | null,
  ) {
    this.#log = options.log;
    this.#socket = socket;
    this.#command = options.command ?? "systemd-notify";
    this.#path = path;
    this.#maxDelayMs = options.maxEventLoopDelayMs ?? 2000;
    this.watchdogIntervalMs = interval;
  }

  /** The office runs: READY=1, and the watchdog pings begin. */
  async ready(options: ReadyOptions): Promise<void> {
    this.#dataDir = options.dataDir;
    await this.#send(["READY=1", `STATUS=${options.status ?? "running"}`]);
    const interval = this.watchdogIntervalMs;
    if (interval === null || this.#stopped) return;
    let checks = options.checks;
    if (!checks) {
      const loop = eventLoopDelayCheck(this.#maxDelayMs);
      this.#stopChecks = loop.stop;
      checks = [loop.check, journalWritableCheck(options.dataDir, Math.max(1000, interval - 500))];
    }
    this.#log.info(`systemd watchdog: a ping every ${Math.round(interval)} ms while healthy`);
    const all = checks;
    const tick = async () => {
      const problems = (await Promise.all(all.map((c) => c().catch((e: Error) => e.message)))).filter(
        (p): p is string => p !== null,
      );
      if (this.#stopped) return;
      await this.#judge(problems);
      if (!this.#stopped) this.#timer = setTimeout(() => void tick(), interval).unref();
    };
    this.#timer = setTimeout(() => void tick(), 0).unref();
  }

  async status(text: string): Promise<void> {
    await this.#send([`STATUS=${text}`]);
  }

  /** Shutdown begins: no more pings, STOPPING=1. */
  async stopping(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#stopChecks?.();
    await this.#send(["STOPPING=1", "STATUS=stopping"]);
    if (this.#dataDir) await removeProbe(this.#dataDir);
  }

  async #judge(problems: string[]): Promise<void> {
    if (problems.length === 0) {
      if (!this.#healthy) {
        this.#healthy = true;
        this.#log.info("systemd watchdog: healthy again, pings resumed");
        await this.#send(["STATUS=running"]);
      }
      if (await this.#send(["WATCHDOG=1"])) this.pings++;
      return;
    }
    const why = problems.join("; ");
    if (this.#healthy) {
      this.#healthy = false;
      // Said once: journald keeps it next to systemd's "Watchdog timeout" if the restart comes.
      this.#log.warn(`systemd watchdog: holding back pings (systemd restarts vooru if this lasts): ${why}`);
    }
    await this.#send([`STATUS=unhealthy: ${why}`]);
  }

  /** One message, in order after the ones before it; true when systemd-notify succeeded. */
  #send(fields: string[]): Promise<boolean> {
    const sent = this.#chain.then(
      () =>
        new Promise<boolean>((resolve) => {
          // Its own small environment: the socket and PATH, nothing else of ours.
          const env = { NOTIFY_SOCKET: this.#socket, PATH: this.#path };
          // The barrier wait is 5 s at most; a systemd-notify still running after 10 s is killed.
          execFile(this.#command, fields, { env, timeout: 10_000 }, (error, _out, stderr) => {
            if (error) {
              if (!this.#sendFailing)
                this.#log.error(
                  `systemd-notify ${fields[0]} failed (is NotifyAccess=all set?): ${String(stderr).trim() || error.message}`,
                );
              this.#sendFailing = true;
              resolve(false);
            } else {
              if (this.#sendFailing) this.#log.info("systemd-notify works again");
              this.#sendFailing = false;
              resolve(true);
            }
          });
        }),
    );
    this.#chain = sent;
    return sent;
  }
}
