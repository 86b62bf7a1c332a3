// MQTT request -> reply round trips through a whole office: 50 counters call_next, start and finish
// at once, each request timed from publish to reply, through the embedded broker and through
// Mosquitto. Mosquitto is started here (bench code cannot import test/support); if it is not
// installed its figures are reported as skipped.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { type OfficeConfig, officeConfigSchema } from "../controller/config/schema.js";
import { silentLogger } from "../controller/log.js";
import { ContractClient } from "../controller/mqtt/contract-client.js";
import { startOffice } from "../controller/office.js";
import type { RequestTarget } from "../protocols/mqtt/topics.js";
import { type BenchResult, collectGarbage, figure, percentile, type Target } from "./support.js";

export interface MqttBenchSize {
  counters: number;
  /** Rounds of call_next -> start -> finish per counter. */
  rounds: number;
}

export const DEFAULT_SIZE: MqttBenchSize = { counters: 50, rounds: 20 };

const BENCH = "mqtt";
const P99_TARGET: Target = { op: "<", value: 50 };
const SERVICES = ["pensions", "benefits", "documents", "permits", "residency"] as const;
const COUNTER_VERBS = ["call_next", "start", "finish"] as const;

interface Sample {
  latencies: number[];
  elapsedMs: number;
}

export async function run(size: MqttBenchSize = DEFAULT_SIZE): Promise<BenchResult[]> {
  const results = figures("embedded broker", size, await measure(size));
  collectGarbage();
  const binary = mosquittoBinary();
  if (!binary) {
    process.stderr.write("(mosquitto not installed: its figures are skipped) ");
    return [...results, ...skipped("mosquitto", size, "mosquitto not installed")];
  }
  const broker = await startMosquitto(binary);
  try {
    // The controller speaks MQTT 5 to an external broker, as an installation would.
    results.push(...figures("mosquitto", size, await measure(size, broker.url)));
  } finally {
    await broker.stop();
  }
  return results;
}

function names(broker: string, size: MqttBenchSize): string[] {
  const what = `${broker}, ${size.counters} counters at once: round trip`;
  return [`${what} p50`, `${what} p99`, `${what} max`, `${broker}: requests timed`, `${broker}: requests/s`];
}

function figures(broker: string, size: MqttBenchSize, sample: Sample): BenchResult[] {
  const [p50, p99, max, total, rate] = names(broker, size) as [string, string, string, string, string];
  const { latencies, elapsedMs } = sample;
  return [
    figure(BENCH, p50, percentile(latencies, 50), "ms"),
    figure(BENCH, p99, percentile(latencies, 99), "ms", P99_TARGET),
    figure(BENCH, max, Math.max(...latencies), "ms"),
    figure(BENCH, total, latencies.length, "requests"),
    figure(BENCH, rate, latencies.length / (elapsedMs / 1000), "requests/s"),
  ];
}

/** The same figures, value 0 and unit "skipped", with the reason in the name. */
function skipped(broker: string, size: MqttBenchSize, reason: string): BenchResult[] {
  return names(broker, size).map((name) => figure(BENCH, `${name} (skipped: ${reason})`, 0, "skipped"));
}

function benchConfig(size: MqttBenchSize, dataDir: string, brokerUrl?: string): OfficeConfig {
  const range = { first: 1, last: 9999 };
  return officeConfigSchema.parse({
    office: { id: "bench", name: { en: "Bench office" } },
    services: SERVICES.map((id, i) => ({ id, prefix: "ABCDE"[i], names: { en: id }, range })),
    counters: Array.from({ length: size.counters }, (_, i) => ({
      id: String(i + 1),
      services: [...SERVICES],
    })),
    journal: { dataDir },
    mqtt: brokerUrl
      ? { broker: { url: brokerUrl, protocolVersion: 5 } }
      : { embedded: { host: "127.0.0.1", port: 0, httpPort: 0, allowAnonymousLoopback: true } },
  });
}

async function expectOk(client: ContractClient, target: RequestTarget, args: object = {}): Promise<void> {
  const reply = await client.request(target, { ...args });
  if (!reply.ok) throw new Error(`${target.verb} refused: ${reply.error.code} ${reply.error.message}`);
}

