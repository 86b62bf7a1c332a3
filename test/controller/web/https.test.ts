// HTTPS for the pages and MQTT over WebSocket (mqtt.embedded.tls), with a throwaway CA made by the
// openssl CLI: the pages over https:// with the security headers and HSTS, mqtt.js over wss://
// reading a retained topic, a client without the CA refused, an intermediate sent along, and a
// missing or bad certificate or key stopping the start with the config path, the file and why.
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import type { IncomingHttpHeaders } from "node:http";
import { request } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../../controller/cli/main.js";
import { SetupError } from "../../../controller/config/setup-error.js";
import { memoryLogger } from "../../../controller/health/log.js";
import type { WebTlsConfig } from "../../../controller/mqtt/mqtt-schema.js";
import { connectMqtt, type MqttMessage } from "../../../controller/mqtt/transport.js";
import { HSTS_HEADER } from "../../../controller/web/static-server.js";
import { createWebServer, readWebTls } from "../../../controller/web/tls.js";
import { type DemoOffice, startDemoOffice } from "../../../demo/demo-office.js";
import { officeConfig } from "../../support/office.js";
import { makeCa, makeIntermediateCa, makeServerCert, opensslAvailable } from "../../support/test-ca.js";

const MONITOR = { username: "monitor-1", password: "monitor-secret", role: "monitor" as const };

/** GET over HTTPS trusting only `ca`; resolves with the status, headers and body. */
function get(url: string, ca: Buffer | string) {
  return new Promise<{ status: number; headers: IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = request(url, { ca }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject).end();
  });
}

