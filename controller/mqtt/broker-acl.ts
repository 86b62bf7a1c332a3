// The embedded broker's rights, as pure functions of who is asking and which topic: the same
// table the generated Mosquitto ACL writes (mosquitto-config.ts), so either broker is as strict.
import type { PublishPacket } from "aedes";
import { MAX_REQUEST_ID } from "../../protocols/mqtt/schemas.js";
import { isOwnReplyTopic, nodeMayPublish, requestSender } from "../../protocols/mqtt/topics.js";
import type { MqttUser } from "./mqtt-schema.js";

export type BrokerRole = MqttUser["role"];
export interface BrokerIdentity {
  username: string;
  role: BrokerRole;
  counter?: string;
  /** Role node: the device node these credentials are for. */
  node?: string;
  /** The controller's own connection: the only one that writes the office's state. */
  internal?: boolean;
}

/** The demo office's client from this machine without credentials: the desk's rights, no more. */
export const ANONYMOUS: BrokerIdentity = { username: "anonymous", role: "desk" };

export type RequestRef =
  | { scope: "counter"; counter: string; verb: string }
  | { scope: "desk" | "system" | "sim" | "appointments"; verb: string };

/** The request a plain (unattributed) topic of this office addresses, whatever the verb. */
export function requestRef(base: string, topic: string): RequestRef | null {
  if (!topic.startsWith(base)) return null;
  const [first, second, third, fourth, ...more] = topic.slice(base.length).split("/");
  if (more.length > 0) return null;
  if (first === "counters" && second && third === "request" && fourth) {
    return { scope: "counter", counter: second, verb: fourth };
  }
  if (
    (first === "desk" || first === "system" || first === "sim" || first === "appointments") &&
    second === "request" &&
    third &&
    fourth === undefined
  ) {
    return { scope: first, verb: third };
  }
  return null;
}

/** Anyone may ask for a resync or who it is; they change nothing. */
const OPEN_SYSTEM_VERBS = new Set(["resync", "whoami"]);

function mayRequest(who: BrokerIdentity, request: RequestRef, simulation: boolean): boolean {
  const open = request.scope === "system" && OPEN_SYSTEM_VERBS.has(request.verb);
  switch (who.role) {
    case "admin":
      return true;
    case "desk":
      // Simulator controls (unplug a printer) exist only in an office with simulated devices.
      return request.scope !== "sim" || simulation;
    case "counter":
      return open || (request.scope === "counter" && request.counter === who.counter);
    case "monitor":
      return open;
    case "node":
      // A device node only bridges its devices: it never writes queue state, not even a resync.
      return false;
  }
}

/**
 * Why `who` may not publish to `topic` (null: it may). `simulation`: the office has simulated
 * devices, so the desk may send sim requests.
 *   - requests: by role, plain or under `by/{username}/` with the sender's own name only;
 *   - replies: only under the sender's own `replies/{username}/`, never retained;
 *   - everything else of the office (its state, events, replies of the contract): the controller.
 */
export function publishRefusal(
  who: BrokerIdentity,
  base: string,
  topic: string,
  retain: boolean,
  simulation = false,
): string | null {
  // $SYS/ is the broker's own (aedes refuses it by default, to prevent spoofed broker events).
  if (topic.startsWith("$")) return `${who.username} may not publish to ${topic}`;
  if (who.internal) return null;
  const attributed = requestSender(base, topic);
  if (attributed === null) return `${who.username} may not publish to ${topic}`;
  if (attributed.sender !== undefined && attributed.sender !== who.username)
    return `${who.username} may not send requests as ${attributed.sender}`;
  const request = requestRef(base, attributed.topic);
  // A retained request would run again for every new controller connection: nobody may store one
  // (an empty retained message, which removes one, is not a request).
  if (request && retain) return `${who.username} may not send a retained ${request.verb} request`;
  if (request) {
    if (mayRequest(who, request, simulation)) return null;
    return request.scope === "counter"
      ? `${who.username} may not send ${request.verb} for counter ${request.counter}`
      : `${who.username} may not send ${request.verb} to ${request.scope}`;
  }
  if (attributed.sender !== undefined) return `${who.username} may not publish to ${topic}`;
  if (topic.startsWith(`${base}replies/`)) {
    if (!isOwnReplyTopic(base, who.username, topic))
      return `${who.username} may publish replies only under ${base}replies/${who.username}/`;
    return retain ? `${who.username} may not store a retained reply` : null;
  }
  if (who.role === "node" && topic.startsWith(`${base}nodes/`))
    return who.node !== undefined && nodeMayPublish(base, who.node, topic)
      ? null
      : `${who.username} may publish only its status, devices, alerts, events and replies under nodes/${who.node}/`;
  if (topic.startsWith(base)) return `only the controller publishes ${topic}`;
  // Other offices' topics (a central broker's tools): admin only; outside vooru/: anyone.
  if (topic.startsWith("vooru/") && who.role !== "admin")
    return `${who.username} may not publish to ${topic}`;
  return null;
}

/**
 * The topic an allowed request is delivered on: under `by/{username}/`, so the controller knows
 * who sent it. The controller's own publications and non-requests keep their topic.
 */
export function attributedTopic(who: BrokerIdentity, base: string, topic: string): string {
  if (who.internal || !requestRef(base, topic)) return topic;
  return `${base}by/${who.username}/${topic.slice(base.length)}`;
}

/**
 * Whether `who` is delivered a message on `topic` it subscribed to. Requests reach only the
 * controller, admin users and their own sender: they may carry a cancel's journal-only note.
 */
export function mayReceive(who: BrokerIdentity | undefined, base: string, topic: string): boolean {
  const attributed = requestSender(base, topic);
  if (attributed === null || !requestRef(base, attributed.topic)) return true;
  if (!who) return false;
  return who.internal === true || who.role === "admin" || attributed.sender === who.username;
}

/** Everyone reads the whole office and topics outside vooru/; only admin reads other offices or `#`. */
export function subscribeAllowed(who: BrokerIdentity, base: string, filter: string): boolean {
  if (who.role === "admin" || filter.startsWith(base)) return true;
  const first = filter.split("/")[0];
  return first !== "vooru" && first !== "#" && first !== "+" && !filter.startsWith("$");
}

export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  return address.startsWith("127.") || address === "::1" || address.startsWith("::ffff:127.");
}

/**
 * Where the refused requester hears why: its own replyTo when allowed, else the default reply
 * topic of the request (`counters/4/reply/call_next`).
 */
export function refusalReply(
  who: BrokerIdentity,
  base: string,
  topic: string,
  payload: string | Buffer,
  message: string,
): PublishPacket | null {
  let request: unknown;
  try {
    request = JSON.parse(payload.toString());
  } catch {
    return null;
  }
  if (typeof request !== "object" || request === null) return null;
  const { requestId, replyTo } = request as { requestId?: unknown; replyTo?: unknown };
  if (typeof requestId !== "string" || requestId.length > MAX_REQUEST_ID) return null;
  const plain = requestSender(base, topic)?.topic ?? topic;
  let target: string | null = null;
  if (typeof replyTo === "string" && isOwnReplyTopic(base, who.username, replyTo)) target = replyTo;
  else if (requestRef(base, plain)) target = base + plain.slice(base.length).replace("/request/", "/reply/");
  if (target === null) return null;
  const verb = plain.slice(plain.lastIndexOf("/") + 1);
  const reply = { requestId, verb, ok: false, error: { code: "UNAUTHORIZED", message } };
  const body = Buffer.from(JSON.stringify(reply));
  return { cmd: "publish", topic: target, payload: body, qos: 1, retain: false, dup: false };
}
