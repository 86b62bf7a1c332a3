// The office configuration: one YAML file, validated here. This schema is the single source of the
// configuration's shape: the queue core, the CLI and the generated reference all use it.
import { z } from "zod";
import { announcementsSchema } from "../announcements/announcement-schema.js";
import { appointmentsSchema } from "../appointments/appointment-schema.js";
import { followSchema } from "../follow/follow-schema.js";
import { alertsSchema } from "../health/alerts-schema.js";
import { mqttSchema } from "../mqtt/mqtt-schema.js";
import { deskSchema, ticketLayoutSchema } from "../printing/printer-schema.js";
import { serviceThresholdsSchema, statsSchema } from "../stats/stats-schema.js";
import { DEFAULT_CANCEL_REASONS, FREE_TEXT_REASON, REASON_CODE, REISSUED_REASON } from "./cancel-reasons.js";
import { devicesSchema } from "./devices-schema.js";
import { idSchema } from "./ids.js";

export { idSchema } from "./ids.js";

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a local time "HH:MM" (00:00-23:59)');

/** "08:30-17:00": a half-open interval of local time within one day. */
export const intervalSchema = z
  .string()
  // The end may be "24:00" (until midnight) but nothing past it. abort: a malformed interval gets
  // one message, not also a misleading "must end after it starts".
  .regex(/^([01]\d|2[0-3]):[0-5]\d-(([01]\d|2[0-3]):[0-5]\d|24:00)$/, {
    message: 'must be "HH:MM-HH:MM", for example "08:30-17:00"',
    abort: true,
  })
  .refine((s) => {
    const [from, to] = s.split("-") as [string, string];
    return from < to;
  }, "must end after it starts");

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A missing weekday is closed; a missing `hours` block means always open. */
export const hoursSchema = z.strictObject(
  Object.fromEntries(
    WEEKDAYS.map((d) => [
      d,
      z
        .array(intervalSchema)
        .optional()
        .describe(
          `Intervals "HH:MM-HH:MM" open on ${d}; the end is excluded, "24:00" is midnight; absent = closed.`,
        ),
    ]),
  ) as Record<Weekday, z.ZodOptional<z.ZodArray<typeof intervalSchema>>>,
);

export const LANGUAGES = ["et", "en", "ru"] as const;
export const languageSchema = z.enum(LANGUAGES);
export type Language = z.infer<typeof languageSchema>;

/** Text in the office's languages; at least one is required, the rest fall back to it. */
export const textsSchema = z
  .strictObject({
    et: z.string().min(1).optional().describe("Estonian."),
    en: z.string().min(1).optional().describe("English."),
    ru: z.string().min(1).optional().describe("Russian."),
  })
  .refine(
    (t) => t.et !== undefined || t.en !== undefined || t.ru !== undefined,
    "give the text in at least one language",
  );

export const cancelReasonSchema = z.strictObject({
  code: z
    .string()
    .regex(REASON_CODE, "must be 1-32 characters of a-z, 0-9 or '_', starting with a letter")
    .refine((code) => code !== REISSUED_REASON, `"${REISSUED_REASON}" is reserved for a reissue without one`)
    .describe('Sent in desk/request/cancel and published in ticket_cancelled, e.g. "wrong_service".'),
  names: textsSchema.describe("What the desk page offers for it, per language (at least one)."),
});

export const cancelReasonsSchema = z
  .array(cancelReasonSchema)
  .min(1, "give at least one cancel reason")
  .max(50)
  .superRefine((reasons, ctx) => {
    const seen = new Map<string, number>();
    reasons.forEach(({ code }, i) => {
      const first = seen.get(code);
      if (first === undefined) seen.set(code, i);
      else
        ctx.addIssue({
          code: "custom",
          path: [i, "code"],
          message: `"${code}" is already used by cancelReasons[${first}]`,
        });
    });
  })
  .default(DEFAULT_CANCEL_REASONS)
  .describe(
    `Why the desk may cancel a ticket: codes with texts, offered as a choice. Only the code is published; a note staff add is kept in the journal only. "${FREE_TEXT_REASON}", if listed, also takes an older client's free-text reason, the text kept as the note.`,
  );

