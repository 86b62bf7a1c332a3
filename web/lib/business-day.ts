// The office's days as the pages tell them: the calendar day in the office's time zone and the
// business day, which before the daily reset (numbering restarts) is still yesterday's.

/** A day as YYYY-MM-DD in the office's time zone (the browser's when not known yet). */
export function dayIn(timeZone: string | undefined, at = Date.now()): string {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat("en", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    }).formatToParts(at);
  } catch {
    parts = new Intl.DateTimeFormat("en", {
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    }).formatToParts(at);
  }
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year")}-${part("month")}-${part("day")}`;
}

/** The business day now: the calendar's, or yesterday's before the office's daily reset. */
export function businessDayIn(
  timeZone: string | undefined,
  dailyReset: string | undefined,
  at = Date.now(),
): string {
  const day = dayIn(timeZone, at);
  const [h, m] = (dailyReset ?? "00:00").split(":").map(Number);
  const resetMinutes = (h ?? 0) * 60 + (m ?? 0);
  let minutes = 0;
  try {
    const parts = new Intl.DateTimeFormat("en", {
      timeZone,
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }).formatToParts(at);
    minutes =
      Number(parts.find((p) => p.type === "hour")?.value) * 60 +
      Number(parts.find((p) => p.type === "minute")?.value);
  } catch {
    return day;
  }
  return minutes < resetMinutes ? addDays(day, -1) : day;
}

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
