// The AsyncAPI 3.0 document of the MQTT contract v1, generated from the zod schemas so the published
// description cannot drift from what the controller validates. Pure and deterministic: the test
// compares it with the committed docs/asyncapi.json.
import { z } from "zod";
import {
  alertSchema,
  appointmentRequestSchemas,
  boardStateSchema,
  counterRequestSchemas,
  counterStateSchema,
  deskRequestSchemas,
  deviceHealthSchema,
  ERROR_CODES,
  EVENT_TYPES,
  eventSchema,
  infoSchema,
  nodeEdgeSchema,
  nodePanelLedsSchema,
  nodePrintReplySchema,
  nodePrintRequestSchema,
  nodeStatusSchema,
  replySchema,
  serviceStateSchema,
  simPanelSchema,
  simPrinterSchema,
  simRequestSchemas,
  statusSchema,
  systemRequestSchemas,
  ticketSchema,
  ticketsSchema,
  zoneCallsSchema,
} from "./schemas.js";
import { reportSchema } from "./stats-schemas.js";
import {
  APPOINTMENT_VERBS,
  CONTRACT_VERSION,
  COUNTER_VERBS,
  DESK_VERBS,
  SIM_VERBS,
  SYSTEM_VERBS,
} from "./topics.js";

type Json = Record<string, unknown>;

const BINDING_VERSION = "0.2.0";
const BASE = `vooru/${CONTRACT_VERSION}/{office}/`;
const ref = (pointer: string): Json => ({ $ref: `#/${pointer}` });

/**
 * Drops the `$schema` key: AsyncAPI's default schema format is a superset of draft-07. Tickets
 * become a reference to components/schemas/Ticket, or every event would carry its own copy.
 */
function jsonSchema(schema: z.ZodType, io: "input" | "output"): Json {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, {
    target: "draft-07",
    io,
    override: ({ zodSchema, jsonSchema }) => {
      if (zodSchema === ticketSchema && schema !== ticketSchema) {
        for (const key of Object.keys(jsonSchema)) delete jsonSchema[key];
        jsonSchema.$ref = "#/components/schemas/Ticket";
      }
      // zod closes plain objects in output mode; what the controller publishes stays open, because
      // v1 may add fields and a client validating with this document must not break on them.
      else if (io === "output" && zodSchema._zod.def.type === "object" && !zodSchema._zod.def.catchall)
        delete jsonSchema.additionalProperties;
    },
  }) as Json;
  return rest;
}

