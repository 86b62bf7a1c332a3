// The boards room's part of the office configuration: LED board buses, single LED displays and
// what boards show (devices.boardBuses, devices.ledDisplays, devices.boardTexts).
import { z } from "zod";
import { firmataIoSchema } from "../config/firmata-io-schema.js";
import { idSchema, portSchema } from "../config/ids.js";
import { nodeDeviceSchema } from "../config/node-device-schema.js";

export const boardTransportSchema = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("serial"),
    path: z.string().min(1).describe("The RS-485 adapter: prefer /dev/serial/by-id/..."),
    baudRate: z.number().int().positive().default(9600).describe("Bus speed (Modbus 8N1, Alpha 7E1)."),
    localEcho: z
      .boolean()
      .default(false)
      .describe(
        "The RS-485 adapter echoes what vooru sends (no automatic direction control, or its receiver always on): each frame's echo is dropped before the replies are read. Leave false for adapters that switch direction themselves (most USB ones).",
      ),
  }),
  z.strictObject({
    type: z.literal("tcp"),
    host: z.string().min(1).describe("An RS-485-to-Ethernet gateway's address."),
    port: portSchema.describe("Its TCP port."),
  }),
  /** Virtual boards in this process behind loopback TCP. */
  z.strictObject({ type: z.literal("simulated") }),
  nodeDeviceSchema,
]);

export const boardSchema = z
  .strictObject({
    id: idSchema.describe("Id of the board (devices/<id> on MQTT)."),
    address: z
      .number()
      .int()
      .min(0)
      .max(255)
      .describe("Bus address: Modbus slave id (1-247), Alpha sign address (0-255, 0 = all)."),
    counter: idSchema
      .optional()
      .describe("A counter board: shows the ticket called to this counter (blinks on a call)."),
    zone: idSchema
      .optional()
      .describe('A main board: the last calls of this waiting area ("A023 → 4"), newest first.'),
    lines: z.number().int().min(1).max(10).default(1).describe("Main boards: how many recent calls to show."),
  })
  .refine((b) => (b.counter === undefined) !== (b.zone === undefined), {
    message: "a board shows either a counter or a zone",
    path: ["counter"],
  });

export const boardBusSchema = z.strictObject({
  id: idSchema.describe("Id of the bus."),
  protocol: z
    .enum(["modbus-7seg", "alpha"])
    .describe(
      "modbus-7seg: four-digit seven-segment modules (DM56A04 and alikes), 9600 8N1; alpha: Alpha protocol signs (BetaBrite), 9600 7E1.",
    ),
  transport: boardTransportSchema.describe(
    'serial, tcp, "simulated" (virtual boards inside vooru), or "node" (a bus on a device node).',
  ),
  boards: z.array(boardSchema).min(1).describe("The boards on this bus; each shows a counter or a zone."),
});

const pinSchema = z.number().int().min(0).max(127).describe("An Arduino digital pin.");

/** How the controller reaches a single LED display's driver chip. */
export const ledDisplayIoSchema = z.discriminatedUnion("type", [
  /** An Arduino running StandardFirmata on a serial port (USB): prefer /dev/serial/by-id/... */
  firmataIoSchema,
  /** A virtual StandardFirmata board in this process behind loopback TCP. */
  z.strictObject({ type: z.literal("simulated") }),
]);

/** A MAX7219 or HT16K33 seven-segment display, driven on its own through johnny-five. */
export const ledDisplaySchema = z
  .strictObject({
    id: idSchema.describe("Id of the display (devices/<id> on MQTT)."),
    controller: z.enum(["MAX7219", "HT16K33"]).describe("The display's driver chip."),
    counter: idSchema.optional().describe("A counter display: shows the ticket called to this counter."),
    zone: idSchema.optional().describe("A main display: the last call of this waiting area."),
    lines: z
      .number()
      .int()
      .min(1)
      .max(10)
      .default(1)
      .describe("Main displays: how many recent calls to cycle."),
    digits: z
      .union([z.literal(4), z.literal(8)])
      .optional()
      .describe("Character cells: default 4 (HT16K33 backpack), 8 (MAX7219 module)."),
    address: z
      .number()
      .int()
      .min(0x70)
      .max(0x77)
      .optional()
      .describe("HT16K33: I2C address, 0x70..0x77 (default 0x70)."),
    pins: z
      .strictObject({ data: pinSchema, clock: pinSchema, cs: pinSchema })
      .optional()
      .describe("MAX7219: the Arduino's digital pins wired to DIN, CLK and CS (LOAD)."),
    io: ledDisplayIoSchema.describe('An Arduino with StandardFirmata ("firmata"), or "simulated".'),
  })
  .refine((b) => (b.counter === undefined) !== (b.zone === undefined), {
    message: "a board shows either a counter or a zone",
    path: ["counter"],
  })
  .refine((b) => b.controller !== "MAX7219" || b.pins !== undefined, {
    message: "a MAX7219 needs pins {data, clock, cs}",
    path: ["pins"],
  })
  .refine((b) => b.controller !== "MAX7219" || b.address === undefined, {
    message: "address is for an HT16K33 (I2C); a MAX7219 takes pins",
    path: ["address"],
  })
  .refine((b) => b.controller !== "HT16K33" || b.pins === undefined, {
    message: "pins are for a MAX7219; an HT16K33 is on the I2C pins and takes an address",
    path: ["pins"],
  });

export const boardTextsSchema = z
  .strictObject({
    idle: z
      .string()
      .default("")
      .describe("Shown by a counter board while its counter is open and has called nobody."),
    closed: z
      .string()
      .default("----")
      .describe("Shown while the counter is closed or paused, and on main boards outside opening hours."),
    blinkSeconds: z.number().min(0).max(60).default(5).describe("Seconds a new call or a recall blinks."),
  })
  .default({ idle: "", closed: "----", blinkSeconds: 5 })
  .describe("What boards show when nobody is called and while closed; how long calls blink.");

export type BoardBusConfig = z.infer<typeof boardBusSchema>;
export type BoardConfig = z.infer<typeof boardSchema>;
export type LedDisplayConfig = z.infer<typeof ledDisplaySchema>;
/** Any board BoardDisplays feeds: one on a board bus, or a led display driven on its own. */
export type ShownBoardConfig = BoardConfig | LedDisplayConfig;