export const serviceSchema = z
  .strictObject({
    id: idSchema.describe("Short id of the service, used by counters and in MQTT topics."),
    prefix: z
      .string()
      .regex(/^[A-Z]{1,2}$/, "must be one or two capital letters A-Z")
      .describe('Letter(s) before the ticket number: "A" gives A001, A002, ...; unique per service.'),
    names: textsSchema.describe("Button and ticket text per language (at least one)."),
    range: z
      .strictObject({
        first: z.number().int().min(0).max(99_998).default(1).describe("First number of the day."),
        last: z
          .number()
          .int()
          .min(1)
          .max(99_999)
          .default(999)
          .describe("Last number; then numbering wraps, skipping numbers still open."),
      })
      .refine((r) => r.first < r.last, "range.first must be below range.last")
      .default({ first: 1, last: 999 })
      .describe("Ticket numbers of the day."),
    digits: z
      .number()
      .int()
      .min(1)
      .max(5)
      .optional()
      .describe("Zero-padded width of the number (3 gives A007); default: the digits of range.last."),
    weight: z
      .number()
      .min(0)
      .max(100)
      .default(1)
      .describe("How much this service is preferred at counters that give no weight of their own."),
    maxWaitMinutes: z
      .number()
      .positive()
      .max(24 * 60)
      .default(60)
      .describe("A ticket waiting longer than this is called before all others, so no service starves."),
    targetWaitMinutes: z
      .number()
      .positive()
      .max(24 * 60)
      .optional()
      .describe("Service level target of this service (default: stats.targetWaitMinutes)."),
    thresholds: serviceThresholdsSchema
      .optional()
      .describe("Live threshold alerts of this service, each key overriding stats.thresholds."),
    hours: hoursSchema
      .optional()
      .describe(
        "Opening hours per weekday in the office's local time; absent = always open. Outside them the button is dark.",
      ),
  })
  .refine((s) => s.digits === undefined || String(s.range.last).length <= s.digits, {
    message: "digits is too few for range.last",
    path: ["digits"],
  });

export const counterServiceSchema = z.union([
  idSchema,
  z.strictObject({
    service: idSchema.describe("The service."),
    weight: z
      .number()
      .min(0)
      .max(100)
      .optional()
      .describe("Its weight at this counter (default: the service's)."),
  }),
]);

export const counterSchema = z.strictObject({
  id: idSchema.describe('Short id of the counter, shown on boards as "A023 → 1"; quote numbers.'),
  name: z.string().min(1).optional().describe("Free text for pages and staff."),
  zone: idSchema.default("main").describe("The waiting area whose main boards show this counter's calls."),
  place: z
    .enum(["counter", "desk", "room"])
    .default("counter")
    .describe('How a call names it, spoken and on the display: "counter 4", "desk 4" or "room 4".'),
  services: z
    .array(counterServiceSchema)
    .min(1, "a counter serves at least one service")
    .describe(
      "Services served here: an id (the service's weight) or {service, weight}. Call next takes the highest minutes waited × weight; overdue and priority tickets first.",
    ),
});

export const queueOptionsSchema = z
  .strictObject({
    autoNoShowAfterRecalls: z
      .number()
      .int()
      .min(1)
      .max(20)
      .nullable()
      .default(null)
      .describe("After this many recalls a called customer is a no-show by itself; null leaves it to staff."),
    defaultServiceMinutes: z
      .number()
      .positive()
      .max(240)
      .default(5)
      .describe("Minutes per customer assumed before any service has been finished today (wait estimate)."),
    serviceTimeSmoothing: z
      .number()
      .gt(0)
      .max(1)
      .default(0.2)
      .describe(
        "Share of the newest service time in the moving average: higher reacts faster but jumps more.",
      ),
  })
  .default({ autoNoShowAfterRecalls: null, defaultServiceMinutes: 5, serviceTimeSmoothing: 0.2 })
  .describe("How the queue behaves.");

