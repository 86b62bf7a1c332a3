// The contract through a real Mosquitto 2: the whole suite with the controller on MQTT 5, plus
// what only a separate broker can show: MQTT 5 response topics, the last will when the controller
// is killed, and a broker restart.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { connectMqtt, type MqttConnection, type MqttMessage } from "../../../controller/mqtt/transport.js";
import { replySchema, statusSchema, ticketsSchema } from "../../../protocols/mqtt/schemas.js";
import { mosquittoAvailable, type RunningMosquitto, startMosquitto } from "../../support/mosquitto.js";
import { type Harness, startHarness } from "../../support/office-harness.js";
import { contractSuite } from "./contract-suite.js";

async function harnessOnMosquitto(protocolVersion: 4 | 5): Promise<Harness & { broker: RunningMosquitto }> {
  const broker = await startMosquitto();
  const h = await startHarness({ external: { url: broker.url, protocolVersion } });
  return {
    ...h,
    broker,
    async stop() {
      await h.stop();
      await broker.stop();
    },
  };
}

describe.skipIf(!mosquittoAvailable())("with Mosquitto", () => {
  contractSuite("Mosquitto, controller on MQTT 5", () => harnessOnMosquitto(5), { mqtt5: true });

  describe("what a real broker adds", () => {
    const cleanups: Array<() => Promise<void> | void> = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });

    function recorder(url: string, filter: string, protocolVersion: 4 | 5 = 4) {
      const connection: MqttConnection = connectMqtt({ url, protocolVersion });
      cleanups.push(() => connection.end(true));
      const messages: MqttMessage[] = [];
      connection.onMessage((m) => messages.push(m));
      const ready = new Promise<void>((resolve) =>
        connection.onConnect(() => void connection.subscribe([filter]).then(() => resolve())),
      );
      const until = async (predicate: (m: MqttMessage) => boolean, what: string, timeoutMs = 10_000) => {
        for (let waited = 0; waited < timeoutMs; waited += 25) {
          const found = messages.find(predicate);
          if (found) return found;
          await new Promise((r) => setTimeout(r, 25));
        }
        throw new Error(`timed out waiting for ${what}; saw ${messages.map((m) => m.topic).join(", ")}`);
      };
      return { connection, messages, ready, until };
    }

    it("MQTT 5 and 3.1.1 clients alike: a v5 request with a response topic gets its reply there, with the correlation data", async () => {
      const h = await harnessOnMosquitto(5);
      cleanups.push(() => h.stop());
      const v5 = recorder(h.office.mqttUrl, "clients/v5/inbox", 5);
      const v3 = recorder(h.office.mqttUrl, `${h.base}events/#`, 4);
      await Promise.all([v5.ready, v3.ready]);
      const correlation = Buffer.from("corr-42");
      // A raw v5 publish with response topic and correlation data, as an MQTT 5 counter client sends it.
      const raw = connectMqtt({ url: h.office.mqttUrl, protocolVersion: 5 });
      cleanups.push(() => raw.end(true));
      await new Promise<void>((resolve) => raw.onConnect(resolve));
      await publishV5(
        raw,
        `${h.base}counters/1/request/open`,
        { requestId: "v5-open" },
        "clients/v5/inbox",
        correlation,
      );
      const reply = await v5.until((m) => m.topic === "clients/v5/inbox", "the v5 reply");
      expect(replySchema.parse(JSON.parse(reply.payload.toString()))).toMatchObject({
        requestId: "v5-open",
        ok: true,
      });
      expect(reply.correlationData?.toString()).toBe("corr-42");
      // The 3.1.1 client sees the event it caused.
      const event = await v3.until((m) => m.topic.endsWith("/events/counter_opened"), "the event");
      expect(JSON.parse(event.payload.toString())).toMatchObject({ requestId: "v5-open", counter: "1" });
    });

    it("the last will: a controller killed with SIGKILL is reported offline, retained", async () => {
      const broker = await startMosquitto();
      cleanups.push(() => broker.stop());
      const dataDir = mkdtempSync(join(tmpdir(), "vooru-lwt-"));
      cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
      const child = spawn(process.execPath, ["--import", "tsx", childScript, broker.url, dataDir], {
        stdio: ["ignore", "pipe", "inherit"],
      });
      cleanups.push(() => void child.kill("SIGKILL"));
      const epoch = await new Promise<string>((resolve, reject) => {
        child.stdout?.on("data", (d: Buffer) => {
          const match = /READY (\S+)/.exec(d.toString());
          if (match?.[1]) resolve(match[1]);
        });
        child.on("exit", (code) => reject(new Error(`controller exited ${code}`)));
      });
      const watcher = recorder(broker.url, "vooru/v1/test/status");
      await watcher.ready;
      await watcher.until((m) => JSON.parse(m.payload.toString()).state === "online", "online");
      child.kill("SIGKILL");
      const offline = await watcher.until(
        (m) => JSON.parse(m.payload.toString()).state === "offline",
        "the last will",
      );
      expect(statusSchema.parse(JSON.parse(offline.payload.toString()))).toMatchObject({
        state: "offline",
        epoch,
      });
      // Retained: a client that connects later learns it too.
      const late = recorder(broker.url, "vooru/v1/test/status");
      await late.ready;
      const seen = await late.until(() => true, "the retained status");
      expect(JSON.parse(seen.payload.toString())).toMatchObject({ state: "offline", epoch });
    });

    it("a broker restarted without persistence gets the whole retained state back from the controller", async () => {
      const h = await harnessOnMosquitto(5);
      cleanups.push(() => h.stop());
      const client = await h.client();
      await client.request({ scope: "desk", verb: "issue" }, { service: "pensions" });
      await client.close();
      await h.broker.restart();
      // The bridge reconnects by itself and republishes; a new subscriber sees today's queue.
      const late = recorder(h.broker.url, `${h.base}#`);
      await late.ready;
      const tickets = await late.until((m) => m.topic === `${h.base}tickets`, "the tickets topic", 20_000);
      expect(
        ticketsSchema.parse(JSON.parse(tickets.payload.toString())).tickets.map((t) => t.number),
      ).toEqual(["A001"]);
      await late.until(
        (m) => m.topic === `${h.base}status` && JSON.parse(m.payload.toString()).state === "online",
        "online",
      );
      expect(h.log.lines.some((l) => l.includes("disconnected"))).toBe(true);
    });
  });
});

const childScript = join(dirname(fileURLToPath(import.meta.url)), "../../support/office-child.ts");

/** A publish with MQTT 5 request/response properties, through the transport's client. */
async function publishV5(
  connection: MqttConnection,
  topic: string,
  body: object,
  responseTopic: string,
  correlationData: Buffer,
) {
  await connection.publish(topic, JSON.stringify(body), { qos: 1, responseTopic, correlationData });
}
