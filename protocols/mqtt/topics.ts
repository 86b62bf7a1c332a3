// Topics of the MQTT contract v1. Everything of one office is under `vooru/v1/{office}/`.

export const CONTRACT_VERSION = "v1";

export const COUNTER_VERBS = [
  "open",
  "pause",
  "close",
  "call_next",
  "call",
  "recall",
  "start",
  "finish",
  "no_show",
  "return",
  "transfer",
  "park",
  "resume",
] as const;
/** report: the manager's figures over a range of days (controller/stats/). */
/** audit: who cancelled, reissued, marked no-show, transferred or called, with reason and time. */
export const DESK_VERBS = ["issue", "cancel", "reissue", "reprint", "report", "audit"] as const;
/** whoami: the caller's own username, role and counter, as the broker vouches for them. */
export const SYSTEM_VERBS = ["resync", "whoami"] as const;
/** Controls of simulated devices (the kiosk page's buttons and fault switches); desk and admin only. */
export const SIM_VERBS = ["press", "printer", "panel"] as const;

/**
 * Booked visits (docs/appointments.md): the booking system adds, updates and cancels them; the
 * desk checks a customer in by the booking code. Desk and admin only.
 */
export const APPOINTMENT_VERBS = ["add", "update", "cancel", "check_in"] as const;

export type CounterVerb = (typeof COUNTER_VERBS)[number];
export type AppointmentVerb = (typeof APPOINTMENT_VERBS)[number];
export type DeskVerb = (typeof DESK_VERBS)[number];
export type SystemVerb = (typeof SYSTEM_VERBS)[number];
export type SimVerb = (typeof SIM_VERBS)[number];

export type RequestTarget =
  | { scope: "counter"; counter: string; verb: CounterVerb }
  | { scope: "desk"; verb: DeskVerb }
  | { scope: "system"; verb: SystemVerb }
  | { scope: "sim"; verb: SimVerb }
  | { scope: "appointments"; verb: AppointmentVerb };

/** Segments that may not appear in an id used in a topic. */
const ID = /^[A-Za-z0-9_-]{1,32}$/;

export function baseTopic(office: string): string {
  return `vooru/${CONTRACT_VERSION}/${office}/`;
}

export interface OfficeTopics {
  base: string;
  status: string;
  info: string;
  service(id: string): string;
  counter(id: string): string;
  tickets: string;
  device(id: string): string;
  alert(id: string): string;
  /** One active alert of a device (retained; empty when cleared): every alert visible, not only the top one. */
  alertCode(id: string, code: string): string;
  /** What an LED board shows now (retained). */
  board(id: string): string;
  /** A waiting area's last calls, for the TV display and announcements. */
  calls(zone: string): string;
  /** The figures of today so far (retained, republished as tickets move). */
  statsToday: string;
  /** The figures of a closed business day (retained). */
  statsDay(day: string): string;
  /** Simulated devices only: a virtual printer's switches and tickets, a virtual panel's buttons. */
  simPrinter(id: string): string;
  simPanel(id: string): string;
  event(type: string): string;
  request(target: RequestTarget): string;
  /** Where replies go when the request names no replyTo and has no MQTT 5 response topic. */
  defaultReply(target: RequestTarget): string;
  /**
   * The same request sent as `username`: `by/{username}/...`. The broker vouches for the name
   * (the embedded broker rewrites every request to it; the generated Mosquitto ACL lets a user
   * write only under its own), so the journal can say who acted.
   */
  requestAs(target: RequestTarget, username: string): string;
  /** Subscriptions of the controller: every request of the office, plain and attributed. */
  requestFilters: string[];
  /** A prefix under the base where clients may ask replies to be sent. */
  replies: string;
}

function requestPath(target: RequestTarget, kind: "request" | "reply"): string {
  switch (target.scope) {
    case "counter":
      return `counters/${target.counter}/${kind}/${target.verb}`;
    case "desk":
      return `desk/${kind}/${target.verb}`;
    case "system":
      return `system/${kind}/${target.verb}`;
    case "sim":
      return `sim/${kind}/${target.verb}`;
    case "appointments":
      return `appointments/${kind}/${target.verb}`;
  }
}

