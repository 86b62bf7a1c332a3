// The appointments part of the office configuration (booked visits, docs/appointments.md), and
// the shape of a booking code: the only thing kept of a booking besides its service and time.
import { z } from "zod";

/** A booking code: 4 to 32 of A-Z, 0-9 and "-" (codes are upper-cased before they are checked). */
export const BOOKING_CODE = /^[A-Z0-9-]{4,32}$/;

export const appointmentsSchema = z
  .strictObject({
    earlyMinutes: z
      .number()
      .int()
      .min(0)
      .max(240)
      .default(15)
      .describe("A booked customer may check in this many minutes before the appointment's time."),
    lateMinutes: z
      .number()
      .int()
      .min(0)
      .max(240)
      .default(10)
      .describe(
        "...and up to this many minutes after it; later, the appointment is missed (events/appointment_missed).",
      ),
    outsideWindow: z
      .enum(["walk_in", "refuse"])
      .default("walk_in")
      .describe(
        'A check-in too early or too late: "walk_in" issues a normal ticket of the booked service (the booking stays), "refuse" issues none and says why.',
      ),
    keepDays: z
      .number()
      .int()
      .min(0)
      .max(366)
      .default(7)
      .describe(
        "Checked-in, missed and cancelled appointments are forgotten this many days after their time.",
      ),
  })
  .default({ earlyMinutes: 15, lateMinutes: 10, outsideWindow: "walk_in", keepDays: 7 })
  .describe(
    "Booked visits: the booking system adds them over MQTT (appointments/request/add) or `vooru appointments import` loads a file; customers check in at the kiosk's scanner or the desk.",
  );

export type AppointmentsConfig = z.infer<typeof appointmentsSchema>;
