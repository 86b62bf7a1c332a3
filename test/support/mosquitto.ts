// A real Mosquitto for integration tests: a free loopback port, a temp config, stderr captured so a
// failing start says why. CI installs mosquitto; tests using this use describe.skipIf(!mosquittoAvailable()).
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const SBIN = "/usr/sbin/mosquitto";
const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;
const LOG_LIMIT = 256 * 1024;

export function mosquittoBinary(): string | null {
  if (existsSync(SBIN)) return SBIN;
  const which = spawnSync("which", ["mosquitto"], { encoding: "utf8" });
  const path = which.status === 0 ? which.stdout.trim() : "";
  return path.length > 0 ? path : null;
}

export function mosquittoAvailable(): boolean {
  return mosquittoBinary() !== null;
}

/** A loopback port nobody listens on right now (the OS picks it; we close and hand it out). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error("no port assigned"))));
    });
  });
}

export interface MosquittoOptions {
  /** Extra mosquitto.conf lines, appended after the test listener. */
  config?: string;
  /** Turn persistence on, with the database in this folder. */
  persistenceDir?: string;
}

export interface RunningMosquitto {
  port: number;
  /** mqtt://127.0.0.1:{port} */
  url: string;
  /** SIGTERM (Mosquitto saves its persistence database) and wait for the exit. */
  stop(): Promise<void>;
  /** stop() and start again on the same port with the same config. */
  restart(): Promise<void>;
  /** SIGKILL at once: a broker crash (nothing saved). */
  kill(): void;
  /** What Mosquitto logged so far, across restarts. */
  log(): string;
}

// Brokers still running when the test process exits are killed, so a failed test leaves none behind.
const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function track(child: ChildProcess): void {
  live.add(child);
  child.once("exit", () => live.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once("exit", () => {
      for (const c of live) c.kill("SIGKILL");
    });
  }
}

function has(config: string, option: string): boolean {
  return new RegExp(`^\\s*${option}\\s`, "m").test(config);
}

function confText(port: number, options: MosquittoOptions): string {
  const extra = options.config ?? "";
  const lines = [
    "# vooru test broker (test/support/mosquitto.ts)",
    `listener ${port} 127.0.0.1`,
    "set_tcp_nodelay true",
    "log_dest stderr",
    "log_type error",
    "log_type warning",
    "log_type notice",
    "log_type information",
    "connection_messages true",
  ];
  if (!has(extra, "allow_anonymous")) lines.push("allow_anonymous true");
  // As root Mosquitto drops to the `mosquitto` user, who cannot read our temp files.
  if (process.getuid?.() === 0 && !has(extra, "user")) lines.push("user root");
  if (options.persistenceDir !== undefined)
    lines.push("persistence true", `persistence_location ${options.persistenceDir.replace(/\/?$/, "/")}`);
  return `${lines.join("\n")}\n${extra}\n`;
}

function connectOnce(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startMosquitto(options: MosquittoOptions = {}): Promise<RunningMosquitto> {
  const binary = mosquittoBinary();
  if (!binary) throw new Error("mosquitto is not installed (apt-get install -y mosquitto)");
  const dir = mkdtempSync(join(tmpdir(), "vooru-mosquitto-"));
  const confPath = join(dir, "mosquitto.conf");
  let log = "";
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();

  const launch = async (port: number): Promise<void> => {
    mkdirSync(dir, { recursive: true });
    // Mosquitto does not create its persistence folder.
    if (options.persistenceDir !== undefined) mkdirSync(options.persistenceDir, { recursive: true });
    writeFileSync(confPath, confText(port, options));
    const started = spawn(binary, ["-c", confPath], { stdio: ["ignore", "ignore", "pipe"] });
    child = started;
    track(started);
    exited = new Promise((resolve) => started.once("exit", () => resolve()));
    const logStart = log.length;
    started.stderr?.setEncoding("utf8");
    started.stderr?.on("data", (chunk: string) => {
      log = (log + chunk).slice(-LOG_LIMIT);
    });
    const deadline = Date.now() + START_TIMEOUT_MS;
    // "running" is logged once every listener is open; the TCP connect confirms ours answers.
    while (Date.now() < deadline) {
      if (started.exitCode !== null || started.signalCode !== null) {
        throw new Error(`mosquitto exited (${started.exitCode ?? started.signalCode}) on start:\n${log}`);
      }
      if (/ running\b/.test(log.slice(logStart)) && (await connectOnce(port))) return;
      await sleep(50);
    }
    started.kill("SIGKILL");
    throw new Error(`mosquitto did not accept connections on port ${port} within 10 s:\n${log}`);
  };

  const halt = async (): Promise<void> => {
    const running = child;
    if (running && running.exitCode === null && running.signalCode === null) {
      running.kill("SIGTERM");
      const timer = setTimeout(() => running.kill("SIGKILL"), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
    await exited;
  };

  // Another process may take the free port before Mosquitto binds it: try a fresh port then.
  let port = await freePort();
  for (let attempt = 1; ; attempt++) {
    try {
      await launch(port);
      break;
    } catch (error) {
      await halt();
      if (attempt >= 3 || !/Address already in use/.test(log)) {
        rmSync(dir, { recursive: true, force: true });
        throw error;
      }
      port = await freePort();
    }
  }

  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    async stop() {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
    async restart() {
      await halt();
      await launch(port);
    },
    kill() {
      child?.kill("SIGKILL");
    },
    log: () => log,
  };
}
