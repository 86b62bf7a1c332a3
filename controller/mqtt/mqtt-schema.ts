// The MQTT part of the office configuration: which broker, who may connect, the bridge to a
// central broker.
import { z } from "zod";
import { idSchema } from "../config/ids.js";
import { bridgeSchema } from "./bridge-schema.js";
import { isPasswordHash, looksLikeBrokenHash } from "./password-hash.js";

const portSchema = z.number().int().min(0).max(65_535);

/** An external broker (Mosquitto on the Pi, or a central one). Absent: the embedded broker. */
export const externalBrokerSchema = z.strictObject({
  url: z
    .string()
    .regex(/^(mqtts?|wss?):\/\/[^\s]+$/, "must be an mqtt://, mqtts://, ws:// or wss:// URL")
    .describe("mqtt://host:1883, mqtts://host:8883 (TLS), ws://... or wss://..."),
  username: z.string().min(1).optional().describe("The controller's own login at the broker."),
  password: z
    .string()
    .min(1)
    .optional()
    .describe(
      "Its password, in plain text: the controller sends it to log in, so it cannot be a hash (keep office.yaml mode 0600).",
    ),
  ca: z.string().min(1).optional().describe("TLS: PEM file of the CA that signed the broker's certificate."),
  cert: z.string().min(1).optional().describe("TLS: PEM client certificate, if the broker wants one."),
  key: z.string().min(1).optional().describe("TLS: PEM key of the client certificate."),
  rejectUnauthorized: z
    .boolean()
    .default(true)
    .describe("TLS: refuse a broker whose certificate does not verify; false only for testing."),
  protocolVersion: z
    .union([z.literal(4), z.literal(5)])
    .default(5)
    .describe("5 (MQTT 5) or 4 (MQTT 3.1.1)."),
  clientId: z.string().min(1).optional().describe("MQTT client id; default vooru-<office>-<random>."),
});

/** HTTPS for the web server of the embedded broker: the pages and MQTT over WebSocket (wss://). */
export const webTlsSchema = z
  .strictObject({
    cert: z
      .string()
      .min(1)
      .describe(
        "PEM certificate for the name the pages are opened by (intermediates may follow it); relative to the config file.",
      ),
    key: z
      .string()
      .min(1)
      .describe(
        "PEM private key of the certificate; relative to the config file. Mode 0600, owned by the service user.",
      ),
    ca: z
      .string()
      .min(1)
      .optional()
      .describe(
        "PEM intermediate certificate(s) sent after cert, when cert does not hold them; relative to the config file.",
      ),
  })
  .describe(
    "HTTPS on httpPort: the pages over https:// and MQTT over WebSocket over wss:// (then no plain HTTP there); absent = plain HTTP. The MQTT port stays plain.",
  );

export const embeddedBrokerSchema = z
  .strictObject({
    host: z
      .string()
      .min(1)
      .default("0.0.0.0")
      .describe("Address the MQTT and HTTP listeners bind to (0.0.0.0 = every interface)."),
    port: portSchema.default(1883).describe("MQTT port; --mqtt-port or VOORU_MQTT_PORT override it."),
    httpPort: portSchema
      .default(8080)
      .describe("Web pages; MQTT over WebSocket at /mqtt. --http-port or VOORU_HTTP_PORT override it."),
    tls: webTlsSchema.optional(),
    allowAnonymousLoopback: z
      .boolean()
      .default(false)
      .describe(
        "Let clients without credentials connect from this machine itself, with the desk's rights (the demo office does). Behind a reverse proxy on the same machine every browser is loopback: leave it off.",
      ),
    allowedOrigins: z
      .array(z.string().regex(/^https?:\/\/[^/\s]+$/, "must be an origin: http(s)://host[:port]"))
      .default([])
      .describe(
        "Page origins besides the web server's own that may open MQTT over WebSocket, e.g. https://queue.office.example when a reverse proxy serves the pages under that name. A browser page of any other site is refused.",
      ),
  })
  .default({ host: "0.0.0.0", port: 1883, httpPort: 8080, allowAnonymousLoopback: false, allowedOrigins: [] })
  .describe("The broker inside vooru, used when no external broker is given.");

