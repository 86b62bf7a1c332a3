// The pages' business day: before the office's daily reset it is still yesterday's (the stats
// page showed nothing between midnight and 04:00 when it took the calendar's day).
import { describe, expect, it } from "vitest";
import { businessDayIn, dayIn } from "../../web/lib/business-day.js";

describe("businessDayIn", () => {
  // 2026-12-08 02:30 in Tallinn (UTC+2).
  const at = Date.UTC(2026, 11, 8, 0, 30);
  it("is yesterday's before the reset and today's from it on", () => {
    expect(dayIn("Europe/Tallinn", at)).toBe("2026-12-08");
    expect(businessDayIn("Europe/Tallinn", "04:00", at)).toBe("2026-12-07");
    expect(businessDayIn("Europe/Tallinn", "02:30", at)).toBe("2026-12-08");
    expect(businessDayIn("Europe/Tallinn", undefined, at)).toBe("2026-12-08");
  });
  it("crosses a month and a year back", () => {
    expect(businessDayIn("Europe/Tallinn", "04:00", Date.UTC(2027, 0, 1, 0, 0))).toBe("2026-12-31");
  });
});