export function officeTopics(office: string): OfficeTopics {
  const base = baseTopic(office);
  return {
    base,
    status: `${base}status`,
    info: `${base}info`,
    service: (id) => `${base}services/${id}`,
    counter: (id) => `${base}counters/${id}`,
    tickets: `${base}tickets`,
    device: (id) => `${base}devices/${id}`,
    alert: (id) => `${base}alerts/${id}`,
    alertCode: (id, code) => `${base}alerts/${id}/${code}`,
    board: (id) => `${base}boards/${id}`,
    calls: (zone) => `${base}calls/${zone}`,
    statsToday: `${base}stats/today`,
    statsDay: (day) => `${base}stats/days/${day}`,
    simPrinter: (id) => `${base}sim/printers/${id}`,
    simPanel: (id) => `${base}sim/panels/${id}`,
    event: (type) => `${base}events/${type}`,
    request: (target) => `${base}${requestPath(target, "request")}`,
    defaultReply: (target) => `${base}${requestPath(target, "reply")}`,
    requestAs: (target, username) => `${base}by/${username}/${requestPath(target, "request")}`,
    requestFilters: [
      `${base}counters/+/request/+`,
      `${base}desk/request/+`,
      `${base}system/request/+`,
      `${base}sim/request/+`,
      `${base}appointments/request/+`,
      `${base}by/+/counters/+/request/+`,
      `${base}by/+/desk/request/+`,
      `${base}by/+/system/request/+`,
      `${base}by/+/sim/request/+`,
      `${base}by/+/appointments/request/+`,
    ],
    replies: `${base}replies/`,
  };
}

/**
 * A request we cannot serve but can answer: a verb outside the contract, or a counter id that
 * no office can have (the reply says COUNTER_NOT_FOUND instead of nothing).
 */
export type UnservedRequest =
  | { unknownVerb: string; replyTopic: string }
  | { badCounter: string; verb: string; replyTopic: string };

/**
 * What a request topic asks for, or why it is not a request topic we serve. Verbs outside the
 * contract and malformed counter ids still name their target, so the reply can say what was wrong.
 */
export function parseRequestTopic(base: string, topic: string): RequestTarget | UnservedRequest | null {
  if (!topic.startsWith(base)) return null;
  const parts = topic.slice(base.length).split("/");
  const [first, second, third, fourth] = parts;
  if (
    parts.length === 4 &&
    first === "counters" &&
    third === "request" &&
    second !== undefined &&
    fourth &&
    !ID.test(second)
  )
    return { badCounter: second, verb: fourth, replyTopic: `${base}counters/${second}/reply/${fourth}` };
  if (
    parts.length === 4 &&
    first === "counters" &&
    third === "request" &&
    second &&
    ID.test(second) &&
    fourth
  ) {
    if ((COUNTER_VERBS as readonly string[]).includes(fourth))
      return { scope: "counter", counter: second, verb: fourth as CounterVerb };
    return { unknownVerb: fourth, replyTopic: `${base}counters/${second}/reply/${fourth}` };
  }
  if (
    parts.length === 3 &&
    (first === "desk" || first === "system" || first === "sim" || first === "appointments") &&
    second === "request" &&
    third
  ) {
    const verbs: readonly string[] =
      first === "desk"
        ? DESK_VERBS
        : first === "system"
          ? SYSTEM_VERBS
          : first === "sim"
            ? SIM_VERBS
            : APPOINTMENT_VERBS;
    if (verbs.includes(third)) return { scope: first, verb: third } as RequestTarget;
    return { unknownVerb: third, replyTopic: `${base}${first}/reply/${third}` };
  }
  return null;
}

/** A user name as it may appear in a topic (the same rule as mqtt.users[].username). */
export const USERNAME = /^[A-Za-z0-9_.@-]{1,64}$/;

/**
 * Splits `by/{username}/` off a request topic: the plain request topic and who sent it (as the
 * broker vouches). null for a `by/` topic with a malformed name; topics without it are returned
 * unchanged, with no sender.
 */
export function requestSender(base: string, topic: string): { topic: string; sender?: string } | null {
  if (!topic.startsWith(`${base}by/`)) return { topic };
  const rest = topic.slice(base.length + 3);
  const slash = rest.indexOf("/");
  const sender = slash < 0 ? "" : rest.slice(0, slash);
  if (!USERNAME.test(sender)) return null;
  return { topic: base + rest.slice(slash + 1), sender };
}

