// Booked visits in the contract (docs/appointments.md): the fields of appointments/request/{verb}
// (schemas.ts wraps them in the request envelope) and the appointment as events and replies show
// it. A booking code is all that is kept of a booking: no names, no personal ID codes.
import { z } from "zod";

/** 4 to 32 of A-Z, 0-9 and "-"; lower case is taken as upper case. */
export const bookingCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9-]{4,32}$/, "a booking code is 4 to 32 of A-Z, 0-9 and -")
  .describe("the booking's code (the QR or barcode the customer shows): 4-32 of A-Z 0-9 -");

const id = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/);
const at = z.iso
  .datetime({ offset: true })
  .describe("the appointment's time, ISO 8601 with Z or an offset (e.g. 2026-12-08T10:30:00+02:00)");

export const appointmentRequestFields = {
  add: { code: bookingCodeSchema, service: id.describe("the booked service"), at },
  update: {
    code: bookingCodeSchema,
    service: id.optional().describe("the booked service, if it changes"),
    at: at.optional().describe("the new time, if it changes"),
  },
  cancel: { code: bookingCodeSchema },
  check_in: {
    code: bookingCodeSchema,
    printer: id.optional().describe("the printer to print the ticket at; none: handed out by hand"),
  },
};

export const APPOINTMENT_STATES = ["booked", "checked_in", "missed", "cancelled"] as const;

export const appointmentSchema = z.object({
  code: z.string(),
  service: id,
  at: z.string().describe("ISO 8601 time in UTC"),
  state: z.enum(APPOINTMENT_STATES),
  ticket: z.string().optional().describe("checked_in: the ticket number it was given, e.g. A023"),
});
export type ContractAppointment = z.infer<typeof appointmentSchema>;
