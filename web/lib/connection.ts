// The pages' one MQTT connection, over WebSocket to the office's broker: the only page module that
// imports `mqtt` (as controller/mqtt/transport.ts is on the server). It speaks the contract and
// nothing else: retained state and events in, requests with a replyTo under the office's
// replies/<username>/<client id>/ out (signed in: sent under by/<username>/, which the broker
// vouches for), and a resync when it sees a new epoch or a gap in the event seq.
//
// Signing in: the connection first uses the credentials signed in with in this tab (credentials.ts)
// or none. A broker that refuses it as not authorized (CONNACK 4/5, MQTT 5 reason 0x86/0x87)
// moves it to "sign-in" instead of retrying for ever; signIn() connects again with a username and
// password, signOut() forgets them and connects again without.
import mqtt, { type MqttClient } from "mqtt";
import { RetainedOrder } from "../../protocols/mqtt/retained-order.js";
import { type Reply, replySchema } from "../../protocols/mqtt/schemas.js";
import { type OfficeTopics, officeTopics, type RequestTarget } from "../../protocols/mqtt/topics.js";
import { type Credentials, forgetCredentials, storeCredentials, storedCredentials } from "./credentials.js";

/** A reply as a page sees it: the contract's, or NO_ANSWER when none came in time. */
export type PageReply =
  | Reply
  | { requestId: string; verb: string; ok: false; error: { code: "NO_ANSWER"; message: string } };

export interface OfficeConnection {
  office: string;
  topics: OfficeTopics;
  /** Every message under the office's base: topic without the base, and the raw text. */
  /** `retained`: the broker's stored copy (sent on subscribe), not a live message. */
  onMessage(handler: (path: string, payload: string, retained: boolean) => void): void;
  onConnectionChange(handler: (connected: boolean) => void): void;
  request(target: RequestTarget, args?: Record<string, unknown>): Promise<PageReply>;
  /** Where the connection stands, sign-in included; the handler runs at once with the current state. */
  onAccessChange(handler: (access: Access) => void): void;
  /** The user this connection is signed in as; null when anonymous (the demo office). */
  username(): string | null;
  /** Connects again with these credentials, and keeps them for the tab's other pages. */
  signIn(credentials: Credentials): void;
  /** Forgets the tab's credentials and connects again without. */
  signOut(): void;
}

/**
 * connecting: not connected yet (or again after a sign-in); connected: as `username` (null:
 * anonymous); disconnected: lost, mqtt.js retries; sign-in: the broker refused the connection as
 * not authorized, and nothing retries until signIn(). `refused`: credentials were given and
 * refused (a wrong password), not just missing.
 */
export type Access =
  | { kind: "connecting" }
  | { kind: "connected"; username: string | null }
  | { kind: "disconnected" }
  | { kind: "sign-in"; refused: boolean; username: string };

/** CONNACK codes that mean "who are you?": 3.1.1 bad username or password / not authorized, MQTT 5 0x86 / 0x87. */
const NOT_AUTHORIZED = new Set([4, 5, 0x86, 0x87]);

interface PageConfig {
  office: string;
  mqttPath: string;
}

const REPLY_TIMEOUT_MS = 15_000;

