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
import { officeConfigSchema } from "../controller/config/office-config.js";
import type { OfficeConfig } from "../controller/config/schema.js";
import { silentLogger } from "../controller/health/log.js";
import { ContractClient } from "../controller/mqtt/contract-client.js";
import { DurableQueue } from "../controller/queue/durable-queue.js";
import { startDemoOffice } from "../demo/demo-office.js";
import type { RequestTarget } from "../protocols/mqtt/topics.js";
import { reservedId } from "./queue-office.js";
import { type BenchResult, collectGarbage, figure, percentile, type Target } from "./support.js";

export interface MqttBenchSize {
  counters: number;
  /** Rounds of call_next -> start -> finish per counter. */
  rounds: number;
}

// 50 counters, 10 rounds each: 500 tickets waiting when the calling starts.
export const DEFAULT_SIZE: MqttBenchSize = { counters: 50, rounds: 10 };
/** Rounds counter 1 does alone first: the round trip without other requests queued ahead. */
const ALONE_ROUNDS = 20;

const BENCH = "mqtt";
// Fifty counters pressing at the same instant is far above an office's real load; one controller
// serves them one after another (each request is a journal fsync). 200 ms still feels immediate
// to the person at the counter; a lone request should take a few milliseconds.
const P99_TARGET: Target = { op: "<", value: 200 };
const ALONE_TARGET: Target = { op: "<", value: 25 };
const SERVICES = ["pensions", "benefits", "documents", "permits", "residency"] as const;
const COUNTER_VERBS = ["call_next", "start", "finish"] as const;

type Sample = { latencies: number[]; elapsedMs: number; alone: number[] };

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

type Row = [name: string, value: number, unit: string, target?: Target];

/** The figures of one broker; without a sample (skipped) every value is 0. */
function rows(broker: string, size: MqttBenchSize, sample: Sample | null): Row[] {
  const what = `${broker}: ${size.counters} counters at once, ${size.counters * size.rounds} waiting:`;
  const of = (value: (s: Sample) => number) => (sample ? value(sample) : 0);
  return [
    [`${what} p50`, of((s) => percentile(s.latencies, 50)), "ms"],
    [`${what} p99`, of((s) => percentile(s.latencies, 99)), "ms", P99_TARGET],
    [`${what} max`, of((s) => Math.max(...s.latencies)), "ms"],
    [`${broker}: requests timed`, of((s) => s.latencies.length), "requests"],
    [`${broker}: requests/s`, of((s) => s.latencies.length / (s.elapsedMs / 1000)), "requests/s"],
    [`${broker}: one counter alone: p50`, of((s) => percentile(s.alone, 50)), "ms"],
    [`${broker}: one counter alone: p99`, of((s) => percentile(s.alone, 99)), "ms", ALONE_TARGET],
  ];
}

function figures(broker: string, size: MqttBenchSize, sample: Sample): BenchResult[] {
  return rows(broker, size, sample).map(([name, value, unit, target]) =>
    figure(BENCH, name, value, unit, target),
  );
}

/** The same figures, value 0 and unit "skipped", with the reason in the name. */
function skipped(broker: string, size: MqttBenchSize, reason: string): BenchResult[] {
  return rows(broker, size, null).map(([name]) =>
    figure(BENCH, `${name} (skipped: ${reason})`, 0, "skipped"),
  );
}

function benchConfig(size: MqttBenchSize, dataDir: string, brokerUrl?: string): OfficeConfig {
  const range = { first: 1, last: 9999 };
  return officeConfigSchema.parse({
    office: { id: "bench", name: { en: "Bench office" } },
    services: SERVICES.map((id, i) => ({ id, prefix: "ABCDE"[i], names: { en: id }, range })),
    counters: Array.from({ length: size.counters }, (_, i) => ({ id: `${i + 1}`, services: [...SERVICES] })),
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

/**
 * Issues and prints `tickets` tickets straight into the journal, before the office starts. Issued
 * through MQTT they took as long as the timed rounds: each republishes every open ticket.
 */
function seedTickets(config: OfficeConfig, dataDir: string, tickets: number): void {
  const queue = DurableQueue.open({ config, dataDir, clock: Date.now, log: silentLogger });
  try {
    for (let n = 0; n < tickets; n++) {
      const issued = queue.execute({ type: "issue", service: SERVICES[n % SERVICES.length] as string });
      if (!issued.ok) throw new Error(`issue refused: ${issued.error.message}`);
      const printed = queue.execute({ type: "confirm_print", ticket: reservedId(issued.events) });
      if (!printed.ok) throw new Error(`confirm_print refused: ${printed.error.message}`);
    }
  } finally {
    queue.close();
  }
}

/** One office on a fresh data dir with the tickets waiting: open every counter, then time the rounds. */
async function measure(size: MqttBenchSize, brokerUrl?: string): Promise<Sample> {
  const dataDir = mkdtempSync(join(tmpdir(), "vooru-bench-mqtt-"));
  const config = benchConfig(size, dataDir, brokerUrl);
  const office = await Promise.resolve()
    .then(() => seedTickets(config, dataDir, size.counters * size.rounds + ALONE_ROUNDS)) // one per call_next
    .then(() => startDemoOffice({ config, log: silentLogger, version: "bench" }))
    .catch((error: unknown) => {
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
    const solo = connect();
    await untilAnswered(solo);
    const counters = Array.from({ length: size.counters }, (_, i) => ({ id: `${i + 1}`, client: connect() }));
    await Promise.all(
      counters.map((c) => expectOk(c.client, { scope: "counter", counter: c.id, verb: "open" })),
    );
    collectGarbage();
    const alone: number[] = [];
    await timedRounds(solo, "1", ALONE_ROUNDS, alone);

    const latencies: number[] = [];
    const started = performance.now();
    await Promise.all(counters.map((c) => timedRounds(c.client, c.id, size.rounds, latencies)));
    return { latencies, elapsedMs: performance.now() - started, alone };
  } finally {
    await Promise.all(clients.map((c) => c.close().catch(() => {})));
    await office.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** call_next -> start -> finish `rounds` times, each request timed from publish to reply. */
async function timedRounds(client: ContractClient, counter: string, rounds: number, into: number[]) {
  for (let round = 0; round < rounds; round++) {
    for (const verb of COUNTER_VERBS) {
      const t0 = performance.now();
      await expectOk(client, { scope: "counter", counter, verb });
      into.push(performance.now() - t0);
    }
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

/** Mosquitto on a free loopback port with a temp config; tries another port if one was taken. */
async function startMosquitto(binary: string): Promise<{ url: string; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), "vooru-bench-mosquitto-"));
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const lines = [
      `listener ${port} 127.0.0.1`,
      "set_tcp_nodelay true",
      "allow_anonymous true",
      "log_dest stderr",
    ];
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
      await new Promise((resolve) => setTimeout(resolve, 50));
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
