// Reading booking exports (controller/appointments/booking-file.ts): what is accepted, and every
// refusal naming its line.
import { describe, expect, it } from "vitest";
import {
  parseBookingsCsv,
  parseBookingsIcs,
  zonedTime,
} from "../../../controller/appointments/booking-file.js";

const TZ = "Europe/Tallinn";

describe("CSV bookings", () => {
  it("reads code,service,at in any column order, ISO with a zone or local office time", () => {
    const file = parseBookingsCsv(
      "service,code,at\r\npensions,ab-1234,2026-12-08T10:30:00Z\n\nbenefits,XY-99,2026-12-08 12:30\nbenefits,SUMMER-1,2026-07-01T09:00\n",
      TZ,
    );
    expect(file.errors).toEqual([]);
    expect(file.bookings).toEqual([
      { code: "AB-1234", service: "pensions", at: Date.UTC(2026, 11, 8, 10, 30), line: 2 },
      { code: "XY-99", service: "benefits", at: Date.UTC(2026, 11, 8, 10, 30), line: 4 },
      // summer time: UTC+3
      { code: "SUMMER-1", service: "benefits", at: Date.UTC(2026, 6, 1, 6, 0), line: 5 },
    ]);
  });

  it("refuses a bad header, code, service, time, field count and a repeated code, naming the line", () => {
    expect(parseBookingsCsv("code,service,when\nAB-1234,pensions,2026-12-08T10:30Z\n", TZ).errors).toEqual([
      { line: 1, message: "the header must name the columns code,service,at" },
    ]);
    const file = parseBookingsCsv(
      [
        "code,service,at",
        "Jaan Tamm,pensions,2026-12-08T10:30:00Z",
        "AB-1234,pen sions,2026-12-08T10:30:00Z",
        "AB-1235,pensions,tomorrow",
        "AB-1236,pensions",
        "AB-1237,pensions,2026-02-30 10:00",
        "AB-1238,pensions,2026-12-08T10:30:00Z",
        "ab-1238,pensions,2026-12-08T11:30:00Z",
      ].join("\n"),
      TZ,
    );
    expect(file.errors.map((e) => e.line)).toEqual([2, 3, 4, 5, 6, 8]);
    expect(file.errors[0]?.message).toContain("not 4 to 32 of A-Z");
    expect(file.errors[5]?.message).toBe("code AB-1238 again (first on line 7)");
  });
});

const ICS = [
  "BEGIN:VCALENDAR",
  "VERSION:2.0",
  "BEGIN:VEVENT",
  "UID:BK-0001@booking.example",
  "SUMMARY:Visit",
  "CATEGORIES:pensions",
  "DTSTART:20261208T083000Z",
  "END:VEVENT",
  "BEGIN:VEVENT",
  "UID:whatever-uid-that-is-long@x",
  "SUMMARY:BK-",
  " 0002",
  "DTSTART;TZID=Europe/Tallinn:20261208T103000",
  "END:VEVENT",
  "BEGIN:VEVENT",
  "SUMMARY:BK-0003",
  "DTSTART:20261208T103000",
  "STATUS:CANCELLED",
  "END:VEVENT",
  "BEGIN:VEVENT",
  "SUMMARY:BK-0004",
  "DTSTART;VALUE=DATE:20261208",
  "END:VEVENT",
  "END:VCALENDAR",
].join("\r\n");

describe("iCalendar bookings", () => {
  it("takes the code from SUMMARY or UID, the service from CATEGORIES or --service, DTSTART in UTC or TZID", () => {
    const file = parseBookingsIcs(ICS, TZ, "benefits");
    expect(file.bookings).toEqual([
      { code: "BK-0001", service: "pensions", at: Date.UTC(2026, 11, 8, 8, 30), line: 3 },
      { code: "BK-0002", service: "benefits", at: Date.UTC(2026, 11, 8, 8, 30), line: 9 },
    ]);
    expect(file.skipped).toEqual([{ line: 15, message: "STATUS:CANCELLED" }]);
    expect(file.errors).toEqual([
      { line: 20, message: 'BK-0004: DTSTART "20261208" is not a date and time' },
    ]);
  });

  it("refuses an event without a service, and a file that is not iCalendar", () => {
    expect(parseBookingsIcs(ICS, TZ).errors[0]).toEqual({
      line: 9,
      message: "BK-0002: no service (CATEGORIES, or --service)",
    });
    expect(parseBookingsIcs("code,service,at\n", TZ).errors).toEqual([
      { line: 1, message: "not an iCalendar file (no BEGIN:VCALENDAR)" },
    ]);
  });

  it("converts local times around the change of summer time", () => {
    // 2026-03-29 04:00 local is the first hour of EEST (UTC+3) in Tallinn.
    expect(zonedTime([2026, 3, 29, 4, 30, 0], TZ)).toBe(Date.UTC(2026, 2, 29, 1, 30));
    expect(zonedTime([2026, 3, 29, 2, 30, 0], TZ)).toBe(Date.UTC(2026, 2, 29, 0, 30));
  });
});