const DESCRIPTION = `MQTT contract v1 of a vooru queue controller. Every topic of an office is under \`vooru/v1/{office}/\`. Works with MQTT 5 and 3.1.1 clients alike.

- **State** (\`status\`, \`info\`, \`services/{service}\`, \`counters/{counter}\`, \`tickets\`, \`devices/{device}\`, \`alerts/{device}\`) is retained, QoS 1, and republished on every reconnect, so a new subscriber sees the current picture at once. \`status\` is also the controller's last will. An alert is cleared by an empty retained message.
- **Events** (\`events/{type}\`) are QoS 1 and not retained. Each carries \`epoch\` (boot id) and \`seq\`, which grows by one per event within an epoch; a client that sees a gap or a new epoch sends \`system/request/resync\` and reads the retained state again.
- **Requests** go to \`counters/{counter}/request/{verb}\`, \`desk/request/{verb}\` and \`system/request/{verb}\` with QoS 1 and are never retained (a retained request is ignored). The payload is \`{requestId, replyTo?, expiresAt?, ...arguments}\`; unknown fields are refused. The reply \`{requestId, verb, ok: true, result}\` or \`{requestId, verb, ok: false, error: {code, message, issues?}}\` goes to \`replyTo\`, else to the MQTT 5 response topic with the request's correlation data, else to the verb's \`.../reply/{verb}\` topic. \`replyTo\` must contain no wildcards and lie outside \`vooru/\` or under \`vooru/v1/{office}/replies/\`. A request arriving after its \`expiresAt\` (ISO time or epoch milliseconds) is refused with EXPIRED. A repeated \`requestId\` gets the first reply again and changes nothing (QoS 1 delivers at least once).
- **Boards** (\`boards/{board}\`, retained): what each LED board shows now, real or simulated.
- **Statistics** (\`stats/today\`, \`stats/days/{day}\`, retained; \`desk/request/report\` for any range): the manager's figures (issued, served, no-shows, wrong tickets, waits, service level) as defined in docs/statistics.md.
- **Calls** (\`calls/{zone}\`, retained): each waiting area's last calls, newest first, and how they are announced (chime, voice in which languages): the TV display (\`/display\`) shows and plays them.
- **Simulated devices** (only in an office with simulated devices): \`sim/printers/{printer}\` and \`sim/panels/{panel}\` (retained) show a virtual printer's switches and last tickets and a virtual button panel's buttons and LEDs; \`sim/request/{press,printer,panel}\` press a button, set paper and cover faults, or unplug a device. Only the desk and admin roles may send them; a real or unknown device is refused with DEVICE_UNAVAILABLE.
- **Device nodes** (\`nodes/{node}/...\`): a second Pi that only bridges its printers, panels and boards; the controller stays the only writer of queue state. The node publishes \`status\` (retained, its last will), \`devices/{device}\` and \`alerts/{device}\` (retained; the controller mirrors them into its own \`devices/\` and \`alerts/\`), raw button edges on \`events/edge\` and print answers on \`reply/print\`; the controller sends \`request/print\` and the retained \`panels/{panel}/leds\`, and the node drives its boards from \`boards/{board}\`. Role node credentials may publish only the node's own status, devices, alerts, events and replies.
- **Error codes**: ${ERROR_CODES.join(", ")}. VALIDATION_FAILED lists the offending paths in \`error.issues\`; UNAUTHORIZED means the credentials may not send this request (a counter's credentials may write only under its own \`counters/{counter}/request/\`).`;

const PARAMETERS: Json = {
  office: { description: "Office id (1-32 characters of A-Z a-z 0-9 _ -)." },
  service: { description: "Service id." },
  counter: { description: "Counter id." },
  device: { description: "Device id (printer, panel, board)." },
  code: { description: "Alert code (PAPER_OUT, PANEL_OFFLINE, ...)." },
  board: { description: "LED board id." },
  zone: { description: "Waiting area (a counters' zone)." },
  printer: { description: "Simulated printer id." },
  panel: { description: "Simulated button panel id." },
  type: { description: "Event type.", enum: [...EVENT_TYPES] },
  node: { description: "Device node id." },
  day: { description: "Business day, YYYY-MM-DD." },
};

const VERB_SUMMARIES: Record<string, string> = {
  open: "Open the counter.",
  pause: "Pause the counter: it keeps its ticket but is not offered new ones.",
  close: "Close the counter.",
  call_next: "Call the next ticket by the counter's call order.",
  call: "Call a particular waiting or parked ticket.",
  recall: "Call the counter's called ticket again.",
  start: "Start serving the called ticket.",
  finish: "Finish the ticket being served.",
  no_show: "Mark the called ticket as not shown up.",
  return: "Put the called ticket back in the queue at its place.",
  transfer: "Send the counter's ticket to another service, keeping its arrival time.",
  park: "Park the counter's ticket (the customer fetches a document).",
  resume: "Put a parked ticket back in the queue.",
  issue: "Issue a ticket for a service, printed at a printer.",
  cancel: "Cancel a ticket with a reason code (info.cancelReasons); a note stays in the journal only.",
  reissue: "Cancel a wrongly taken ticket and issue one for the right service, same arrival time.",
  reprint: "Print an open ticket again.",
  report:
    "The manager's figures over a range of business days (desk and admin): the reply's result is a report as on stats/today.",
  resync: "Republish all retained state.",
  whoami:
    "The caller's own `{username, role, counter?}`, as the broker authenticated it (`username: null` when the request was not attributed). Any role may ask.",
  press: "Simulated panels: press a button (down, then up) on the virtual device.",
  printer: "Simulated printers: set paper low, paper out, cover open or unplugged.",
  panel: "Simulated panels: unplug (plugged false) or plug in the panel.",
};

