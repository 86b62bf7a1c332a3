// Ids of services, counters and devices: they appear in MQTT topics.
import { z } from "zod";

/** Ids appear in MQTT topics: no slashes, wildcards or spaces. */
export const idSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,32}$/, "must be 1-32 characters of A-Z, a-z, 0-9, '_' or '-'");

/** A TCP port a device listens on. */
export const portSchema = z.number().int().min(1).max(65_535);
