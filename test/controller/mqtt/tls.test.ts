// The office on an external broker over TLS (mqtts://): a throwaway CA and server certificate made
// with the openssl CLI, Mosquitto with a TLS listener. With the right CA the office works; with
// another CA the bridge must refuse the broker (never online) and say why in its log.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { memoryLogger } from "../../../controller/health/log.js";
import { ContractClient } from "../../../controller/mqtt/contract-client.js";
import { connectMqtt, type MqttMessage } from "../../../controller/mqtt/transport.js";
import { startDemoOffice } from "../../../demo/demo-office.js";
import { type Reply, statusSchema } from "../../../protocols/mqtt/schemas.js";
import type { RequestTarget } from "../../../protocols/mqtt/topics.js";
import { mosquittoAvailable, type RunningMosquitto, startMosquitto } from "../../support/mosquitto.js";
import { officeConfig } from "../../support/office.js";
import { makeCa, makeServerCert, opensslAvailable } from "../../support/test-ca.js";

const skipReason = !mosquittoAvailable()
  ? "mosquitto is not installed"
  : !opensslAvailable()
    ? "the openssl CLI is not installed"
    : null;

describe.skipIf(skipReason !== null)(
  `the office over TLS to Mosquitto${skipReason ? ` (skipped: ${skipReason})` : ""}`,
  () => {
    let dir = "";
    let caPath = "";
    let wrongCaPath = "";
    let broker: RunningMosquitto | undefined;
    let url = "";
    const cleanups: Array<() => Promise<void> | void> = [];

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), "vooru-tls-"));
      caPath = makeCa(dir, "ca");
      wrongCaPath = makeCa(dir, "other-ca");
      makeServerCert(dir, "ca");
      // Listener options follow the last `listener` line: these lines make the test listener TLS.
      broker = await startMosquitto({
        config: [
          `cafile ${caPath}`,
          `certfile ${join(dir, "server.pem")}`,
          `keyfile ${join(dir, "server.key")}`,
        ].join("\n"),
      });
      url = `mqtts://127.0.0.1:${broker.port}`;
    });

    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });

    afterAll(async () => {
      await broker?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    async function office(id: string, ca: string) {
      const dataDir = mkdtempSync(join(tmpdir(), "vooru-tls-office-"));
      cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
      const log = memoryLogger();
      const config = officeConfig({
        office: { id, name: { en: "TLS office" } },
        journal: { dataDir },
        mqtt: { broker: { url, ca, protocolVersion: 5 } },
      });
      const running = await startDemoOffice({ config, log, version: "test" });
      cleanups.push(() => running.stop());
      return { running, log };
    }

    /** Every message on the office's status topic, seen by a client that trusts the right CA. */
    async function watchStatus(id: string): Promise<MqttMessage[]> {
      const connection = connectMqtt({ url, caFile: caPath, reconnectPeriodMs: 0 });
      cleanups.push(() => connection.end(true));
      const messages: MqttMessage[] = [];
      connection.onMessage((m) => messages.push(m));
      await new Promise<void>((resolve, reject) => {
        connection.onConnectError((reason) => reject(new Error(`watcher cannot connect: ${reason}`)));
        connection.onConnect(() => void connection.subscribe([`vooru/v1/${id}/status`], 1).then(resolve));
      });
      return messages;
    }

    const state = (m: MqttMessage) => (m.payload.length > 0 ? JSON.parse(m.payload.toString()).state : null);

    async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
      for (let waited = 0; !check(); waited += 25) {
        if (waited >= timeoutMs) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    }

    /** Retried with the same requestId (answered once), in case the bridge has not subscribed yet. */
    async function request(client: ContractClient, target: RequestTarget, args: object = {}) {
      const requestId = `tls-${target.verb}`;
      for (let attempt = 1; ; attempt++) {
        try {
          return await client.request(target, { ...args, requestId }, 1000);
        } catch (error) {
          if (attempt >= 5) throw error;
        }
      }
    }

    it("with the CA that signed the broker: online, and a client over TLS opens a counter and issues a ticket", async () => {
      const statuses = await watchStatus("tlsok");
      const { running, log } = await office("tlsok", caPath);
      expect(running.mqttUrl).toBe(url);
      await until(() => statuses.some((m) => state(m) === "online"), "the status online");
      const online = statuses.find((m) => state(m) === "online") as MqttMessage;
      expect(statusSchema.parse(JSON.parse(online.payload.toString()))).toMatchObject({ state: "online" });

      const client = ContractClient.connect({ url, office: "tlsok", caFile: caPath });
      cleanups.push(() => client.close());
      const opened: Reply = await request(client, { scope: "counter", counter: "1", verb: "open" });
      expect(opened).toMatchObject({ ok: true });
      const issued = await request(client, { scope: "desk", verb: "issue" }, { service: "pensions" });
      expect(issued).toMatchObject({ ok: true, result: { ticket: { number: "A001", state: "waiting" } } });
      expect(running.queue.core.openTickets().map((t) => t.number)).toEqual(["A001"]);

      // Retained: a client connecting now is told at once that the office is online.
      const late = await watchStatus("tlsok");
      await until(() => late.length > 0, "the retained status");
      expect(state(late[0] as MqttMessage)).toBe("online");
      expect(log.lines.filter((l) => l.startsWith("error:"))).toEqual([]);
    });

    it("with another CA: the bridge refuses the broker, is never online, and logs the TLS failure", async () => {
      const statuses = await watchStatus("tlsbad");
      const { log } = await office("tlsbad", wrongCaPath);
      await new Promise((r) => setTimeout(r, 2000));
      expect(statuses.filter((m) => state(m) === "online")).toEqual([]);
      const failures = log.lines.filter((l) => l.includes("cannot connect to the broker"));
      expect(failures.length, log.lines.join("\n")).toBeGreaterThan(0);
      expect(failures.join("\n")).toMatch(/certificate/i);
    });
  },
);
