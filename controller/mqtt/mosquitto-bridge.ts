// The bridge from an office's Mosquitto to a central broker (`mqtt.bridge`), and what the central
// broker needs for it. Options as mosquitto.conf(5) of Mosquitto 2.0 describes them, section
// "Configuring bridges" (https://mosquitto.org/man/mosquitto-conf-5.html):
// - `cleansession false`: "all subscriptions on the remote broker are kept in case of the network
//   connection dropping", so requests sent at the central broker wait there for the office.
// - Locally, the bridge is a client of the office's broker subscribed to the `out` topics. While it
//   is down, QoS 1 messages for it are queued "above those currently in flight" up to
//   `max_queued_messages` / `max_queued_bytes`; "once this limit has been reached, subsequent
//   messages will be silently dropped" (the newest, not the oldest).
// - With `persistence true` that queue is saved with the database (on shutdown and every
//   autosave_interval), so it survives a restart of the office's broker.
// - On every (re)connect the bridge subscribes locally again and sends the office's retained
//   messages: the central broker's retained state is current again even if it lost it.
import { baseTopic } from "../../protocols/mqtt/topics.js";
import type { OfficeConfig } from "../config/schema.js";
import type { BridgeConfig } from "./bridge-schema.js";

/** A config that would give a broken or unsafe Mosquitto configuration. */
export class MosquittoConfigError extends Error {
  readonly code = "MOSQUITTO_CONFIG_INVALID";
  constructor(message: string) {
    super(`mosquitto config: ${message}`);
  }
}

export function checkOption(condition: boolean, message: string): void {
  if (!condition) throw new MosquittoConfigError(message);
}

/** The requests a central dashboard or central counter software may send (not simulator controls). */
export function requestsIn(base: string): string[] {
  // Plain ones (attributed to nobody) and under by/{user}/, as the central broker's ACL vouches.
  return [
    `${base}counters/+/request/+`,
    `${base}desk/request/+`,
    `${base}system/request/+`,
    `${base}by/+/counters/+/request/+`,
    `${base}by/+/desk/request/+`,
    `${base}by/+/system/request/+`,
  ];
}

export interface ResolvedBridge extends BridgeConfig {
  port: number;
  clientId: string;
  notificationTopic: string;
}

/** The bridge block with its defaults filled in, checked against what Mosquitto accepts. */
export function resolveBridge(config: OfficeConfig): ResolvedBridge | null {
  const bridge = config.mqtt.bridge;
  if (bridge === undefined) return null;
  const office = config.office.id;
  const resolved: ResolvedBridge = {
    ...bridge,
    port: bridge.port ?? (bridge.cafile !== undefined ? 8883 : 1883),
    clientId: bridge.clientId ?? `vooru-bridge-${office}`,
    notificationTopic: bridge.notificationTopic ?? `vooru/bridges/${office}/${bridge.name}`,
  };
  const topic = resolved.notificationTopic;
  // The local ACL reads it through a `pattern` line, where % starts a substitution.
  checkOption(!/[+#%]/.test(topic) && !topic.startsWith("$"), "bridge notificationTopic: no + # % or $");
  // Inside the bridged tree the local broker would also forward its own copy, possibly a stale 0
  // queued while the WAN was down arriving after the fresh 1.
  checkOption(
    !topic.startsWith(baseTopic(office)),
    `bridge notificationTopic must be outside ${baseTopic(office)}`,
  );
  return resolved;
}

/** mosquitto.conf lines that apply to the whole broker; they must come before the bridge section. */
export function bridgeGlobalLines(bridge: ResolvedBridge): string[] {
  return [
    "# What the broker keeps for the bridge (and every other persistent client) while it is away;",
    "# beyond this, newer messages are dropped. The retained state still catches up on reconnect.",
    `max_queued_messages ${bridge.maxQueuedMessages}`,
    `max_queued_bytes ${bridge.maxQueuedBytes}`,
  ];
}

/** The bridge section: last in the file, since every option after `connection` belongs to it. */
export function bridgeSectionLines(config: OfficeConfig, bridge: ResolvedBridge): string[] {
  const base = baseTopic(config.office.id);
  const { base: restartBase, cap } = bridge.restartTimeout;
  return [
    `# Bridge to the central broker: ${base}# goes there (QoS 1)${bridge.direction === "both" ? ", requests come in" : ""}.`,
    "# The office keeps working while it is down; queued messages go out when it is back.",
    `connection ${bridge.name}`,
    `address ${bridge.host}:${bridge.port}`,
    `remote_clientid ${bridge.clientId}`,
    ...(bridge.username !== undefined ? [`remote_username ${bridge.username}`] : []),
    ...(bridge.password !== undefined ? [`remote_password ${bridge.password}`] : []),
    `bridge_protocol_version ${bridge.protocolVersion === 5 ? "mqttv50" : "mqttv311"}`,
    "# Keep the bridge's session: the central broker keeps its subscriptions (requests for the",
    "# office wait there), and this broker queues the office's messages while the WAN is down.",
    "cleansession false",
    `try_private ${bridge.tryPrivate}`,
    "start_type automatic",
    restartBase === cap ? `restart_timeout ${cap}` : `restart_timeout ${restartBase} ${cap}`,
    `keepalive_interval ${bridge.keepaliveSeconds}`,
    `notifications ${bridge.notifications}`,
    ...(bridge.notifications ? [`notification_topic ${bridge.notificationTopic}`] : []),
    ...(bridge.cafile !== undefined ? [`bridge_cafile ${bridge.cafile}`] : []),
    ...(bridge.certfile !== undefined ? [`bridge_certfile ${bridge.certfile}`] : []),
    ...(bridge.keyfile !== undefined ? [`bridge_keyfile ${bridge.keyfile}`] : []),
    ...(bridge.tlsVersion !== undefined ? [`bridge_tls_version ${bridge.tlsVersion}`] : []),
    `topic ${base}# out 1`,
    // A request that came in is not sent back out: the bridge subscribes locally with no-local, and
    // the central broker does not echo a bridge's own messages (try_private, or no-local in v5).
    ...(bridge.direction === "both" ? requestsIn(base).map((t) => `topic ${t} in 1`) : []),
  ];
}

/**
 * What the central broker needs for this office: its bridge user, limited by the ACL to the
 * office's own topics and its notification topic. Appended to the central broker's acl_file and
 * password_file, one block per office.
 */
export function centralAclLines(config: OfficeConfig, bridge: ResolvedBridge): string[] {
  const base = baseTopic(config.office.id);
  const user = bridge.username;
  if (user === undefined)
    return [
      `# Office ${config.office.id}: the bridge logs in without a username; give its certificate's`,
      `# identity (use_identity_as_username) only ${base}# and ${bridge.notificationTopic}.`,
    ];
  // Requests come in through a subscription at the central broker: reading needs the right too.
  const access = bridge.direction === "both" ? "readwrite" : "write";
  return [
    `# Office ${config.office.id}: its bridge may use ${base}# and nothing else.`,
    `user ${user}`,
    `topic ${access} ${base}#`,
    ...(bridge.notifications ? [`topic write ${bridge.notificationTopic}`] : []),
  ];
}
