// Payloads of the MQTT contract v1 as zod schemas: the one definition used by the controller, the
// CLI, the web pages and the generated AsyncAPI document. Fields of v1 are fixed; adding is fine.
// Times are ISO 8601 strings in UTC.
import { z } from "zod";
import { appointmentRequestFields, appointmentSchema } from "./appointment-schemas.js";
import { auditRequestFields, reportRequestFields } from "./stats-schemas.js";
import type { APPOINTMENT_VERBS, COUNTER_VERBS, DESK_VERBS, SIM_VERBS, SYSTEM_VERBS } from "./topics.js";

const id = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/);
const isoTime = z.string().describe("ISO 8601 time in UTC");
const texts = z.object({ et: z.string().optional(), en: z.string().optional(), ru: z.string().optional() });

export const TICKET_STATES = [
  "reserved",
  "waiting",
  "called",
  "serving",
  "parked",
  "done",
  "no_show",
  "cancelled",
  "void",
  "expired",
] as const;

export const estimatedWaitSchema = z.object({ minMinutes: z.number(), maxMinutes: z.number() });

export const ticketSchema = z.object({
  id: z.string().describe("unique for ever, e.g. 2026-11-25-A023"),
  number: z.string().describe("what the customer holds, e.g. A023"),
  service: id,
  state: z.enum(TICKET_STATES),
  priority: z.number().int(),
  issuedAt: isoTime,
  arrivedAt: isoTime.describe("kept across transfer and reissue: the customer's place"),
  calledAt: isoTime.optional(),
  counter: id.optional(),
  recalls: z.number().int(),
  reissuedFrom: z.string().optional(),
  ahead: z.number().int().optional().describe("waiting tickets of the same service called before this one"),
  estimatedWait: estimatedWaitSchema.optional(),
  appointmentAt: isoTime
    .optional()
    .describe("a checked-in appointment's time: called then, ahead of walk-ins (docs/appointments.md)"),
});
export type ContractTicket = z.infer<typeof ticketSchema>;

// ------------------------------------------------------------------ retained state

export const statusSchema = z.object({
  state: z.enum(["online", "offline"]),
  epoch: z.string().describe("boot id: changes at every start of the controller"),
  version: z.string(),
  ts: isoTime,
});

export const infoSchema = z.object({
  office: z.object({
    id,
    name: texts,
    timeZone: z.string(),
    dailyReset: z
      .string()
      .optional()
      .describe(
        "HH:MM local time the business day starts (numbering restarts); before it, it is still yesterday's",
      ),
    languages: z.array(z.string()),
  }),
  services: z.array(z.object({ id, prefix: z.string(), names: texts, open: z.boolean() })),
  counters: z.array(z.object({ id, name: z.string().optional(), zone: z.string(), services: z.array(id) })),
  devices: z.array(z.object({ id: z.string(), kind: z.string() })),
  cancelReasons: z
    .array(z.object({ code: z.string(), names: texts }))
    .optional()
    .describe(
      "the reasons desk/request/cancel takes, with their texts (absent from controllers before them)",
    ),
});

export const serviceStateSchema = z.object({
  epoch: z.string(),
  seq: z.number().int(),
  waiting: z.number().int(),
  nextNumber: z.string(),
  lastCalled: z.string().nullable(),
  estimatedWait: estimatedWaitSchema,
  open: z.boolean(),
});

export const counterStateSchema = z.object({
  epoch: z.string(),
  seq: z.number().int(),
  status: z.enum(["open", "paused", "closed"]),
  ticket: ticketSchema.nullable(),
});

export const ticketsSchema = z.object({
  epoch: z.string(),
  seq: z.number().int(),
  tickets: z.array(ticketSchema).describe("every open ticket: waiting, called, serving, parked"),
});

export const deviceHealthSchema = z.object({
  kind: z.string(),
  status: z.enum(["ok", "degraded", "offline"]),
  faults: z.array(z.string()),
  since: isoTime,
  lastSeen: isoTime.nullable(),
  details: z
    .record(z.string(), z.unknown())
    .optional()
    .describe("driver specifics, e.g. a printer's raw status bytes"),
});