/** One office on a fresh data dir: open every counter, issue enough tickets, then time the rounds. */
async function measure(size: MqttBenchSize, brokerUrl?: string): Promise<Sample> {
  const dataDir = mkdtempSync(join(tmpdir(), "vooru-bench-mqtt-"));
  const office = await startOffice({
    config: benchConfig(size, dataDir, brokerUrl),
    log: silentLogger,
    version: "bench",
  }).catch((error: unknown) => {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  });
  const clients: ContractClient[] = [];
  const connect = () => {
    // Clients on MQTT 3.1.1, as the counter panels are.
    const client = ContractClient.connect({ url: office.mqttUrl, office: "bench", protocolVersion: 4 });
    clients.push(client);
    return client;
  };
  try {
    const desk = connect();
    await untilAnswered(desk);
    const counters = Array.from({ length: size.counters }, (_, i) => ({
      id: String(i + 1),
      client: connect(),
    }));
    await Promise.all(
      counters.map((c) => expectOk(c.client, { scope: "counter", counter: c.id, verb: "open" })),
    );
    // One ticket per call_next, issued 50 at a time (a burst at the desk is not what is measured).
    const tickets = size.counters * size.rounds;
    for (let i = 0; i < tickets; i += 50) {
      const batch = Array.from({ length: Math.min(50, tickets - i) }, (_, j) => SERVICES[(i + j) % 5]);
      await Promise.all(
        batch.map((service) => expectOk(desk, { scope: "desk", verb: "issue" }, { service })),
      );
    }
    collectGarbage();

    const latencies: number[] = [];
    const started = performance.now();
    await Promise.all(
      counters.map(async ({ id, client }) => {
        for (let round = 0; round < size.rounds; round++) {
          for (const verb of COUNTER_VERBS) {
            const t0 = performance.now();
            await expectOk(client, { scope: "counter", counter: id, verb });
            latencies.push(performance.now() - t0);
          }
        }
      }),
    );
    return { latencies, elapsedMs: performance.now() - started };
  } finally {
    await Promise.all(clients.map((c) => c.close().catch(() => {})));
    await office.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The bridge connects and subscribes on its own time; a request sent before is lost, so retry. */
async function untilAnswered(client: ContractClient): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await client.request({ scope: "system", verb: "resync" }, {}, 500);
      return;
    } catch (error) {
      if (attempt >= 20) throw error;
    }
  }
}

function mosquittoBinary(): string | null {
  if (existsSync("/usr/sbin/mosquitto")) return "/usr/sbin/mosquitto";
  const which = spawnSync("which", ["mosquitto"], { encoding: "utf8" });
  return which.status === 0 && which.stdout.trim() ? which.stdout.trim() : null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject()));
    });
  });
}

function connects(port: number): Promise<boolean> {
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Mosquitto on a free loopback port with a temp config; tries another port if one was taken. */
async function startMosquitto(binary: string): Promise<{ url: string; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), "vooru-bench-mosquitto-"));
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const lines = [`listener ${port} 127.0.0.1`, "allow_anonymous true", "log_dest stderr"];
    // As root Mosquitto drops to the `mosquitto` user, who cannot read our temp dir.
    if (process.getuid?.() === 0) lines.push("user root");
    const conf = join(dir, "mosquitto.conf");
    writeFileSync(conf, `${lines.join("\n")}\n`);
    const child = spawn(binary, ["-c", conf], { stdio: ["ignore", "ignore", "pipe"] });
    let log = "";
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (chunk: string) => {
      log = (log + chunk).slice(-16_384);
    });
    const stop = () => halt(child).finally(() => rmSync(dir, { recursive: true, force: true }));
    const deadline = Date.now() + 5000;
    while (child.exitCode === null && child.signalCode === null && Date.now() < deadline) {
      if (await connects(port)) return { url: `mqtt://127.0.0.1:${port}`, stop };
      await sleep(50);
    }
    await halt(child);
    if (attempt >= 3 || !/Address already in use/.test(log)) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`mosquitto did not start on port ${port}:\n${log}`);
    }
  }
}

async function halt(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
  await exited;
  clearTimeout(timer);
}