/** Retained state topics: channel id (also the message id), path under the base, payload, title, note. */
const STATE_TOPICS: [string, string, z.ZodType, string, string][] = [
  ["status", "status", statusSchema, "Controller status", "Also the last will: `offline`."],
  ["info", "info", infoSchema, "Office info", "Services, counters and devices of the office."],
  ["services", "services/{service}", serviceStateSchema, "Service state", ""],
  ["counters", "counters/{counter}", counterStateSchema, "Counter state", ""],
  ["tickets", "tickets", ticketsSchema, "Open tickets", "Every waiting, called, serving or parked ticket."],
  ["devices", "devices/{device}", deviceHealthSchema, "Device health", ""],
  [
    "alerts",
    "alerts/{device}",
    alertSchema,
    "Device alert",
    "The device's most severe active alert; cleared by an empty retained message.",
  ],
  [
    "alert_codes",
    "alerts/{device}/{code}",
    alertSchema,
    "One active alert of a device",
    "Every active alert of a device on its own topic (a stuck button does not hide that the panel went offline); cleared by an empty retained message.",
  ],
  ["boards", "boards/{board}", boardStateSchema, "Board display", "What the LED board shows now."],
  [
    "calls",
    "calls/{zone}",
    zoneCallsSchema,
    "Zone calls",
    "A waiting area's last calls and recalls, newest first, and how they are announced: what the TV display shows and plays.",
  ],
  [
    "stats_today",
    "stats/today",
    reportSchema,
    "Today's figures",
    "The manager's figures of the business day so far (grouped by service, counter and hour), republished at most every stats.publishSeconds while tickets move. Definitions: docs/statistics.md.",
  ],
  [
    "stats_days",
    "stats/days/{day}",
    reportSchema,
    "A day's figures",
    "The figures of a closed business day, published when the day ends and, at start, for the days kept; a central system can collect them from every office.",
  ],
  [
    "sim_printers",
    "sim/printers/{printer}",
    simPrinterSchema,
    "Simulated printer",
    "Simulated devices only: fault switches and the last tickets drawn.",
  ],
  [
    "sim_panels",
    "sim/panels/{panel}",
    simPanelSchema,
    "Simulated panel",
    "Simulated devices only: buttons, their services and LEDs.",
  ],
  [
    "node_status",
    "nodes/{node}/status",
    nodeStatusSchema,
    "Device node status",
    "Published by the node; also its last will (`offline`), which takes its devices out of service.",
  ],
  [
    "node_devices",
    "nodes/{node}/devices/{device}",
    deviceHealthSchema,
    "Device node's device health",
    "Published by the node; the controller mirrors it into devices/{device}.",
  ],
  [
    "node_alerts",
    "nodes/{node}/alerts/{device}",
    alertSchema,
    "Device node's device alert",
    "Published by the node; cleared by an empty retained message; mirrored into alerts/{device}.",
  ],
  [
    "node_panel_leds",
    "nodes/{node}/panels/{panel}/leds",
    nodePanelLedsSchema,
    "Device node's panel LEDs",
    "Published by the controller: what the node's panel shows.",
  ],
];

/** Not retained, QoS 1, between the controller and a device node: channel id, path, payload, title, note. */
const NODE_MESSAGES: [string, string, z.ZodType, "input" | "output", string, string][] = [
  [
    "node_edges",
    "nodes/{node}/events/edge",
    nodeEdgeSchema,
    "input",
    "Device node's button edges",
    "Published by the node: raw edges of its panels; the controller's press rules decide what a press means. A repeated seq is dropped.",
  ],
  [
    "node_print_request",
    "nodes/{node}/request/print",
    nodePrintRequestSchema,
    "input",
    "Print at a device node",
    "Published by the controller after it reserved the number: the node prints the encoded ticket with its confirmation barrier. A repeated requestId prints nothing again.",
  ],
  [
    "node_print_reply",
    "nodes/{node}/reply/print",
    nodePrintReplySchema,
    "output",
    "Device node's print answer",
    "Published by the node: whether the ticket came out. No answer within the printer's confirm time (twice) plus a margin, or the node offline, voids the number.",
  ],
];

