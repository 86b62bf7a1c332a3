// Devices in the office configuration: ticket printers, LED board buses and single LED displays,
// what boards show, and the ticket's texts and layout.
import { z } from "zod";
import { idSchema } from "./ids.js";

const portSchema = z.number().int().min(1).max(65_535);

export const printerTransportSchema = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("serial"),
    /** Prefer /dev/serial/by-id/... : it survives replugging into another USB port. */
    path: z.string().min(1),
    baudRate: z.number().int().positive().default(19_200),
  }),
  z.strictObject({ type: z.literal("tcp"), host: z.string().min(1), port: portSchema.default(9100) }),
  z.strictObject({ type: z.literal("usb"), path: z.string().min(1).default("/dev/usb/lp0") }),
  /** A virtual printer in this process, reached over TCP on loopback like a network printer. */
  z.strictObject({ type: z.literal("simulated") }),
]);

export const printerSchema = z.strictObject({
  id: idSchema,
  /** A profile id (epson-tm-t20iii, epson-tm-t88vi, generic-58mm, generic-80mm): width, code pages, barrier. */
  profile: z.string().min(1),
  transport: printerTransportSchema,
  /** Seconds to wait for the printer to confirm a ticket before it counts as failed. */
  confirmTimeoutSeconds: z.number().positive().max(120).default(8),
});

const texts = z.strictObject({
  et: z.string().optional(),
  en: z.string().optional(),
  ru: z.string().optional(),
});

export const ticketLayoutSchema = z
  .strictObject({
    /** Printed as "<ahead label> 3, <wait label> 10-15 min" per language. */
    aheadLabel: texts.default({ et: "Ees", en: "Ahead", ru: "Впереди" }),
    waitLabel: texts.default({ et: "ootus", en: "wait", ru: "ожидание" }),
    minutes: texts.default({ et: "min", en: "min", ru: "мин" }),
    /** Footer lines, one per language. */
    footer: texts.default({}),
    /** QR code with a link, e.g. "https://example.ee/queue/{office}/{number}"; {office}, {number}, {ticket} are filled in. */
    qrUrl: z.string().min(1).optional(),
    /** A logo stored in the printer's NV memory (key codes kc1 kc2, e.g. 48 48 for "00"). */
    nvLogo: z
      .strictObject({ kc1: z.number().int().min(32).max(126), kc2: z.number().int().min(32).max(126) })
      .optional(),
  })
  .default({
    aheadLabel: { et: "Ees", en: "Ahead", ru: "Впереди" },
    waitLabel: { et: "ootus", en: "wait", ru: "ожидание" },
    minutes: { et: "min", en: "min", ru: "мин" },
    footer: {},
  });

export const boardTransportSchema = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("serial"),
    /** An RS-485 adapter: prefer /dev/serial/by-id/... */
    path: z.string().min(1),
    baudRate: z.number().int().positive().default(9600),
  }),
  /** An RS-485-to-Ethernet gateway. */
  z.strictObject({ type: z.literal("tcp"), host: z.string().min(1), port: portSchema }),
  /** Virtual boards in this process behind loopback TCP. */
  z.strictObject({ type: z.literal("simulated") }),
]);

export const boardSchema = z
  .strictObject({
    id: idSchema,
    /** Bus address: Modbus slave id (1-247), Alpha sign address (0-255, 0 = all). */
    address: z.number().int().min(0).max(255),
    /** A counter board: shows the ticket called to this counter. */
    counter: idSchema.optional(),
    /** A main board: the last calls of this waiting area ("A023 -> 4"). */
    zone: idSchema.optional(),
    /** Main boards: how many recent calls to show. */
    lines: z.number().int().min(1).max(10).default(1),
  })
  .refine((b) => (b.counter === undefined) !== (b.zone === undefined), {
    message: "a board shows either a counter or a zone",
    path: ["counter"],
  });

export const boardBusSchema = z.strictObject({
  id: idSchema,
  /** modbus-7seg: four-digit seven-segment modules (DM56A04 and alikes); alpha: Alpha protocol signs. */
  protocol: z.enum(["modbus-7seg", "alpha"]),
  transport: boardTransportSchema,
  boards: z.array(boardSchema).min(1),
});

const pinSchema = z.number().int().min(0).max(127);

/** How the controller reaches a single LED display's driver chip. */
export const ledDisplayIoSchema = z.discriminatedUnion("type", [
  /** An Arduino running StandardFirmata on a serial port (USB): prefer /dev/serial/by-id/... */
  z.strictObject({
    type: z.literal("firmata"),
    path: z.string().min(1),
    baudRate: z.number().int().positive().default(57_600),
  }),
  /** A virtual StandardFirmata board in this process behind loopback TCP. */
  z.strictObject({ type: z.literal("simulated") }),
]);

/** A MAX7219 or HT16K33 seven-segment display, driven on its own through johnny-five. */
export const ledDisplaySchema = z
  .strictObject({
    id: idSchema,
    controller: z.enum(["MAX7219", "HT16K33"]),
    /** A counter board: shows the ticket called to this counter. */
    counter: idSchema.optional(),
    /** A main board: the last call of this waiting area. */
    zone: idSchema.optional(),
    lines: z.number().int().min(1).max(10).default(1),
    /** Character cells: default 4 (HT16K33 backpack), 8 (MAX7219 module). */
    digits: z.union([z.literal(4), z.literal(8)]).optional(),
    /** HT16K33: I2C address, 0x70..0x77 (default 0x70). */
    address: z.number().int().min(0x70).max(0x77).optional(),
    /** MAX7219: the Arduino's digital pins wired to DIN, CLK and CS (LOAD). */
    pins: z.strictObject({ data: pinSchema, clock: pinSchema, cs: pinSchema }).optional(),
    io: ledDisplayIoSchema,
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
    /** Shown by a counter board while its counter is open and has called nobody. */
    idle: z.string().default(""),
    /** Shown while the counter is closed or paused, and on main boards outside opening hours. */
    closed: z.string().default("----"),
    /** Seconds a new call or a recall blinks. */
    blinkSeconds: z.number().min(0).max(60).default(5),
  })
  .default({ idle: "", closed: "----", blinkSeconds: 5 });

export const devicesSchema = z
  .strictObject({
    printers: z.array(printerSchema).default([]),
    boardBuses: z.array(boardBusSchema).default([]),
    ledDisplays: z.array(ledDisplaySchema).default([]),
    boardTexts: boardTextsSchema,
  })
  .default({
    printers: [],
    boardBuses: [],
    ledDisplays: [],
    boardTexts: { idle: "", closed: "----", blinkSeconds: 5 },
  });

export const deskSchema = z
  .strictObject({
    /** Printer for tickets issued at the desk when the request names none; none = handed out by hand. */
    printer: idSchema.optional(),
  })
  .default({});

export type PrinterConfig = z.infer<typeof printerSchema>;
export type BoardBusConfig = z.infer<typeof boardBusSchema>;
export type BoardConfig = z.infer<typeof boardSchema>;
export type LedDisplayConfig = z.infer<typeof ledDisplaySchema>;
/** Any board BoardDisplays feeds: one on a board bus, or a led display driven on its own. */
export type ShownBoardConfig = BoardConfig | LedDisplayConfig;
export type PrinterTransportConfig = z.infer<typeof printerTransportSchema>;
export type TicketLayoutConfig = z.infer<typeof ticketLayoutSchema>;