export const alertSchema = z.object({
  severity: z.enum(["info", "warning", "critical"]),
  device: z.string(),
  code: z.string(),
  message: z.string(),
  since: isoTime,
});

export const boardStateSchema = z.object({
  text: z.string().describe("what the board shows, lines separated by \\n"),
  lines: z.array(z.string()).describe("the text's lines, top first: a main board's last calls, newest first"),
  blink: z.boolean().describe("the board blinks now: a new call or a recall"),
  since: isoTime.describe("when the board began to show this"),
  counter: id.optional().describe("a counter board: its counter"),
  zone: z.string().optional().describe("a main board: the waiting area whose last calls it shows"),
});

export const zoneCallsSchema = z.object({
  epoch: z.string(),
  seq: z.number().int().describe("the queue's seq of the newest call in it"),
  zone: id,
  calls: z
    .array(
      z.object({
        ticket: z.string().describe("the ticket's id"),
        number: z.string().describe("the ticket number as printed, e.g. A023"),
        service: id,
        counter: id,
        place: z
          .enum(["counter", "desk", "room"])
          .describe('how the counter is named: "counter 4", "desk 4"'),
        at: isoTime.describe("when it was called (or recalled)"),
        recall: z.boolean().describe("this entry is a recall"),
      }),
    )
    .describe("the zone's last calls and recalls, newest first"),
  announce: z
    .object({
      mode: z
        .enum(["voice", "chime", "off"])
        .describe("what the zone's speakers (and a display with sound on) play"),
      languages: z.array(z.enum(["et", "en", "ru"])).describe("the languages spoken, in order"),
      maxAgeSeconds: z.number().describe("a call not yet spoken after this long is dropped, not played late"),
      ownClips: z
        .array(z.string())
        .describe("the office's own recordings a call here uses, e.g. et/counter-4 (served at /clips/...)"),
    })
    .describe("how a call in this zone is announced"),
});

// ------------------------------------------------------------------ simulated devices

export const BUTTON_LED_STATES = ["off", "on", "flash"] as const;

export const simPrinterSchema = z.object({
  paperLow: z.boolean(),
  paperOut: z.boolean(),
  coverOpen: z.boolean(),
  unplugged: z.boolean(),
  tickets: z
    .array(
      z.object({
        at: isoTime,
        number: z.string().optional().describe("the ticket number read off the paper, when there is one"),
        svg: z.string().describe("the ticket as it came out of the printer, an SVG document"),
      }),
    )
    .describe("the last 10 tickets cut, oldest first"),
});

export const simPanelSchema = z.object({
  plugged: z.boolean(),
  printer: z.string().describe("the kiosk printer this panel prints on"),
  buttons: z.array(z.object({ button: z.string(), service: z.string(), led: z.enum(BUTTON_LED_STATES) })),
});

// ------------------------------------------------------------------ events