/** Booked visits (docs/appointments.md); desk and admin only. */
const APPOINTMENT_SUMMARIES: Record<string, string> = {
  add: "Add a booked visit: its booking code, service and time (the booking system sends these).",
  update: "Change a booked visit's service or time.",
  cancel: "Cancel a booked visit.",
  check_in: "Check a customer in by the booking code: a ticket of the booked service, called at its time.",
};

const VERBS: {
  scope: "counters" | "desk" | "system" | "sim" | "appointments";
  verb: string;
  schema: z.ZodType;
}[] = [
  ...COUNTER_VERBS.map((verb) => ({ scope: "counters" as const, verb, schema: counterRequestSchemas[verb] })),
  ...DESK_VERBS.map((verb) => ({ scope: "desk" as const, verb, schema: deskRequestSchemas[verb] })),
  ...SYSTEM_VERBS.map((verb) => ({ scope: "system" as const, verb, schema: systemRequestSchemas[verb] })),
  ...SIM_VERBS.map((verb) => ({ scope: "sim" as const, verb, schema: simRequestSchemas[verb] })),
  ...APPOINTMENT_VERBS.map((verb) => ({
    scope: "appointments" as const,
    verb,
    schema: appointmentRequestSchemas[verb],
  })),
];

const CORRELATION = { type: "string", description: "MQTT 5 correlation data: echoed on the reply." };
const mqtt = (retain: boolean): Json => ({ mqtt: { qos: 1, retain, bindingVersion: BINDING_VERSION } });
const jsonMessage = (name: string, title: string, payload: Json, extra: Json = {}): Json => ({
  name,
  title,
  contentType: "application/json",
  payload,
  ...extra,
});

