// The alerts part of the office configuration: where IT support's alerts go besides MQTT.
import { z } from "zod";

export const webhookSchema = z.strictObject({
  url: z
    .string()
    .regex(/^https?:\/\/[^\s]+$/, "must be an http:// or https:// URL")
    .describe("Endpoint that receives {event: raised|cleared, office, ts, alert} as a JSON POST."),
  headers: z
    .record(z.string(), z.string())
    .default({})
    .describe('Extra HTTP headers, e.g. { Authorization: "Bearer ..." }.'),
  timeoutMs: z.number().int().min(100).max(60_000).default(5000).describe("Timeout of one POST."),
  maxBackoffMs: z
    .number()
    .int()
    .min(1000)
    .max(3_600_000)
    .default(300_000)
    .describe("Retries back off from 1 s, doubling, up to this."),
  maxQueued: z
    .number()
    .int()
    .min(10)
    .max(100_000)
    .default(1000)
    .describe("Alerts kept in order while the endpoint is down; the oldest go first when full."),
});

export const alertsSchema = z.preprocess(
  // A block whose keys are all commented out is null in YAML: the same as leaving it out.
  (value) => value ?? undefined,
  z
    .strictObject({
      webhook: webhookSchema.optional().describe("A second channel for IT support besides MQTT."),
    })
    .default({})
    .describe("Alerts always go to MQTT (alerts/<device>)."),
);

export type WebhookConfig = z.infer<typeof webhookSchema>;
