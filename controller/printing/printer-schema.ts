// The printing room's part of the office configuration: ticket printers (devices.printers), the
// printed ticket's texts and layout (ticket), and the information desk's printer (desk).
import { z } from "zod";
import { idSchema, portSchema } from "../config/ids.js";
import { nodeDeviceSchema } from "../config/node-device-schema.js";

export const printerTransportSchema = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("serial"),
    path: z
      .string()
      .min(1)
      .describe(
        "Serial port: prefer /dev/serial/by-id/..., which survives replugging into another USB port.",
      ),
    baudRate: z.number().int().positive().default(19_200).describe("As set on the printer (DIP switches)."),
  }),
  z.strictObject({
    type: z.literal("tcp"),
    host: z.string().min(1).describe("A network printer's address."),
    port: portSchema.default(9100).describe("Its raw printing port."),
  }),
  z.strictObject({
    type: z.literal("usb"),
    path: z.string().min(1).default("/dev/usb/lp0").describe("The USB printer class device."),
  }),
  /** A virtual printer in this process, reached over TCP on loopback like a network printer. */
  z.strictObject({ type: z.literal("simulated") }),
  nodeDeviceSchema,
]);

export const printerSchema = z.strictObject({
  id: idSchema.describe("Id of the printer: desk requests and panels name it; devices/<id> on MQTT."),
  profile: z
    .string()
    .min(1)
    .describe(
      "Printer profile (width, code pages, how a print is confirmed): epson-tm-t20iii, epson-tm-t88vi, generic-80mm, generic-58mm.",
    ),
  transport: printerTransportSchema.describe(
    'How vooru reaches it: serial, tcp, usb, "simulated" (a virtual printer inside vooru), or "node" (attached to a device node).',
  ),
  confirmTimeoutSeconds: z
    .number()
    .positive()
    .max(120)
    .default(8)
    .describe(
      "Seconds the printer may take to confirm a ticket; after that the number is void and IT is alerted.",
    ),
});

const texts = z.strictObject({
  et: z.string().optional().describe("Estonian."),
  en: z.string().optional().describe("English."),
  ru: z.string().optional().describe("Russian."),
});

export const ticketLayoutSchema = z
  .strictObject({
    aheadLabel: texts
      .default({ et: "Ees", en: "Ahead", ru: "Впереди" })
      .describe('Printed as "<ahead label> 3, <wait label> 10-15 min" per language.'),
    waitLabel: texts.default({ et: "ootus", en: "wait", ru: "ожидание" }).describe("The wait label."),
    minutes: texts.default({ et: "min", en: "min", ru: "мин" }).describe("The word for minutes."),
    footer: texts.default({}).describe("Footer lines, one per language."),
    qrUrl: z
      .string()
      .min(1)
      .optional()
      .describe(
        'A QR code with a link, e.g. "https://example.ee/queue/{office}/{number}"; {office}, {number}, {ticket}, {token} (the follow token) are filled in. With follow configured the QR is the follow page instead.',
      ),
    nvLogo: z
      .strictObject({
        kc1: z.number().int().min(32).max(126).describe("First key code."),
        kc2: z.number().int().min(32).max(126).describe("Second key code."),
      })
      .optional()
      .describe(
        'A logo stored in the printer\'s NV memory by its key codes (48 48 for "00"): 11 bytes instead of kilobytes.',
      ),
  })
  .default({
    aheadLabel: { et: "Ees", en: "Ahead", ru: "Впереди" },
    waitLabel: { et: "ootus", en: "wait", ru: "ожидание" },
    minutes: { et: "min", en: "min", ru: "мин" },
    footer: {},
  })
  .describe("The printed ticket's texts; service names come from the services.");

export const deskSchema = z
  .strictObject({
    printer: idSchema
      .optional()
      .describe("Printer for desk requests that name none; without it a desk ticket is handed out by hand."),
  })
  .default({})
  .describe("The information desk.");

export type PrinterConfig = z.infer<typeof printerSchema>;
export type PrinterTransportConfig = z.infer<typeof printerTransportSchema>;
export type TicketLayoutConfig = z.infer<typeof ticketLayoutSchema>;