export function buildAsyncApi(): object {
  const channels: Record<string, Json & { messages: Json }> = {};
  const operations: Json = {};
  const messages: Json = {
    // An empty retained payload clears a retained alert; it is not JSON, so it has no schema.
    alert_cleared: {
      name: "alert_cleared",
      title: "Alert cleared",
      summary: "Empty retained message: the device's alert is over.",
    },
    reply: jsonMessage("reply", "Reply", jsonSchema(replySchema, "output"), {
      bindings: { mqtt: { correlationData: CORRELATION, bindingVersion: BINDING_VERSION } },
    }),
  };
  /** `uses` maps the channel's message keys to components/messages ids. */
  const channel = (
    id: string,
    path: string,
    uses: Record<string, string>,
    title: string,
    description: string,
  ) => {
    const address = `${BASE}${path}`;
    const parameters = Object.fromEntries(
      [...address.matchAll(/\{(\w+)\}/g)].map(([, p]) => [p, ref(`components/parameters/${p}`)]),
    );
    const refs = Object.entries(uses).map(([key, m]) => [key, ref(`components/messages/${m}`)]);
    channels[id] = { address, title, description, messages: Object.fromEntries(refs), parameters };
  };
  const operation = (id: string, action: "send" | "receive", on: string, retain: boolean, extra: Json) => {
    const refs = Object.keys(channels[on]?.messages ?? {}).map((key) =>
      ref(`channels/${on}/messages/${key}`),
    );
    operations[id] = {
      action,
      ...extra,
      channel: ref(`channels/${on}`),
      messages: refs,
      bindings: mqtt(retain),
    };
  };

  for (const [id, path, schema, title, note] of STATE_TOPICS) {
    messages[id] = jsonMessage(id, title, jsonSchema(schema, "output"));
    const uses: Record<string, string> =
      id === "alerts" || id === "node_alerts" || id === "alert_codes"
        ? { alerts: id, alert_cleared: "alert_cleared" }
        : { [id]: id };
    const description = `${title}. Retained, QoS 1, republished on every reconnect.${note ? ` ${note}` : ""}`;
    channel(id, path, uses, title, description);
    operation(`send_${id}`, "send", id, true, { title: `Publish ${title.toLowerCase()}` });
  }

  const events: Record<string, string> = {};
  for (const type of EVENT_TYPES) {
    const payload = jsonSchema(eventSchema.extend({ type: z.literal(type) }), "output");
    messages[`event_${type}`] = jsonMessage(type, `Event ${type}`, payload);
    events[`event_${type}`] = `event_${type}`;
  }
  const resync = "on a gap or a new epoch, send `system/request/resync`";
  channel(
    "events",
    "events/{type}",
    events,
    "Events",
    `QoS 1, not retained. \`seq\` grows by one per event within an \`epoch\`; ${resync}.`,
  );
  operation("send_events", "send", "events", false, { title: "Publish events" });

  for (const [id, path, schema, io, title, note] of NODE_MESSAGES) {
    messages[id] = jsonMessage(id, title, jsonSchema(schema, io));
    channel(id, path, { [id]: id }, title, `${title}. QoS 1, not retained. ${note}`);
    operation(`send_${id}`, "send", id, false, { title: `Publish ${title.toLowerCase()}` });
  }

  for (const { scope, verb, schema } of VERBS) {
    const path = scope === "counters" ? "counters/{counter}" : scope;
    const requestId = `${scope}_request_${verb}`;
    const replyId = `${scope}_reply_${verb}`;
    const summary = (scope === "appointments" ? APPOINTMENT_SUMMARIES[verb] : VERB_SUMMARIES[verb]) ?? "";
    // Input side: what a client may send, validated strictly (unknown fields are refused).
    messages[requestId] = jsonMessage(verb, `${scope}/request/${verb}`, jsonSchema(schema, "input"), {
      summary,
      bindings: {
        mqtt: {
          responseTopic: {
            type: "string",
            description: "MQTT 5: where the reply goes when no replyTo is given.",
          },
          correlationData: CORRELATION,
          bindingVersion: BINDING_VERSION,
        },
      },
    });
    channel(
      requestId,
      `${path}/request/${verb}`,
      { request: requestId },
      `${scope}/request/${verb}`,
      `${summary} QoS 1, never retained.`,
    );
    channel(
      replyId,
      `${path}/reply/${verb}`,
      { reply: "reply" },
      `${scope}/reply/${verb}`,
      "Default reply topic, used when the request has neither replyTo nor an MQTT 5 response topic.",
    );
    operation(`receive_${requestId}`, "receive", requestId, false, {
      title: `Request ${verb}`,
      summary,
      description:
        "The reply goes to the request's replyTo, else the MQTT 5 response topic, else the default reply topic. A repeated requestId gets the first reply again.",
      reply: { channel: ref(`channels/${replyId}`), messages: [ref(`channels/${replyId}/messages/reply`)] },
    });
    operation(`send_${replyId}`, "send", replyId, false, { title: `Reply to ${verb}` });
  }

  return {
    asyncapi: "3.0.0",
    info: { title: "vooru MQTT contract", version: "1", description: DESCRIPTION },
    defaultContentType: "application/json",
    servers: {
      embedded: {
        host: "localhost:1883",
        protocol: "mqtt",
        protocolVersion: "5",
        description: "The controller's embedded broker (MQTT 5 and 3.1.1).",
        security: [ref("components/securitySchemes/userPassword")],
      },
      embedded_ws: {
        host: "localhost:8080",
        pathname: "/mqtt",
        protocol: "ws",
        description: "MQTT over WebSocket on the embedded broker's HTTP port, for the web pages.",
        security: [ref("components/securitySchemes/userPassword")],
      },
      mosquitto: {
        host: "{host}:1883",
        protocol: "mqtt",
        protocolVersion: "5",
        description:
          "Production: Mosquitto 2 on the office's Pi, with ACLs generated from the office config.",
        variables: { host: { default: "localhost", description: "The office's Pi." } },
        security: [ref("components/securitySchemes/userPassword")],
      },
    },
    channels,
    operations,
    components: {
      schemas: { Ticket: jsonSchema(ticketSchema, "output") },
      messages,
      parameters: PARAMETERS,
      securitySchemes: {
        userPassword: {
          type: "userPassword",
          description:
            "Credentials from the office config, with role counter, desk, monitor or admin. The demo office lets anonymous clients connect from loopback.",
        },
      },
    },
  };
}
