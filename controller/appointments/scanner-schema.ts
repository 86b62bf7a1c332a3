// Booking-code scanners in the office configuration: USB barcode / QR scanners in keyboard mode
// (HID), each at a kiosk printer where the ticket of a checked-in customer comes out.
import { z } from "zod";
import { idSchema } from "../config/ids.js";

const usbId = z.number().int().min(0).max(0xffff);

export const scannerIoSchema = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("hid"),
    vendorId: usbId.optional().describe("USB vendor id of the scanner; `vooru devices` lists it."),
    productId: usbId.optional().describe("USB product id of the scanner."),
    serialNumber: z.string().min(1).optional().describe("Tells several scanners of one model apart."),
    path: z
      .string()
      .min(1)
      .optional()
      .describe("A hidraw path; it changes on replugging, so prefer the ids."),
    interface: z
      .number()
      .int()
      .min(0)
      .max(255)
      .optional()
      .describe("USB interface number of the keyboard interface, for a composite scanner."),
    reportId: z
      .number()
      .int()
      .min(0)
      .max(255)
      .optional()
      .describe("A composite scanner's report id before the 8 keyboard bytes."),
  }),
  z.strictObject({ type: z.literal("simulated") }),
]);

export const scannerSchema = z
  .strictObject({
    id: idSchema.describe("The scanner's device id (health, alerts)."),
    printer: idSchema.describe("The printer where a checked-in customer's ticket is printed."),
    io: scannerIoSchema.describe(
      'How vooru reaches the scanner: "hid" (a USB scanner in keyboard mode, through node-hid) or "simulated".',
    ),
  })
  .refine((s) => s.io.type !== "hid" || Object.keys(s.io).length > 1, {
    message: "a hid scanner needs at least one of vendorId, productId, serialNumber, path, interface",
    path: ["io"],
  });

export type ScannerConfig = z.infer<typeof scannerSchema>;
