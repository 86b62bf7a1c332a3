// The office configuration: one YAML file, validated here. This schema is the single source of the
// configuration's shape: the queue core, the CLI and the generated reference all use it.
import { z } from "zod";
import { crossCheck } from "./cross-checks.js";
import { deskSchema, devicesSchema, ticketLayoutSchema } from "./devices-schema.js";
import { idSchema } from "./ids.js";
import { alertsSchema, mqttSchema } from "./mqtt-schema.js";

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
  Object.fromEntries(WEEKDAYS.map((d) => [d, z.array(intervalSchema).optional()])) as Record<
    Weekday,
    z.ZodOptional<z.ZodArray<typeof intervalSchema>>
  >,
);

export const LANGUAGES = ["et", "en", "ru"] as const;
export const languageSchema = z.enum(LANGUAGES);
export type Language = z.infer<typeof languageSchema>;

/** Text in the office's languages; at least one is required, the rest fall back to it. */
export const textsSchema = z
  .strictObject({
    et: z.string().min(1).optional(),
    en: z.string().min(1).optional(),
    ru: z.string().min(1).optional(),
  })
  .refine(
    (t) => t.et !== undefined || t.en !== undefined || t.ru !== undefined,
    "give the text in at least one language",
  );

export const serviceSchema = z
  .strictObject({
    id: idSchema,
    prefix: z.string().regex(/^[A-Z]{1,2}$/, "must be one or two capital letters A-Z"),
    names: textsSchema,
    range: z
      .strictObject({
        first: z.number().int().min(0).max(99_998).default(1),
        last: z.number().int().min(1).max(99_999).default(999),
      })
      .refine((r) => r.first < r.last, "range.first must be below range.last")
      .default({ first: 1, last: 999 }),
    /** Zero-padded width of the number; defaults to the digits of range.last. */
    digits: z.number().int().min(1).max(5).optional(),
    /** Default weight of this service at counters that give none. */
    weight: z.number().min(0).max(100).default(1),
    /** A ticket waiting longer than this is called before anything else (anti-starvation). */
    maxWaitMinutes: z
      .number()
      .positive()
      .max(24 * 60)
      .default(60),
    /** Opening hours in the office's time zone; absent = always open. */
    hours: hoursSchema.optional(),
  })
  .refine((s) => s.digits === undefined || String(s.range.last).length <= s.digits, {
    message: "digits is too few for range.last",
    path: ["digits"],
  });

export const counterServiceSchema = z.union([
  idSchema,
  z.strictObject({ service: idSchema, weight: z.number().min(0).max(100).optional() }),
]);

export const counterSchema = z.strictObject({
  id: idSchema,
  name: z.string().min(1).optional(),
  /** The waiting area whose main boards show this counter's calls. */
  zone: idSchema.default("main"),
  services: z.array(counterServiceSchema).min(1, "a counter serves at least one service"),
});

export const queueOptionsSchema = z
  .strictObject({
    /** After this many recalls the ticket becomes a no-show by itself; null keeps it until staff decide. */
    autoNoShowAfterRecalls: z.number().int().min(1).max(20).nullable().default(null),
    /** Service time assumed before any has been observed today. */
    defaultServiceMinutes: z.number().positive().max(240).default(5),
    /** Weight of the newest observation in the moving average of service times (0..1]. */
    serviceTimeSmoothing: z.number().gt(0).max(1).default(0.2),
  })
  .default({ autoNoShowAfterRecalls: null, defaultServiceMinutes: 5, serviceTimeSmoothing: 0.2 });

export const officeSchema = z.strictObject({
  id: idSchema,
  name: textsSchema,
  /** IANA time zone of the office: opening hours and the daily reset are in its local time. */
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
    }, "is not a known IANA time zone"),
  /** Local time at which numbering restarts and the day's open tickets expire. */
  dailyReset: hhmm.default("04:00"),
  /** Languages of tickets and pages, in the order printed. */
  languages: z
    .array(languageSchema)
    .min(1)
    .refine((list) => new Set(list).size === list.length, "lists a language more than once")
    .default(["et", "en", "ru"]),
});

export const journalSchema = z
  .strictObject({
    /** Folder of the journal, snapshots and lockfile; relative paths are from the config file. */
    dataDir: z.string().min(1).default("./data"),
    /** Write a snapshot and start a new journal segment after this many events. */
    snapshotEvery: z.number().int().min(10).max(1_000_000).default(1000),
  })
  .default({ dataDir: "./data", snapshotEvery: 1000 });

export const officeConfigSchema = z
  .strictObject({
    office: officeSchema,
    queue: queueOptionsSchema,
    services: z.array(serviceSchema).min(1, "an office has at least one service"),
    counters: z.array(counterSchema).min(1, "an office has at least one counter"),
    journal: journalSchema,
    mqtt: mqttSchema,
    alerts: alertsSchema,
    devices: devicesSchema,
    ticket: ticketLayoutSchema,
    desk: deskSchema,
  })
  .superRefine(crossCheck);

export type OfficeConfig = z.infer<typeof officeConfigSchema>;
export type OfficeConfigInput = z.input<typeof officeConfigSchema>;
export type ServiceConfig = OfficeConfig["services"][number];
export type CounterConfig = OfficeConfig["counters"][number];
export type QueueOptions = OfficeConfig["queue"];
