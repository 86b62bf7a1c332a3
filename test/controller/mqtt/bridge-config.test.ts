// The bridge section of the generated mosquitto.conf and the central broker's part, line by line.
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { OfficeConfigInput } from "../../../controller/config/schema.js";
import {
  generateMosquittoFiles,
  MosquittoConfigError,
  mosquittoPasswordHash,
  writeMosquittoFiles,
} from "../../../controller/mqtt/mosquitto-config.js";
import { officeConfig } from "../../support/office.js";

const options = {
  controllerUser: "vooru-controller",
  controllerPassword: "controller-secret",
  dir: "/etc/x",
};

function configWith(bridge: object | undefined, users: object[] = []) {
  return officeConfig({
    office: { id: "tartu", name: { en: "Tartu" } },
    mqtt: { users, ...(bridge ? { bridge } : {}) },
  } as Partial<OfficeConfigInput>);
}

/** The lines from `connection` to the end: the bridge section is last in vooru.conf. */
function bridgeSection(conf: string): string[] {
  const lines = conf.trimEnd().split("\n");
  return lines.slice(lines.indexOf(lines.find((l) => l.startsWith("connection "))!));
}

const FULL = {
  host: "central.example.org",
  username: "office-tartu",
  password: "bridge secret 1",
  cafile: "/etc/mosquitto/certs/central-ca.pem",
  certfile: "/etc/mosquitto/certs/tartu.pem",
  keyfile: "/etc/mosquitto/certs/tartu.key",
  tlsVersion: "tlsv1.3",
  direction: "both",
};

describe("the bridge section of vooru.conf", () => {
  it("bridges vooru/v1/{office}/# out and the requests in, with TLS and a durable session", () => {
    const conf = generateMosquittoFiles(configWith(FULL), options)["vooru.conf"];
    expect(bridgeSection(conf)).toEqual([
      "connection central",
      "address central.example.org:8883",
      "remote_clientid vooru-bridge-tartu",
      "remote_username office-tartu",
      "remote_password bridge secret 1",
      "bridge_protocol_version mqttv311",
      "# Keep the bridge's session: the central broker keeps its subscriptions (requests for the",
      "# office wait there), and this broker queues the office's messages while the WAN is down.",
      "cleansession false",
      "try_private true",
      "start_type automatic",
      "restart_timeout 5 30",
      "keepalive_interval 60",
      "notifications true",
      "notification_topic vooru/bridges/tartu/central",
      "bridge_cafile /etc/mosquitto/certs/central-ca.pem",
      "bridge_certfile /etc/mosquitto/certs/tartu.pem",
      "bridge_keyfile /etc/mosquitto/certs/tartu.key",
      "bridge_tls_version tlsv1.3",
      "topic vooru/v1/tartu/# out 1",
      "topic vooru/v1/tartu/counters/+/request/+ in 1",
      "topic vooru/v1/tartu/desk/request/+ in 1",
      "topic vooru/v1/tartu/system/request/+ in 1",
      "topic vooru/v1/tartu/by/+/counters/+/request/+ in 1",
      "topic vooru/v1/tartu/by/+/desk/request/+ in 1",
      "topic vooru/v1/tartu/by/+/system/request/+ in 1",
    ]);
  });

  it("puts the queue limits before any listener and the bridge last, and persists the queue", () => {
    const conf = generateMosquittoFiles(configWith({ host: "10.0.0.5" }), options)["vooru.conf"];
    const lines = conf.split("\n");
    const at = (line: string) => lines.indexOf(line);
    expect(at("max_queued_messages 50000")).toBeGreaterThan(at("persistence true"));
    expect(at("max_queued_bytes 67108864")).toBeLessThan(at("listener 1883"));
    expect(at("connection central")).toBeGreaterThan(at("listener 1883"));
    expect(bridgeSection(conf)).toEqual([
      "connection central",
      "address 10.0.0.5:1883",
      "remote_clientid vooru-bridge-tartu",
      "bridge_protocol_version mqttv311",
      "# Keep the bridge's session: the central broker keeps its subscriptions (requests for the",
      "# office wait there), and this broker queues the office's messages while the WAN is down.",
      "cleansession false",
      "try_private true",
      "start_type automatic",
      "restart_timeout 5 30",
      "keepalive_interval 60",
      "notifications true",
      "notification_topic vooru/bridges/tartu/central",
      "topic vooru/v1/tartu/# out 1",
    ]);
  });

  it("follows the options: name, client id, MQTT 5, constant restart, no notifications, limits", () => {
    const conf = generateMosquittoFiles(
      configWith({
        host: "broker.example",
        port: 1884,
        name: "hq",
        clientId: "tartu-1",
        protocolVersion: 5,
        tryPrivate: false,
        notifications: false,
        keepaliveSeconds: 5,
        restartTimeout: { base: 2, cap: 2 },
        maxQueuedMessages: 10,
        maxQueuedBytes: 0,
      }),
      options,
    );
    const section = bridgeSection(conf["vooru.conf"]);
    expect(section).toEqual(
      expect.arrayContaining([
        "connection hq",
        "address broker.example:1884",
        "remote_clientid tartu-1",
        "bridge_protocol_version mqttv50",
        "try_private false",
        "restart_timeout 2",
        "keepalive_interval 5",
        "notifications false",
      ]),
    );
    expect(section.some((l) => l.startsWith("notification_topic"))).toBe(false);
    expect(conf["vooru.conf"]).toMatch(/^max_queued_messages 10\nmax_queued_bytes 0$/m);
    expect(conf.acl).not.toContain("vooru/bridges/");
  });

  it("lets every local user read the bridge's state", () => {
    const acl = generateMosquittoFiles(configWith({ host: "h" }), options).acl;
    expect(acl).toContain("\npattern read vooru/bridges/tartu/central\n");
  });

  it("adds nothing without a bridge", () => {
    const files = generateMosquittoFiles(configWith(undefined), options);
    expect(Object.keys(files)).toEqual(["vooru.conf", "acl", "passwd"]);
    expect(files["vooru.conf"]).not.toMatch(/^(connection|max_queued)/m);
  });

  it("refuses what Mosquitto would misread or what would break the bridge", () => {
    const invalid = (bridge: object) => expect(() => configWith(bridge)).toThrow();
    invalid({ host: "central example" });
    invalid({ host: "h", password: "secret-without-user" });
    invalid({ host: "h", cafile: "/ca.pem", certfile: "/c.pem" });
    invalid({ host: "h", certfile: "/c.pem", keyfile: "/k.pem" });
    invalid({ host: "h", cafile: "certs/ca.pem" });
    invalid({ host: "h", username: "u", password: " padded" });
    invalid({ host: "h", restartTimeout: { base: 10, cap: 5 } });
    invalid({ host: "h", direction: "in" });
    const generate = (bridge: object) => () => generateMosquittoFiles(configWith(bridge), options);
    expect(generate({ host: "h", notificationTopic: "vooru/v1/tartu/bridge" })).toThrow(MosquittoConfigError);
    expect(generate({ host: "h", notificationTopic: "vooru/+/x" })).toThrow(
      expect.objectContaining({ code: "MOSQUITTO_CONFIG_INVALID" }),
    );
  });
});

