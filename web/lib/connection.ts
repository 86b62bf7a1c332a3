// The pages' one MQTT connection, over WebSocket to the office's broker: the only page module that
// imports `mqtt` (as controller/mqtt/transport.ts is on the server). It speaks the contract and
// nothing else: retained state and events in, requests with a replyTo under the office's
// replies/<client id>/ out, and a resync when it sees a new epoch or a gap in the event seq.
import mqtt, { type MqttClient } from "mqtt";
import { type Reply, replySchema } from "../../protocols/mqtt/schemas.js";
import { type OfficeTopics, officeTopics, type RequestTarget } from "../../protocols/mqtt/topics.js";

/** A reply as a page sees it: the contract's, or NO_ANSWER when none came in time. */
export type PageReply =
  | Reply
  | { requestId: string; verb: string; ok: false; error: { code: "NO_ANSWER"; message: string } };

export interface OfficeConnection {
  office: string;
  topics: OfficeTopics;
  /** Every message under the office's base: topic without the base, and the raw text. */
  onMessage(handler: (path: string, payload: string) => void): void;
  onConnectionChange(handler: (connected: boolean) => void): void;
  request(target: RequestTarget, args?: Record<string, unknown>): Promise<PageReply>;
}

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
  const replyPrefix = `${topics.replies}${clientId}/`;
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const client: MqttClient = mqtt.connect(`${scheme}://${location.host}${config.mqttPath}`, {
    clientId,
    protocolVersion: 4,
    clean: true,
    reconnectPeriod: 2000,
    connectTimeout: 10_000,
  });
  const messageHandlers: Array<(path: string, payload: string) => void> = [];
  const connectionHandlers: Array<(connected: boolean) => void> = [];
  const pending = new Map<string, (reply: PageReply) => void>();
  let epoch: string | null = null;
  let seq: number | null = null;

  const request = (target: RequestTarget, args: Record<string, unknown> = {}): Promise<PageReply> => {
    const requestId = randomId();
    const body = { ...args, requestId, replyTo: `${replyPrefix}${requestId}` };
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
      client.publish(topics.request(target), JSON.stringify(body), { qos: 1 });
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

  client.on("connect", () => {
    for (const handler of connectionHandlers) handler(true);
    client.subscribe([`${topics.base}#`], { qos: 1 });
  });
  client.on("close", () => {
    for (const handler of connectionHandlers) handler(false);
  });
  client.on("message", (topic, payload) => {
    const text = new TextDecoder().decode(payload);
    if (topic.startsWith(replyPrefix)) {
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
    for (const handler of messageHandlers) handler(path, text);
  });

  return {
    office: config.office,
    topics,
    onMessage: (handler) => void messageHandlers.push(handler),
    onConnectionChange: (handler) => {
      connectionHandlers.push(handler);
      handler(client.connected);
    },
    request,
  };
}
