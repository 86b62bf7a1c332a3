// The badge the counter and desk pages put on a checked-in appointment's ticket: "Booked 10:30"
// (docs/appointments.md). Its words are in strings-appointments.ts.
import type { ContractTicket } from "../../protocols/mqtt/schemas.js";
import { h } from "./dom.js";
import { t } from "./i18n.js";

/** The badge, or null for a walk-in's ticket. */
export function appointmentBadge(ticket: Pick<ContractTicket, "appointmentAt">): HTMLElement | null {
  if (!ticket.appointmentAt) return null;
  const time = new Date(ticket.appointmentAt).toLocaleTimeString([], {
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  });
  return h(
    "span",
    {
      class: "badge appointment",
      title: t("appointmentBadgeTitle"),
      "data-appointment": ticket.appointmentAt,
    },
    ` ${t("appointmentBadge", { time })}`,
  );
}