describe.skipIf(!opensslAvailable())(
  "HTTPS for the pages and wss:// (skipped without the openssl CLI)",
  () => {
    let dir = "";
    let caPem: Buffer;
    let office: DemoOffice;
    const log = memoryLogger();
    const ends: Array<() => Promise<void>> = [];

    const tls = (over: Partial<WebTlsConfig> = {}): WebTlsConfig => ({
      cert: join(dir, "server.pem"),
      key: join(dir, "server.key"),
      ...over,
    });

    const start = (id: string, webTls: WebTlsConfig, logger = memoryLogger()) =>
      startDemoOffice({
        config: officeConfig({
          office: { id, name: { en: "HTTPS office" } },
          journal: { dataDir: join(dir, `data-${id}`) },
          mqtt: {
            embedded: { host: "127.0.0.1", port: 0, httpPort: 0, allowAnonymousLoopback: false, tls: webTls },
            users: [MONITOR],
          },
        }),
        log: logger,
        version: "test",
        webRoot: join(dir, "web"),
      });

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), "vooru-https-"));
      caPem = readFileSync(makeCa(dir, "ca"));
      makeServerCert(dir, "ca");
      chmodSync(join(dir, "server.key"), 0o600);
      mkdirSync(join(dir, "web"));
      writeFileSync(join(dir, "web", "index.html"), "<!doctype html><title>vooru</title>");
      office = await start("https", tls(), log);
      // The start waits at most 5 s for the bridge; the retained status is there once it is ready.
      await office.bridge.ready;
    });

    afterAll(async () => {
      for (const end of ends.splice(0)) await end();
      await office?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it("serves the pages over https:// with the CSP, no referrer and HSTS", async () => {
      expect(office.httpUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      for (const path of ["/", "/config.json", "/nowhere"]) {
        const { status, headers } = await get(`${office.httpUrl}${path}`, caPem);
        expect(status, path).toBe(path === "/nowhere" ? 404 : 200);
        expect(headers["strict-transport-security"], path).toBe(HSTS_HEADER);
        expect(headers["content-security-policy"], path).toContain("connect-src 'self'");
        expect(headers["referrer-policy"], path).toBe("no-referrer");
        expect(headers["x-frame-options"], path).toBe("DENY");
      }
      expect(JSON.parse((await get(`${office.httpUrl}/config.json`, caPem)).body)).toEqual({
        office: "https",
        mqttPath: "/mqtt",
      });
      expect(log.lines.filter((l) => l.startsWith("warn:") || l.startsWith("error:"))).toEqual([]);
      expect(log.lines.some((l) => l.includes(`web: HTTPS with ${join(dir, "server.pem")}`))).toBe(true);
    });

    it("speaks MQTT over wss:// with the CA: a monitor reads the retained status", async () => {
      const url = `${(office.httpUrl as string).replace(/^https/, "wss")}/mqtt`;
      const connection = connectMqtt({ url, caFile: join(dir, "ca.pem"), ...MONITOR, reconnectPeriodMs: 0 });
      ends.push(() => connection.end(true));
      const messages: MqttMessage[] = [];
      connection.onMessage((m) => messages.push(m));
      await new Promise<void>((resolve, reject) => {
        connection.onConnectError((reason) => reject(new Error(`cannot connect over wss: ${reason}`)));
        connection.onConnect(() => void connection.subscribe(["vooru/v1/https/status"], 1).then(resolve));
      });
      for (let waited = 0; messages.length === 0 && waited < 10_000; waited += 25)
        await new Promise((r) => setTimeout(r, 25));
      expect(messages[0]?.retain, log.lines.join("\n")).toBe(true);
      expect(JSON.parse((messages[0] as MqttMessage).payload.toString())).toMatchObject({ state: "online" });
    });

    it("a wss:// client that does not trust the CA is refused, naming the certificate", async () => {
      const url = `${(office.httpUrl as string).replace(/^https/, "wss")}/mqtt`;
      const connection = connectMqtt({ url, ...MONITOR, reconnectPeriodMs: 0, connectTimeoutMs: 5000 });
      ends.push(() => connection.end(true));
      const reason = await new Promise<string>((resolve) => connection.onConnectError(resolve));
      expect(reason).toMatch(/certificate/i);
    });

    it("sends the intermediates of `ca` after the certificate, so a client that trusts only the root accepts it", async () => {
      makeIntermediateCa(dir, "intermediate", "ca");
      makeServerCert(dir, "intermediate", "leaf");
      chmodSync(join(dir, "leaf.key"), 0o600);
      const files = {
        cert: join(dir, "leaf.pem"),
        key: join(dir, "leaf.key"),
        ca: join(dir, "intermediate.pem"),
      };
      const server = createWebServer((_req, res) => res.end("ok"), readWebTls(files, memoryLogger()));
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      ends.push(() => new Promise((resolve) => server.close(() => resolve())));
      const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      expect((await get(url, caPem)).body).toBe("ok");
      // Without `ca`, the root alone cannot verify the leaf.
      const bare = createWebServer(
        (_req, res) => res.end("ok"),
        readWebTls({ ...files, ca: undefined } as WebTlsConfig, memoryLogger()),
      );
      await new Promise<void>((resolve) => bare.listen(0, "127.0.0.1", resolve));
      ends.push(() => new Promise((resolve) => bare.close(() => resolve())));
      await expect(get(`https://127.0.0.1:${(bare.address() as AddressInfo).port}/`, caPem)).rejects.toThrow(
        /unable to verify the first certificate|issuer certificate/,
      );
    });

    it("a missing, unreadable or wrong certificate or key stops the start with the config path, the file and why", async () => {
      const missing = join(dir, "nowhere.pem");
      writeFileSync(join(dir, "garbage.pem"), "not a certificate\n");
      makeCa(dir, "other");
      const cases: Array<[Partial<WebTlsConfig>, RegExp]> = [
        [
          { cert: missing },
          /^mqtt\.embedded\.tls\.cert: cannot read .*nowhere\.pem: no such file or directory \(ENOENT\)$/,
        ],
        [
          { key: missing },
          /^mqtt\.embedded\.tls\.key: cannot read .*nowhere\.pem: no such file or directory \(ENOENT\)$/,
        ],
        [{ ca: missing }, /^mqtt\.embedded\.tls\.ca: cannot read .*nowhere\.pem/],
        [
          { cert: dir },
          /^mqtt\.embedded\.tls\.cert: cannot read .*: illegal operation on a directory \(EISDIR\)$/,
        ],
        [
          { cert: join(dir, "garbage.pem") },
          /^mqtt\.embedded\.tls\.cert: .*garbage\.pem is no PEM certificate: /,
        ],
        [
          { key: join(dir, "garbage.pem") },
          /^mqtt\.embedded\.tls\.key: .*garbage\.pem is no PEM private key/,
        ],
        [
          { key: join(dir, "other.key") },
          /^mqtt\.embedded\.tls: the key .*other\.key does not belong to the certificate .*server\.pem: .*key values mismatch/,
        ],
      ];
      for (const [over, message] of cases) {
        const error = await start("badtls", tls(over)).then(
          (started) => started.stop().then(() => null),
          (e: unknown) => e,
        );
        expect(error, JSON.stringify(over)).toBeInstanceOf(SetupError);
        expect((error as SetupError).code).toBe("TLS_FILES");
        expect((error as SetupError).message, JSON.stringify(over)).toMatch(message);
      }
    });

    it("warns when the key can be read by others", async () => {
      copyFileSync(join(dir, "server.key"), join(dir, "open.key"));
      chmodSync(join(dir, "open.key"), 0o644);
      const warned = memoryLogger();
      readWebTls(tls({ key: join(dir, "open.key") }), warned);
      expect(warned.lines).toContain(
        `warn: mqtt.embedded.tls.key: ${join(dir, "open.key")} can be read by others (mode 0644); chmod 600 it`,
      );
    });

    it("vooru start: the files are relative to the config file, and a missing one ends the start with exit 2 naming it", async () => {
      const folder = join(dir, "etc");
      mkdirSync(folder);
      const file = join(folder, "office.yaml");
      writeFileSync(
        file,
        [
          "office: {id: t, name: {en: T}}",
          "services: [{id: a, prefix: A, names: {en: A}}]",
          "counters: [{id: '1', services: [a]}]",
          "journal: {dataDir: data}",
          "mqtt:",
          "  embedded: {host: 127.0.0.1, port: 0, httpPort: 0, tls: {cert: tls/cert.pem, key: tls/key.pem}}",
        ].join("\n"),
      );
      const run = memoryLogger();
      expect(await main(["start", "--config", file], run)).toBe(2);
      expect(run.lines.at(-1)).toBe(
        `error: mqtt.embedded.tls.cert: cannot read ${join(folder, "tls", "cert.pem")}: no such file or directory (ENOENT)`,
      );
    });
  },
);
