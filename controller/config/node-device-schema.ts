// How the office configuration names a device attached to a device node (a second Pi running
// `vooru node`): the node drives the device, this controller owns the queue. Shared by printers,
// board buses and panels (its own file: panels-schema and devices-schema import each other's parts).
import { z } from "zod";
import { idSchema } from "./ids.js";

export const nodeDeviceSchema = z.strictObject({
  type: z.literal("node"),
  node: idSchema.describe("Id of the device node (vooru node) the device is attached to."),
});
