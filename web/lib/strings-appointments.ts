// The words of the appointment badge (appointment-badge.ts) in Estonian, English and Russian,
// spread into the one table of i18n.ts.
import type { Entry } from "./languages.js";

export const APPOINTMENT_STRINGS = {
  bookingCode: { et: "Broneeringu kood", en: "Booking code", ru: "Код записи" },
  checkIn: { et: "Registreeri saabumine", en: "Check in", ru: "Отметить приход" },
  appointmentBadge: { et: "Broneering {time}", en: "Booked {time}", ru: "Запись {time}" },
  appointmentBadgeTitle: {
    et: "Broneeritud aeg: kutsutakse sel ajal enne teisi",
    en: "A booked visit: called at its time, ahead of walk-ins",
    ru: "Запись на время: вызывается в это время раньше других",
  },
} satisfies Record<string, Entry>;