describe("the central broker's part", () => {
  it("gives the office's bridge user its own office only: write out, read too when requests come in", () => {
    const out = generateMosquittoFiles(configWith({ ...FULL, direction: "out" }), options);
    expect(out["central-acl"]?.split("\n").slice(1)).toEqual([
      "# Office tartu: its bridge may use vooru/v1/tartu/# and nothing else.",
      "user office-tartu",
      "topic write vooru/v1/tartu/#",
      "topic write vooru/bridges/tartu/central",
      "",
    ]);
    const both = generateMosquittoFiles(configWith(FULL), options);
    expect(both["central-acl"]).toContain("\ntopic readwrite vooru/v1/tartu/#\n");
  });

  it("writes the bridge user's password in Mosquitto's format", () => {
    const line = generateMosquittoFiles(configWith(FULL), options)["central-passwd"]!.split("\n")[1]!;
    const [user, hash] = line.split(/:(.*)/s);
    expect(user).toBe("office-tartu");
    const salt = Buffer.from(hash!.split("$")[3]!, "base64");
    expect(mosquittoPasswordHash("bridge secret 1", salt)).toBe(hash);
  });

  it("says what to do without a username (certificate login)", () => {
    const files = generateMosquittoFiles(configWith({ host: "h", cafile: "/ca.pem" }), options);
    expect(files["central-acl"]).toMatch(/use_identity_as_username/);
    expect(files["central-passwd"]).toBeUndefined();
  });
});

describe("device node users", () => {
  it("write only under nodes/{their node}/ and read the office", () => {
    const user = { username: "node-hall", password: "node-hall-secret", role: "node", node: "hall" };
    // Added after parsing: the config's cross-checks want a device on that node, beside the point here.
    const config = configWith(undefined);
    config.mqtt.users.push(user as (typeof config.mqtt.users)[number]);
    const acl = generateMosquittoFiles(config, options).acl;
    expect(acl.split("user node-hall\n")[1]?.split("\n\n")[0]?.trimEnd()).toBe(
      ["topic read vooru/v1/tartu/#", "topic write vooru/v1/tartu/nodes/hall/#"].join("\n"),
    );
  });
});

describe("writeMosquittoFiles with a bridge", () => {
  it("keeps every file holding a password readable by its owner only", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vooru-bridge-files-"));
    try {
      await writeMosquittoFiles(configWith(FULL), dir, options);
      const mode = (name: string) => statSync(join(dir, name)).mode & 0o777;
      expect(mode("vooru.conf")).toBe(0o600);
      expect(mode("central-passwd")).toBe(0o600);
      expect(mode("central-acl")).toBe(0o644);
      await writeMosquittoFiles(configWith({ host: "h" }), dir, options);
      expect(mode("vooru.conf")).toBe(0o644);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
