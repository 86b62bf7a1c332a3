// A whole office in-process for contract tests: temp journal, the embedded broker on free ports
// (or an external broker by URL), and helpers to watch topics and send requests.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { OfficeConfigInput } from "../../controller/config/schema.js";
import { memoryLogger } from "../../controller/health/log.js";
import { ContractClient } from "../../controller/mqtt/contract-client.js";
import { connectMqtt, type MqttConnection, type MqttMessage } from "../../controller/mqtt/transport.js";
import { type DemoOffice, startDemoOffice } from "../../demo/demo-office.js";
import { officeConfig } from "./office.js";

export interface Harness {
  office: DemoOffice;
  log: ReturnType<typeof memoryLogger>;
  base: string;
  client(options?: {
    protocolVersion?: 4 | 5;
    username?: string;
    password?: string;
  }): Promise<ContractClient>;
  /** A raw connection that records every message under the office's base. */
  watch(options?: {
    protocolVersion?: 4 | 5;
    filter?: string | string[];
    username?: string;
    password?: string;
  }): Promise<Watcher>;
  raw(options?: { protocolVersion?: 4 | 5 }): Promise<MqttConnection>;
  stop(): Promise<void>;
}

export interface Watcher {
  connection: MqttConnection;
  messages: MqttMessage[];
  /** Resolves with the first message (from now or already seen) that matches. */
  waitFor(predicate: (m: MqttMessage) => boolean, timeoutMs?: number): Promise<MqttMessage>;
  json(topic: string): unknown;
}

export async function startHarness(
  options: {
    external?: { url: string; protocolVersion?: 4 | 5 };
    config?: Partial<OfficeConfigInput>;
    clock?: () => number;
    /** Simulated speakers' play time relative to the sound (default real time). */
    speakerTimeScale?: number;
  } = {},
): Promise<Harness> {
  const dataDir = mkdtempSync(join(tmpdir(), "vooru-office-"));
  const log = memoryLogger();
  const mqtt = options.external
    ? { broker: { url: options.external.url, protocolVersion: options.external.protocolVersion ?? 5 } }
    : { embedded: { host: "127.0.0.1", port: 0, httpPort: 0, allowAnonymousLoopback: true } };
  const config = officeConfig({ mqtt, journal: { dataDir }, ...options.config });
  const office = await startDemoOffice({
    config,
    log,
    version: "test",
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.speakerTimeScale !== undefined ? { speakerTimeScale: options.speakerTimeScale } : {}),
  });
  const url = office.mqttUrl;
  const base = office.bridge.topics.base;
  const connections: Array<{ end(): Promise<void> }> = [];
  const connected = (connection: MqttConnection) =>
    new Promise<MqttConnection>((resolve) => connection.onConnect(() => resolve(connection)));

  const harness: Harness = {
    office,
    log,
    base,
    async client(clientOptions = {}) {
      const client = ContractClient.connect({ url, office: config.office.id, ...clientOptions });
      connections.push({ end: () => client.close() });
      return client;
    },
    async raw(rawOptions = {}) {
      const connection = connectMqtt({ url, protocolVersion: rawOptions.protocolVersion ?? 4 });
      connections.push(connection);
      return connected(connection);
    },
    async watch(watchOptions = {}) {
      const connection = connectMqtt({
        url,
        protocolVersion: watchOptions.protocolVersion ?? 4,
        ...(watchOptions.username !== undefined ? { username: watchOptions.username } : {}),
        ...(watchOptions.password !== undefined ? { password: watchOptions.password } : {}),
      });
      connections.push(connection);
      const messages: MqttMessage[] = [];
      const waiters = new Set<() => void>();
      connection.onMessage((m) => {
        messages.push(m);
        for (const w of waiters) w();
      });
      await connected(connection);
      const filter = watchOptions.filter ?? `${base}#`;
      await connection.subscribe(Array.isArray(filter) ? filter : [filter], 1);
      return {
        connection,
        messages,
        waitFor(predicate, timeoutMs = 5000) {
          return new Promise((resolve, reject) => {
            const check = () => {
              const found = messages.find(predicate);
              if (!found) return false;
              waiters.delete(check);
              clearTimeout(timer);
              resolve(found);
              return true;
            };
            const timer = setTimeout(() => {
              waiters.delete(check);
              reject(
                new Error(
                  `no matching message within ${timeoutMs} ms; saw ${messages.map((m) => m.topic).join(", ")}`,
                ),
              );
            }, timeoutMs);
            if (!check()) waiters.add(check);
          });
        },
        json(topic) {
          const last = messages.findLast((m) => m.topic === topic);
          return last && last.payload.length > 0 ? JSON.parse(last.payload.toString()) : undefined;
        },
      };
    },
    async stop() {
      for (const c of connections.splice(0)) await c.end().catch(() => {});
      await office.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}
