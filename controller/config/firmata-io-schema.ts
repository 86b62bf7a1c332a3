// An Arduino running StandardFirmata on a serial port: how a button panel and an LED display
// reach theirs, the same way.
import { z } from "zod";

export const firmataIoSchema = z.strictObject({
  type: z.literal("firmata"),
  path: z.string().min(1).describe("The Arduino's serial port: prefer /dev/serial/by-id/..."),
  baudRate: z.number().int().positive().default(57_600).describe("StandardFirmata's speed."),
  versionWaitMs: z
    .number()
    .int()
    .min(0)
    .max(30_000)
    .default(5000)
    .describe(
      "How long to wait for the board to announce its firmware before asking: an Uno (and most boards with a USB-serial chip) resets when the port opens and announces itself after about 3.2 s, so 5000; a board that does not reset (Leonardo, Micro, a port without DTR) needs 0, asked at once.",
    ),
});
