// `mqtt.bridge`: the office's Mosquitto bridges vooru/v1/{office}/# to a central broker. Every key
// becomes a bridge option of mosquitto.conf(5) ("Configuring bridges") in `vooru mosquitto-config`.
import { z } from "zod";
import { idSchema } from "../config/ids.js";

/** Mosquitto reads a bridge option to the end of its line: no line breaks, no surrounding spaces. */
const oneLine = z
  .string()
  .regex(/^\S(?:[^\r\n]*\S)?$/, "must be one line without leading or trailing spaces");
/** Host names, client ids and user names are single words in mosquitto.conf. */
const word = z.string().regex(/^[^\s#]+$/, "must be one word without spaces or '#'");
/** Mosquitto runs with / as its working folder: a relative path would point somewhere else. */
const absolutePath = oneLine.regex(/^\//, "must be an absolute path");
const seconds = z.number().int().min(1).max(3600);

export const bridgeSchema = z
  .strictObject({
    host: z
      .string()
      .regex(/^[A-Za-z0-9._:-]+$/, "must be a host name or an IP address")
      .describe("Host name or address of the central broker."),
    port: z
      .number()
      .int()
      .min(1)
      .max(65_535)
      .optional()
      .describe("Its MQTT port; default 8883 with TLS (cafile given), else 1883."),
    name: idSchema
      .default("central")
      .describe("Name of the bridge connection in Mosquitto; also the last part of the notification topic."),
    clientId: word
      .optional()
      .describe(
        "Client id at the central broker; default vooru-bridge-<office>. Keep it stable: the central broker keeps the bridge's session under it.",
      ),
    username: word.optional().describe("The office's login at the central broker (remote_username)."),
    password: oneLine.optional().describe("Its password (remote_password)."),
    cafile: absolutePath
      .optional()
      .describe("TLS: PEM file of the CA that signed the central broker's certificate; turns TLS on."),
    certfile: absolutePath
      .optional()
      .describe("TLS: PEM client certificate, if the central broker wants one."),
    keyfile: absolutePath.optional().describe("TLS: PEM key of that client certificate."),
    tlsVersion: z
      .enum(["tlsv1.2", "tlsv1.3"])
      .optional()
      .describe("TLS version; Mosquitto's default is tlsv1.2."),
    protocolVersion: z
      .union([z.literal(4), z.literal(5)])
      .default(4)
      .describe(
        "4 (MQTT 3.1.1, the default: Mosquitto 2.0 keeps a 3.1.1 bridge's session at the central broker while the WAN is down, not a v5 one) or 5.",
      ),
    direction: z
      .enum(["out", "both"])
      .default("out")
      .describe(
        "out: the office's state, events and replies go to the central broker; both: requests sent at the central broker (counters/+/request/+, desk/request/+, system/request/+) also come in.",
      ),
    tryPrivate: z
      .boolean()
      .default(true)
      .describe(
        "Tell the central broker this is a bridge (loop detection, retained flags kept); false for a broker that refuses it.",
      ),
    notifications: z
      .boolean()
      .default(true)
      .describe(
        "Publish the bridge's state, retained 1 (up) or 0 (down), on notificationTopic at both ends.",
      ),
    notificationTopic: word
      .optional()
      .describe(
        "Default vooru/bridges/<office>/<name>: outside vooru/v1/<office>/ so the bridge never forwards an old value of it.",
      ),
    keepaliveSeconds: z
      .number()
      .int()
      .min(5)
      .max(65_535)
      .default(60)
      .describe("Ping interval of the bridge connection; a dead WAN is noticed after about 1.5 times this."),
    restartTimeout: z
      .strictObject({
        base: seconds.default(5).describe("First wait before reconnecting, in seconds."),
        cap: seconds
          .default(30)
          .describe("Longest wait, in seconds; waits grow from base to cap with jitter."),
      })
      .refine((t) => t.cap >= t.base, { message: "cap must be at least base", path: ["cap"] })
      .default({ base: 5, cap: 30 })
      .describe(
        "How long the bridge waits before reconnecting after the WAN or the central broker went away.",
      ),
    maxQueuedMessages: z
      .number()
      .int()
      .min(0)
      .max(10_000_000)
      .default(50_000)
      .describe(
        "QoS 1 messages the office's Mosquitto keeps for the bridge while it is down (max_queued_messages, for every persistent client); newer ones are dropped when full; 0 = no limit.",
      ),
    maxQueuedBytes: z
      .number()
      .int()
      .min(0)
      .default(64 * 1024 * 1024)
      .describe("The same limit in bytes of payload (max_queued_bytes); 0 = no limit."),
  })
  .refine((b) => b.password === undefined || b.username !== undefined, {
    message: "a password needs a username",
    path: ["password"],
  })
  .refine((b) => (b.certfile === undefined) === (b.keyfile === undefined), {
    message: "certfile and keyfile go together",
    path: ["keyfile"],
  })
  .refine((b) => b.cafile !== undefined || (b.certfile === undefined && b.tlsVersion === undefined), {
    message: "TLS options need cafile",
    path: ["cafile"],
  });

export type BridgeConfig = z.infer<typeof bridgeSchema>;
