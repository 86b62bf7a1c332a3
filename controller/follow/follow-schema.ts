// The follow page's part of the config: its own listener, apart from the staff pages and MQTT.
import { z } from "zod";

export const followSchema = z
  .strictObject({
    port: z
      .number()
      .int()
      .min(0)
      .max(65535)
      .describe("Port of the follow page's own listener (0: any free port, for tests)."),
    host: z
      .string()
      .min(1)
      .default("0.0.0.0")
      .describe("Address it listens on: the guest Wi-Fi's, or 127.0.0.1 behind a reverse proxy."),
    publicUrl: z
      .string()
      .regex(
        /^https?:\/\/[^\s?#]+[^/\s?#]$/,
        "must be an http(s) URL without a trailing slash, query or fragment",
      )
      .optional()
      .describe(
        "The base printed in the QR, <publicUrl>/t/<token>, when the page is reached through a proxy or a name (default: http://<the listener's address>:<port>).",
      ),
    rateLimit: z
      .strictObject({
        perMinute: z
          .number()
          .int()
          .min(1)
          .default(60)
          .describe("Requests a client address may make per minute, on average."),
        burst: z.number().int().min(1).default(20).describe("Requests it may make at once."),
      })
      .default({ perMinute: 60, burst: 20 })
      .describe("Per client address (behind a proxy: the proxy's); over it the answer is 429."),
  })
  .describe(
    "The customer's follow page behind the ticket's QR (docs/follow-page.md); without it the QR keeps ticket.qrUrl.",
  );

export type FollowConfig = z.infer<typeof followSchema>;
