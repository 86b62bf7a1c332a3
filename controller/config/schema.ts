// The office configuration: one YAML file, validated here. This schema is the single source of the
// configuration's shape: the queue core, the CLI and the generated reference all use it.
import { z } from "zod";
import { isPrinterProfileId, PRINTER_PROFILE_IDS } from "../../protocols/escpos/profiles.js";
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
  .superRefine((config, ctx) => {
    const firstIndex = new Map<string, number>();
    const firstPrefix = new Map<string, number>();
    config.services.forEach((service, i) => {
      const seen = firstIndex.get(service.id);
      if (seen !== undefined)
        ctx.addIssue({
          code: "custom",
          path: ["services", i, "id"],
          message: `"${service.id}" is already used by services[${seen}]`,
        });
      else firstIndex.set(service.id, i);
      const prefixSeen = firstPrefix.get(service.prefix);
      if (prefixSeen !== undefined)
        ctx.addIssue({
          code: "custom",
          path: ["services", i, "prefix"],
          message: `"${service.prefix}" is already used by services[${prefixSeen}]`,
        });
      else firstPrefix.set(service.prefix, i);
    });
    const counterIndex = new Map<string, number>();
    config.counters.forEach((counter, i) => {
      const seen = counterIndex.get(counter.id);
      if (seen !== undefined)
        ctx.addIssue({
          code: "custom",
          path: ["counters", i, "id"],
          message: `"${counter.id}" is already used by counters[${seen}]`,
        });
      else counterIndex.set(counter.id, i);
      const listed = new Set<string>();
      counter.services.forEach((entry, j) => {
        const id = typeof entry === "string" ? entry : entry.service;
        if (!firstIndex.has(id))
          ctx.addIssue({
            code: "custom",
            path: ["counters", i, "services", j],
            message: `service "${id}" is not defined in services`,
          });
        if (listed.has(id))
          ctx.addIssue({
            code: "custom",
            path: ["counters", i, "services", j],
            message: `service "${id}" is listed twice`,
          });
        listed.add(id);
      });
    });
    const usernames = new Map<string, number>();
    config.mqtt.users.forEach((user, i) => {
      const seen = usernames.get(user.username);
      if (seen !== undefined)
        ctx.addIssue({
          code: "custom",
          path: ["mqtt", "users", i, "username"],
          message: `"${user.username}" is already used by mqtt.users[${seen}]`,
        });
      else usernames.set(user.username, i);
      if (user.counter !== undefined && !counterIndex.has(user.counter))
        ctx.addIssue({
          code: "custom",
          path: ["mqtt", "users", i, "counter"],
          message: `counter "${user.counter}" is not defined in counters`,
        });
    });
    const printerIndex = new Map<string, number>();
    config.devices.printers.forEach((printer, i) => {
      const seen = printerIndex.get(printer.id);
      if (seen !== undefined)
        ctx.addIssue({
          code: "custom",
          path: ["devices", "printers", i, "id"],
          message: `"${printer.id}" is already used by devices.printers[${seen}]`,
        });
      else printerIndex.set(printer.id, i);
      if (!isPrinterProfileId(printer.profile))
        ctx.addIssue({
          code: "custom",
          path: ["devices", "printers", i, "profile"],
          message: `unknown printer profile "${printer.profile}"; known: ${PRINTER_PROFILE_IDS.join(", ")}`,
        });
    });
    const deviceIds = new Map<string, string>(
      config.devices.printers.map((p, i) => [p.id, `devices.printers[${i}]`]),
    );
    config.devices.boardBuses.forEach((bus, i) => {
      const addresses = new Map<number, number>();
      bus.boards.forEach((board, j) => {
        const path = ["devices", "boardBuses", i, "boards", j];
        const seen = deviceIds.get(board.id);
        if (seen !== undefined)
          ctx.addIssue({
            code: "custom",
            path: [...path, "id"],
            message: `"${board.id}" is already used by ${seen}`,
          });
        deviceIds.set(board.id, `devices.boardBuses[${i}].boards[${j}]`);
        const other = addresses.get(board.address);
        if (other !== undefined)
          ctx.addIssue({
            code: "custom",
            path: [...path, "address"],
            message: `address ${board.address} is already used by boards[${other}] on this bus`,
          });
        addresses.set(board.address, j);
        if (board.counter !== undefined && !counterIndex.has(board.counter))
          ctx.addIssue({
            code: "custom",
            path: [...path, "counter"],
            message: `counter "${board.counter}" is not defined in counters`,
          });
        if (board.zone !== undefined && !config.counters.some((c) => c.zone === board.zone))
          ctx.addIssue({
            code: "custom",
            path: [...path, "zone"],
            message: `no counter is in zone "${board.zone}"`,
          });
      });
    });
    if (config.desk.printer !== undefined && !printerIndex.has(config.desk.printer))
      ctx.addIssue({
        code: "custom",
        path: ["desk", "printer"],
        message: `printer "${config.desk.printer}" is not defined in devices.printers`,
      });
  });

export type OfficeConfig = z.infer<typeof officeConfigSchema>;
export type OfficeConfigInput = z.input<typeof officeConfigSchema>;
export type ServiceConfig = OfficeConfig["services"][number];
export type CounterConfig = OfficeConfig["counters"][number];
export type QueueOptions = OfficeConfig["queue"];