/** Where replies to `username` may go: under `replies/{username}/` (its own inbox, nobody else's). */
export function isOwnReplyTopic(base: string, username: string, topic: string): boolean {
  const prefix = `${base}replies/${username}/`;
  return topic.startsWith(prefix) && topic.length > prefix.length && isConcreteTopic(topic);
}

/** A topic one can publish to: 1-256 characters, no wildcards, not a $ (broker) topic. */
function isConcreteTopic(topic: string): boolean {
  if (topic.length === 0 || topic.length > 256 || topic.startsWith("$")) return false;
  return !topic.includes("+") && !topic.includes("#") && !topic.includes("\0");
}

/**
 * A reply topic a client may ask for: no wildcards, and not one of the office's own state,
 * event or request topics (a request must not be able to make the controller overwrite them).
 */
export function isAllowedReplyTopic(base: string, topic: string): boolean {
  if (!isConcreteTopic(topic)) return false;
  if (!topic.startsWith(base)) return !topic.startsWith("vooru/");
  const rest = topic.slice(base.length);
  return (
    rest.startsWith("replies/") || /^(counters\/[^/]+|desk|system|sim|appointments)\/reply\/[^/]+$/.test(rest)
  );
}

// ------------------------------------------------------------------ device nodes

/**
 * Topics of a device node: a second Pi that only bridges its devices (printers, panels, boards)
 * to the office's one controller over MQTT. The node publishes only under `nodes/{node}/`
 * (status, devices, alerts, events, reply); the controller publishes print requests and panel
 * LEDs there. Queue state is never written by a node.
 */
export interface NodeTopics {
  /** Retained; also the node's last will (offline). */
  status: string;
  /** Retained health of one of the node's devices, as `devices/{device}` of the office. */
  device(id: string): string;
  /** Retained top alert of one of the node's devices; cleared by an empty retained message. */
  alert(id: string): string;
  /** Raw button edges of the node's panels (QoS 1, not retained). */
  edges: string;
  /** The controller asks the node to print (QoS 1, not retained). */
  printRequest: string;
  /** The node's answers to print requests. */
  printReply: string;
  /** Retained LED states of one of the node's panels, set by the controller. */
  panelLeds(panel: string): string;
  /** Everything of this node. */
  all: string;
}

export function nodeTopics(base: string, node: string): NodeTopics {
  const prefix = `${base}nodes/${node}/`;
  return {
    status: `${prefix}status`,
    device: (id) => `${prefix}devices/${id}`,
    alert: (id) => `${prefix}alerts/${id}`,
    edges: `${prefix}events/edge`,
    printRequest: `${prefix}request/print`,
    printReply: `${prefix}reply/print`,
    panelLeds: (panel) => `${prefix}panels/${panel}/leds`,
    all: `${prefix}#`,
  };
}

/** What a topic under `nodes/` is, or null when it is none of the node topics. */
export type NodeTopicRef =
  | { node: string; kind: "status" | "edges" | "print_request" | "print_reply" }
  | { node: string; kind: "device" | "alert" | "panel_leds"; id: string };

export function parseNodeTopic(base: string, topic: string): NodeTopicRef | null {
  if (!topic.startsWith(`${base}nodes/`)) return null;
  const parts = topic.slice(base.length + "nodes/".length).split("/");
  const [node, first, second, third] = parts;
  if (!node || !ID.test(node) || !first) return null;
  if (parts.length === 2 && first === "status") return { node, kind: "status" };
  if (parts.length === 3 && second && ID.test(second)) {
    if (first === "devices") return { node, kind: "device", id: second };
    if (first === "alerts") return { node, kind: "alert", id: second };
    if (first === "events" && second === "edge") return { node, kind: "edges" };
    if (first === "request" && second === "print") return { node, kind: "print_request" };
    if (first === "reply" && second === "print") return { node, kind: "print_reply" };
  }
  if (parts.length === 4 && first === "panels" && second && ID.test(second) && third === "leds")
    return { node, kind: "panel_leds", id: second };
  return null;
}

/**
 * What a node's own credentials may publish: its status, its devices' health and alerts, its
 * events and its replies. Not its request or LED topics (the controller's), nothing else.
 */
export function nodeMayPublish(base: string, node: string, topic: string): boolean {
  const ref = parseNodeTopic(base, topic);
  if (!ref || ref.node !== node) return false;
  return ["status", "device", "alert", "edges", "print_reply"].includes(ref.kind);
}