export const officeSchema = z.strictObject({
  id: idSchema.describe("Short id of the office, part of every MQTT topic (vooru/v1/<id>/...)."),
  name: textsSchema.describe("The office's name per language, on pages and tickets."),
  timeZone: z
    .string()
    .default("Europe/Tallinn")
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat("en", { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, "is not a known IANA time zone")
    .describe(
      "IANA time zone: opening hours and the daily reset are in its local time (summer time included).",
    ),
  dailyReset: hhmm
    .default("04:00")
    .describe("Local time when numbering restarts and the day's open tickets expire; pick a closed hour."),
  languages: z
    .array(languageSchema)
    .min(1)
    .refine((list) => new Set(list).size === list.length, "lists a language more than once")
    .default(["et", "en", "ru"])
    .describe("Languages of tickets, buttons and pages, in the order printed."),
});

export const journalSchema = z
  .strictObject({
    dataDir: z
      .string()
      .min(1)
      .default("./data")
      .describe(
        "Folder of the journal, snapshots and lockfile; relative to the config file. --data-dir overrides it.",
      ),
    snapshotEvery: z
      .number()
      .int()
      .min(10)
      .max(1_000_000)
      .default(1000)
      .describe("Write a snapshot and start a new journal file after this many events (faster restarts)."),
  })
  .default({ dataDir: "./data", snapshotEvery: 1000 })
  .describe("Where the queue keeps its record of every ticket, so nothing is lost on a power cut.");

/** How far the controller trusts the system clock: a Pi without an RTC may boot with a wrong one. */
export const clockSchema = z
  .strictObject({
    requireSync: z
      .enum(["auto", "always", "never"])
      .default("auto")
      .describe(
        'Wait for a synchronised clock before issuing tickets and rolling the day over: "auto" when the system can tell (systemd-timesyncd, timedatectl), "always", or "never".',
      ),
    graceSeconds: z
      .number()
      .int()
      .min(0)
      .max(3600)
      .default(120)
      .describe(
        "Seconds after start after which an unsynchronised clock is trusted anyway (its alert stays).",
      ),
  })
  .default({ requireSync: "auto", graceSeconds: 120 })
  .describe("A Pi without a battery clock may boot with a wrong time: what waits for NTP.");

/** Every field of the office configuration; office-config.ts adds the checks across them. */
export const officeFieldsSchema = z.strictObject({
  office: officeSchema.describe("The office."),
  queue: queueOptionsSchema,
  services: z
    .array(serviceSchema)
    .min(1, "an office has at least one service")
    .describe("The topics a customer can choose at the kiosk: one button, queue and prefix each."),
  counters: z
    .array(counterSchema)
    .min(1, "an office has at least one counter")
    .describe("The places where staff serve customers."),
  cancelReasons: cancelReasonsSchema,
  journal: journalSchema,
  clock: clockSchema,
  mqtt: mqttSchema,
  alerts: alertsSchema,
  devices: devicesSchema,
  ticket: ticketLayoutSchema,
  desk: deskSchema,
  announcements: announcementsSchema,
  stats: statsSchema,
  appointments: appointmentsSchema,
  follow: followSchema.optional(),
});

export type OfficeConfig = z.infer<typeof officeFieldsSchema>;
export type OfficeConfigInput = z.input<typeof officeFieldsSchema>;
export type ServiceConfig = OfficeConfig["services"][number];
export type CounterConfig = OfficeConfig["counters"][number];
export type QueueOptions = OfficeConfig["queue"];
export type CancelReasonConfig = OfficeConfig["cancelReasons"][number];
export type ClockConfig = OfficeConfig["clock"];
