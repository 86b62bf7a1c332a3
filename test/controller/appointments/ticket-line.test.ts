// The ticket of a checked-in appointment says its time (controller/printing/ticket-layout.ts).
import { describe, expect, it } from "vitest";
import { encodeTicket, ticketTexts } from "../../../controller/printing/ticket-layout.js";
import { PRINTER_PROFILES } from "../../../protocols/escpos/profiles.js";
import { officeConfig, T0 } from "../../support/office.js";

const ticket = { id: "2026-11-24-A001", number: "A001", service: "pensions", issuedAt: T0 };

describe("the appointment line on the ticket", () => {
  it("says the appointment's local time in each language; a walk-in ticket has none", () => {
    const config = officeConfig();
    const at = Date.UTC(2026, 10, 24, 8, 30); // 10:30 in Tallinn
    expect(
      ticketTexts(config, { ticket: { ...ticket, appointmentAt: at }, now: T0 }).appointmentLines,
    ).toEqual(["Broneeritud aeg 10:30", "Appointment 10:30", "Запись на 10:30"]);
    expect(ticketTexts(config, { ticket, now: T0 }).appointmentLines).toBeUndefined();
    const profile = Object.values(PRINTER_PROFILES)[0];
    if (!profile) throw new Error("no printer profile");
    const bytes = Buffer.from(
      encodeTicket(config, profile, { ticket: { ...ticket, appointmentAt: at }, now: T0 }),
    );
    expect(bytes.includes(Buffer.from("Appointment 10:30"))).toBe(true);
  });
});