/**
 * A password the controller checks: a hash in Mosquitto's passwd format (`vooru passwd` writes
 * one) or plain text of at least 8 characters.
 */
export const storedPasswordSchema = z
  .string()
  .refine(
    (s) => !looksLikeBrokenHash(s),
    "starts like a password hash but is not one vooru reads: $7$<iterations>$<base64 salt>$<base64 hash>, as vooru passwd and mosquitto_passwd write it",
  )
  .refine(
    (s) => isPasswordHash(s) || looksLikeBrokenHash(s) || s.length >= 8,
    "must be at least 8 characters (or a hash from vooru passwd)",
  )
  .describe(
    "Its hash as vooru passwd writes it ($7$..., PBKDF2-SHA512 in Mosquitto's passwd format; mosquitto_passwd's hashes work too), or the password in plain text, at least 8 characters (vooru check warns about those).",
  );

/**
 * Who may connect. Roles: `counter` may send requests only under counters/{its counter}/request/;
 * `desk` under desk/request/ and any counter's; `monitor` only reads (and may ask for a resync);
 * `admin` may do everything. Everyone may read the whole office.
 */
export const mqttUserSchema = z
  .strictObject({
    username: z
      .string()
      .regex(/^[A-Za-z0-9_.@-]{1,64}$/, "must be 1-64 characters of A-Z, a-z, 0-9, _ . @ -")
      .describe("Login name."),
    password: storedPasswordSchema,
    role: z
      .enum(["counter", "desk", "monitor", "admin", "node"])
      .describe(
        "counter: requests of its own counter only; desk: desk requests and any counter's; monitor: reads only; admin: everything; node: a device node, publishes only under nodes/<its node>/.",
      ),
    counter: idSchema.optional().describe("For role counter: the counter these credentials act for."),
    node: idSchema.optional().describe("For role node: the device node these credentials are for."),
  })
  .refine((u) => (u.role === "counter") === (u.counter !== undefined), {
    message: "a counter user names its counter, and only a counter user does",
    path: ["counter"],
  })
  .refine((u) => (u.role === "node") === (u.node !== undefined), {
    message: "a node user names its node, and only a node user does",
    path: ["node"],
  });

export const mqttSchema = z
  .strictObject({
    broker: externalBrokerSchema
      .optional()
      .describe(
        "An external broker (Mosquitto on the Pi, see vooru mosquitto-config); absent = the embedded one.",
      ),
    embedded: embeddedBrokerSchema,
    bridge: bridgeSchema
      .optional()
      .describe(
        "Bridge this office's Mosquitto to a central broker (vooru mosquitto-config writes it); absent = no bridge.",
      ),
    users: z
      .array(mqttUserSchema)
      .default([])
      .describe("Who may connect, with what rights; everyone may read the whole office."),
    dedupeMinutes: z
      .number()
      .positive()
      .max(24 * 60)
      .default(10)
      .describe("Minutes a repeated requestId gets its first reply again (QoS 1 delivers at least once)."),
  })
  .default({
    embedded: {
      host: "0.0.0.0",
      port: 1883,
      httpPort: 8080,
      allowAnonymousLoopback: false,
      allowedOrigins: [],
    },
    users: [],
    dedupeMinutes: 10,
  })
  .describe("The counter software, the pages and IT monitoring talk to vooru over MQTT.");

export type MqttConfig = z.infer<typeof mqttSchema>;
export type MqttUser = z.infer<typeof mqttUserSchema>;
export type ExternalBrokerConfig = z.infer<typeof externalBrokerSchema>;
export type WebTlsConfig = z.infer<typeof webTlsSchema>;
