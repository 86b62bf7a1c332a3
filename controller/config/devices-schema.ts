// Devices in the office configuration: ticket printers (buttons and boards come with their
// issues), and the ticket's texts and layout.
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

export const devicesSchema = z
  .strictObject({
    printers: z.array(printerSchema).default([]),
  })
  .default({ printers: [] });

export const deskSchema = z
  .strictObject({
    /** Printer for tickets issued at the desk when the request names none; none = handed out by hand. */
    printer: idSchema.optional(),
  })
  .default({});

export type PrinterConfig = z.infer<typeof printerSchema>;
export type PrinterTransportConfig = z.infer<typeof printerTransportSchema>;
export type TicketLayoutConfig = z.infer<typeof ticketLayoutSchema>;
