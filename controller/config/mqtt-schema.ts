// The MQTT part of the office configuration: which broker, who may connect, and where IT support's
// alerts go besides MQTT.
import { z } from "zod";
import { idSchema } from "./ids.js";

const portSchema = z.number().int().min(0).max(65_535);

/** An external broker (Mosquitto on the Pi, or a central one). Absent: the embedded broker. */
export const externalBrokerSchema = z.strictObject({
  /** mqtt://host:1883, mqtts://host:8883, ws://..., wss://... */
  url: z.string().regex(/^(mqtts?|wss?):\/\/[^\s]+$/, "must be an mqtt://, mqtts://, ws:// or wss:// URL"),
  username: z.string().min(1).optional(),
  password: z.string().min(1).optional(),
  /** PEM files, for TLS: the CA that signed the broker, and a client certificate if it wants one. */
  ca: z.string().min(1).optional(),
  cert: z.string().min(1).optional(),
  key: z.string().min(1).optional(),
  rejectUnauthorized: z.boolean().default(true),
  /** 5 (MQTT 5) or 4 (MQTT 3.1.1). */
  protocolVersion: z.union([z.literal(4), z.literal(5)]).default(5),
  clientId: z.string().min(1).optional(),
});

export const embeddedBrokerSchema = z
  .strictObject({
    /** Address the MQTT (TCP) listener binds to. */
    host: z.string().min(1).default("0.0.0.0"),
    port: portSchema.default(1883),
    /** HTTP port of the web pages; MQTT over WebSocket is at /mqtt on it. */
    httpPort: portSchema.default(8080),
    /** Let clients without credentials connect from this machine (the demo office does). */
    allowAnonymousLoopback: z.boolean().default(false),
  })
  .default({ host: "0.0.0.0", port: 1883, httpPort: 8080, allowAnonymousLoopback: false });

/**
 * Who may connect. Roles: `counter` may send requests only under counters/{its counter}/request/;
 * `desk` under desk/request/ and any counter's; `monitor` only reads (and may ask for a resync);
 * `admin` may do everything. Everyone may read the whole office.
 */
export const mqttUserSchema = z
  .strictObject({
    username: z
      .string()
      .regex(/^[A-Za-z0-9_.@-]{1,64}$/, "must be 1-64 characters of A-Z, a-z, 0-9, _ . @ -"),
    password: z.string().min(8, "must be at least 8 characters"),
    role: z.enum(["counter", "desk", "monitor", "admin"]),
    /** For role counter: the counter these credentials act for. */
    counter: idSchema.optional(),
  })
  .refine((u) => (u.role === "counter") === (u.counter !== undefined), {
    message: "a counter user names its counter, and only a counter user does",
    path: ["counter"],
  });

export const webhookSchema = z.strictObject({
  /** HTTP(S) endpoint that receives each alert raised and cleared as a JSON POST. */
  url: z.string().regex(/^https?:\/\/[^\s]+$/, "must be an http:// or https:// URL"),
  headers: z.record(z.string(), z.string()).default({}),
  timeoutMs: z.number().int().min(100).max(60_000).default(5000),
  /** Retries back off from 1 s doubling up to this; alerts wait in order, up to maxQueued. */
  maxBackoffMs: z.number().int().min(1000).max(3_600_000).default(300_000),
  maxQueued: z.number().int().min(10).max(100_000).default(1000),
});

export const mqttSchema = z
  .strictObject({
    broker: externalBrokerSchema.optional(),
    embedded: embeddedBrokerSchema,
    users: z.array(mqttUserSchema).default([]),
    /** How long a repeated requestId gets the first reply again (QoS 1 delivers at least once). */
    dedupeMinutes: z
      .number()
      .positive()
      .max(24 * 60)
      .default(10),
  })
  .default({
    embedded: { host: "0.0.0.0", port: 1883, httpPort: 8080, allowAnonymousLoopback: false },
    users: [],
    dedupeMinutes: 10,
  });

export const alertsSchema = z.preprocess(
  // A block whose keys are all commented out is null in YAML: the same as leaving it out.
  (value) => value ?? undefined,
  z.strictObject({ webhook: webhookSchema.optional() }).default({}),
);

export type MqttConfig = z.infer<typeof mqttSchema>;
export type MqttUser = z.infer<typeof mqttUserSchema>;
export type ExternalBrokerConfig = z.infer<typeof externalBrokerSchema>;
export type WebhookConfig = z.infer<typeof webhookSchema>;