function randomId(): string {
  const bytes = new Uint8Array(6);
  crypto.getRandomValues(bytes);
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The office id and WebSocket path come from the server that served the page. */
async function pageConfig(): Promise<PageConfig> {
  const response = await fetch("/config.json", { cache: "no-store" });
  if (!response.ok) throw new Error(`/config.json: HTTP ${response.status}`);
  const body = (await response.json()) as Partial<PageConfig>;
  if (typeof body.office !== "string") throw new Error("/config.json names no office");
  return { office: body.office, mqttPath: body.mqttPath ?? "/mqtt" };
}

export async function connectOffice(): Promise<OfficeConnection> {
  const config = await pageConfig();
  const topics = officeTopics(config.office);
  const clientId = `web-${randomId()}`;
  /** The signed-in user's own inbox: the only place the controller sends its replies. */
  const replyPrefix = () => `${topics.replies}${signedInAs() ?? "anonymous"}/${clientId}/`;
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const messageHandlers: Array<(path: string, payload: string, retained: boolean) => void> = [];
  const connectionHandlers: Array<(connected: boolean) => void> = [];
  const accessHandlers: Array<(access: Access) => void> = [];
  const url = `${scheme}://${location.host}${config.mqttPath}`;
  let credentials = storedCredentials();
  let access: Access = { kind: "connecting" };
  let client: MqttClient | null = null;
  const pending = new Map<string, (reply: PageReply) => void>();
  let epoch: string | null = null;
  let seq: number | null = null;

  const signedInAs = (): string | null => (access.kind === "connected" ? access.username : null);

  const request = (target: RequestTarget, args: Record<string, unknown> = {}): Promise<PageReply> => {
    const requestId = randomId();
    const user = signedInAs();
    const body = { ...args, requestId, replyTo: `${replyPrefix()}${requestId}` };
    return new Promise<PageReply>((resolve) => {
      const timer = setTimeout(() => {
        pending.delete(requestId);
        resolve({
          requestId,
          verb: target.verb,
          ok: false,
          error: { code: "NO_ANSWER", message: `no reply within ${REPLY_TIMEOUT_MS / 1000} s` },
        });
      }, REPLY_TIMEOUT_MS);
      pending.set(requestId, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      // Not connected (signing in, or a new client): the request times out as NO_ANSWER.
      const topic = user === null ? topics.request(target) : topics.requestAs(target, user);
      client?.publish(topic, JSON.stringify(body), { qos: 1 });
    });
  };

  /** A new epoch (the controller restarted) or a missed event: the retained state is re-read. */
  const resync = () => {
    void request({ scope: "system", verb: "resync" });
  };

  const trackSeq = (payload: string) => {
    let event: { epoch?: unknown; seq?: unknown };
    try {
      event = JSON.parse(payload) as typeof event;
    } catch {
      return;
    }
    if (typeof event.epoch !== "string" || typeof event.seq !== "number") return;
    const gap = epoch !== null && (event.epoch !== epoch || (seq !== null && event.seq > seq + 1));
    epoch = event.epoch;
    seq = event.seq;
    if (gap) resync();
  };

  const retainedOrder = new RetainedOrder();

  const onMessage = (topic: string, payload: Uint8Array, retained = false) => {
    const text = new TextDecoder().decode(payload);
    if (topic.startsWith(`${topics.replies}`) && topic.includes(`/${clientId}/`)) {
      let parsed: ReturnType<typeof replySchema.safeParse>;
      try {
        parsed = replySchema.safeParse(JSON.parse(text));
      } catch {
        return;
      }
      const resolve =
        parsed.success && parsed.data.requestId ? pending.get(parsed.data.requestId) : undefined;
      if (parsed.success && resolve && parsed.data.requestId) {
        pending.delete(parsed.data.requestId);
        resolve(parsed.data);
      }
      return;
    }
    if (!topic.startsWith(topics.base)) return;
    const path = topic.slice(topics.base.length);
    if (path.startsWith("events/")) trackSeq(text);
    if (path === "status" && text) {
      try {
        const status = JSON.parse(text) as { epoch?: unknown };
        if (typeof status.epoch === "string" && status.epoch !== epoch) {
          const restarted = epoch !== null;
          epoch = status.epoch;
          seq = null;
          if (restarted) resync();
        }
      } catch {
        // Not JSON: nothing to track; the page's store ignores it too.
      }
    }
    for (const handler of messageHandlers) handler(path, text, retained);
  };

  const setAccess = (next: Access) => {
    const wasConnected = access.kind === "connected";
    access = next;
    for (const handler of accessHandlers) handler(next);
    if (wasConnected !== (next.kind === "connected"))
      for (const handler of connectionHandlers) handler(next.kind === "connected");
  };

  /** A new MQTT client with the current credentials; events of a replaced client are ignored. */
  const start = () => {
    const used = credentials;
    const current = mqtt.connect(url, {
      clientId,
      protocolVersion: 4,
      clean: true,
      reconnectPeriod: 2000,
      connectTimeout: 10_000,
      // mqtt.js 5 stops on a refused CONNACK unless this is true: a refusal waits for a sign-in.
      reconnectOnConnackError: false,
      ...(used ? { username: used.username, password: used.password } : {}),
    });
    client = current;
    current.on("connect", () => {
      if (client !== current) return;
      retainedOrder.reset();
      setAccess({ kind: "connected", username: used?.username ?? null });
      current.subscribe([`${topics.base}#`], { qos: 1 });
    });
    current.on("close", () => {
      // A refused CONNACK closes too; the sign-in it leads to stays until signIn().
      if (client === current && access.kind !== "sign-in") setAccess({ kind: "disconnected" });
    });
    current.on("error", (error: Error & { code?: unknown }) => {
      if (client !== current) return;
      if (typeof error.code !== "number" || !NOT_AUTHORIZED.has(error.code)) return; // mqtt.js retries
      stop();
      // Refused credentials are not tried again by the tab's other pages; the username stays in the form.
      if (used) forgetCredentials();
      credentials = null;
      setAccess({ kind: "sign-in", refused: used !== null, username: used?.username ?? "" });
    });
    current.on("message", (topic, payload, packet) => {
      if (client !== current || !retainedOrder.accept(topic, packet.retain)) return;
      onMessage(topic, payload, packet.retain === true);
    });
  };
  const stop = () => {
    const old = client;
    client = null;
    old?.end(true);
  };
  const restart = () => {
    stop();
    setAccess({ kind: "connecting" });
    start();
  };
  start();

  return {
    office: config.office,
    topics,
    onMessage: (handler) => void messageHandlers.push(handler),
    onConnectionChange: (handler) => {
      connectionHandlers.push(handler);
      handler(access.kind === "connected");
    },
    request,
    onAccessChange: (handler) => {
      accessHandlers.push(handler);
      handler(access);
    },
    username: () => (access.kind === "connected" ? access.username : (credentials?.username ?? null)),
    signIn: (next) => {
      credentials = { username: next.username, password: next.password };
      storeCredentials(credentials);
      restart();
    },
    signOut: () => {
      credentials = null;
      forgetCredentials();
      restart();
    },
  };
}