export const EVENT_TYPES = [
  "ticket_issued",
  "ticket_called",
  "ticket_recalled",
  "ticket_started",
  "ticket_finished",
  "ticket_no_show",
  "ticket_transferred",
  "ticket_cancelled",
  "ticket_reissued",
  "ticket_parked",
  "ticket_resumed",
  "print_failed",
  // Added in v1 beyond the first list:
  "ticket_returned",
  "ticket_reprinted",
  "ticket_expired",
  "counter_opened",
  "counter_paused",
  "counter_closed",
  "day_started",
  // Booked visits (docs/appointments.md): ticket is the one the check-in issued (null if missed).
  "appointment_checked_in",
  "appointment_missed",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const eventSchema = z.object({
  epoch: z.string(),
  seq: z.number().int().describe("grows by one per event within an epoch"),
  ts: isoTime,
  type: z.enum(EVENT_TYPES),
  ticket: ticketSchema.nullable().describe("null for counter and day events"),
  counter: id.optional(),
  requestId: z.string().optional().describe("the request that caused it"),
  from: id.optional().describe("ticket_transferred: the service it left"),
  reason: z
    .string()
    .optional()
    .describe(
      'ticket_cancelled: a code of info.cancelReasons, or "reissued" (a reissue that named none); print_failed: why',
    ),
  day: z.string().optional().describe("day_started"),
  appointment: appointmentSchema.optional().describe("appointment_checked_in, appointment_missed"),
});
export type ContractEvent = z.infer<typeof eventSchema>;

// ------------------------------------------------------------------ requests and replies

/** The longest requestId the contract takes; a longer one is neither echoed nor remembered. */
export const MAX_REQUEST_ID = 128;

export const requestEnvelopeSchema = z.object({
  requestId: z.string().min(1).max(MAX_REQUEST_ID),
  replyTo: z.string().min(1).max(256).optional(),
  expiresAt: z
    .union([
      z.iso.datetime({ offset: true }),
      // Below 10^11 a count of milliseconds is 1973: surely seconds by mistake.
      z.number().int().min(100_000_000_000, "epoch milliseconds expected (this looks like seconds)"),
    ])
    .optional()
    .describe("ISO time or epoch milliseconds; a request arriving later is refused with EXPIRED"),
});
const envelope = requestEnvelopeSchema.shape;
const ticketRef = z.string().min(1).max(64).describe("ticket id, or the number the customer holds (A023)");
const reason = z
  .string()
  .min(1)
  .max(200)
  .describe(
    "a code of the office's cancelReasons (info.cancelReasons); an unknown code is refused (VALIDATION_FAILED, issue path reason). An older client's free text (not code-shaped) is taken as other if the office lists it, the text kept as the note",
  );
const note = z
  .string()
  .max(200)
  .describe("free text for the journal only: never published on any topic (no personal data in reasons)");
const printer = id.describe("printer device id");

function request<T extends z.ZodRawShape>(shape: T) {
  return z.strictObject({ ...envelope, ...shape });
}

export const counterRequestSchemas = {
  open: request({}),
  pause: request({}),
  close: request({}),
  call_next: request({}),
  call: request({ ticket: ticketRef }),
  recall: request({}),
  start: request({}),
  finish: request({}),
  no_show: request({}),
  return: request({}),
  transfer: request({ service: id }),
  park: request({}),
  resume: request({ ticket: ticketRef }),
} satisfies Record<(typeof COUNTER_VERBS)[number], z.ZodType>;

export const deskRequestSchemas = {
  issue: request({
    service: id,
    printer: printer.optional(),
    priority: z.number().int().min(0).max(9).optional(),
  }),
  cancel: request({ ticket: ticketRef, reason, note: note.optional() }),
  reissue: request({
    ticket: ticketRef,
    service: id,
    printer: printer.optional(),
    reason: reason.optional(),
    note: note.optional(),
  }),
  reprint: request({ ticket: ticketRef, printer: printer.optional() }),
  report: request(reportRequestFields),
  audit: request(auditRequestFields),
} satisfies Record<(typeof DESK_VERBS)[number], z.ZodType>;

export const systemRequestSchemas = {
  resync: request({}),
  whoami: request({}),
} satisfies Record<(typeof SYSTEM_VERBS)[number], z.ZodType>;

export const simRequestSchemas = {
  press: request({ panel: id, button: z.string().min(1).max(32) }),
  printer: request({
    printer,
    paperLow: z.boolean().optional(),
    paperOut: z.boolean().optional(),
    coverOpen: z.boolean().optional(),
    unplugged: z.boolean().optional(),
  }),
  panel: request({ panel: id, plugged: z.boolean() }),
} satisfies Record<(typeof SIM_VERBS)[number], z.ZodType>;

export const appointmentRequestSchemas = {
  add: request(appointmentRequestFields.add),
  update: request(appointmentRequestFields.update),
  cancel: request(appointmentRequestFields.cancel),
  check_in: request(appointmentRequestFields.check_in),
} satisfies Record<(typeof APPOINTMENT_VERBS)[number], z.ZodType>;

export const ERROR_CODES = [
  "VALIDATION_FAILED",
  "QUEUE_EMPTY",
  "TICKET_NOT_FOUND",
  "INVALID_STATE",
  "SERVICE_CLOSED",
  "EXPIRED",
  "DEVICE_UNAVAILABLE",
  "UNAUTHORIZED",
  // Added in v1 beyond the first list:
  "SERVICE_NOT_FOUND",
  "COUNTER_NOT_FOUND",
  "RANGE_EXHAUSTED",
  "PRINT_FAILED",
  "JOURNAL_UNAVAILABLE",
  "INTERNAL_ERROR",
  "CLOCK_UNSYNCHRONISED",
  // Booked visits: no appointment of that code; a check-in outside its window refused.
  "APPOINTMENT_NOT_FOUND",
  "OUTSIDE_WINDOW",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const replyErrorSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

export const replySchema = z.discriminatedUnion("ok", [
  z.object({
    requestId: z.string().nullable(),
    verb: z.string(),
    ok: z.literal(true),
    result: z.unknown(),
  }),
  z.object({
    requestId: z.string().nullable().describe("null when the payload was not readable"),
    verb: z.string(),
    ok: z.literal(false),
    error: replyErrorSchema,
  }),
]);
export type Reply = z.infer<typeof replySchema>;
export type ReplyError = z.infer<typeof replyErrorSchema>;

// ------------------------------------------------------------------ device nodes

export const nodeStatusSchema = z.object({
  state: z.enum(["online", "offline"]),
  epoch: z.string().describe("boot id of the node: changes at every start"),
  version: z.string(),
  ts: isoTime,
  devices: z.array(id).optional().describe("the devices this node drives"),
});

export const nodeEdgeSchema = z.strictObject({
  epoch: z.string().min(1).max(64).describe("the node's boot id"),
  seq: z.number().int().min(1).describe("grows by one per edge within the epoch: a repeat is dropped"),
  panel: id,
  button: z.string().min(1).max(32),
  down: z.boolean().describe("true = pressed, false = released"),
  at: z.number().int().min(0).describe("epoch milliseconds of the node's clock when its driver heard it"),
  lost: z
    .literal(true)
    .optional()
    .describe("a release the driver made up because it lost the panel: the key may still be held"),
});

export const nodePrintRequestSchema = z.strictObject({
  requestId: z.string().min(1).max(128),
  replyTo: z.string().min(1).max(256).optional().describe("must be under the node's own nodes/{node}/reply/"),
  printer: id,
  job: z
    .string()
    .regex(/^[0-9]{4}$/)
    .describe("4-digit job id, sent to the printer in its confirmation barrier"),
  bytes: z.string().max(1_000_000).describe("the encoded ticket (ESC/POS, without the barrier), base64"),
  startWithinMs: z
    .number()
    .int()
    .min(0)
    .max(600_000)
    .describe("a job not started this long after it reached the node is refused (timeout), not printed late"),
});

export const PRINT_FAILURES = ["offline", "paper_out", "cover_open", "error", "timeout", "busy"] as const;

export const nodePrintReplySchema = z.discriminatedUnion("ok", [
  z.object({
    requestId: z.string(),
    printer: id,
    ok: z.literal(true),
    confirmedBy: z.enum(["process_id", "gs_r"]),
  }),
  z.object({
    requestId: z.string(),
    printer: id,
    ok: z.literal(false),
    reason: z.enum(PRINT_FAILURES),
    detail: z.string(),
  }),
]);

export const nodePanelLedsSchema = z.object({
  leds: z.record(z.string(), z.enum(BUTTON_LED_STATES)).describe("button -> LED, as the controller set them"),
});
export type NodePrintRequest = z.infer<typeof nodePrintRequestSchema>;
export type NodePrintReply = z.infer<typeof nodePrintReplySchema>;
export type NodeEdge = z.infer<typeof nodeEdgeSchema>;
