// The embedded MQTT broker (aedes) of an office that runs no Mosquitto: TCP for devices and tools,
// WebSocket on the web server for browsers. It enforces the per-role ACLs of the contract itself
// (counter 4's credentials may not call next at counter 3). aedes 1.x speaks MQTT 3.1.1 only.
import { createHash, timingSafeEqual } from "node:crypto";
import type { EventEmitter } from "node:events";
import type { Server as HttpServer, IncomingMessage } from "node:http";
import { createServer, type Socket } from "node:net";
import type { Duplex } from "node:stream";
import { Aedes, type AuthenticateError, type Client, type PublishPacket } from "aedes";
import { createWebSocketStream, WebSocketServer } from "ws";
import { isAllowedReplyTopic, nodeMayPublish, officeTopics } from "../../protocols/mqtt/topics.js";
import type { Logger } from "../health/log.js";
import type { MqttUser } from "./mqtt-schema.js";

export interface EmbeddedBrokerOptions {
  office: string;
  host: string;
  /** 0 = an ephemeral port; the actual one is reported. */
  port: number;
  /** MQTT over WebSocket is served on this server's upgrades at wsPath. */
  httpServer?: HttpServer;
  wsPath?: string;
  users: MqttUser[];
  allowAnonymousLoopback: boolean;
  /** The office has simulated devices: desk and admin may send sim/request/... (else only admin). */
  simulation?: boolean;
  /** The controller's own connection: admin. */
  internalUser: { username: string; password: string };
  log: Logger;
}

export interface EmbeddedBroker {
  /** The actual TCP port. */
  port: number;
  /** mqtt://127.0.0.1:port (or the bound host when it is a single non-loopback address). */
  url: string;
  close(): Promise<void>;
  clientCount(): number;
}

export type BrokerRole = MqttUser["role"];
export interface BrokerIdentity {
  username: string;
  role: BrokerRole;
  counter?: string;
  /** Role node: the device node these credentials are for. */
  node?: string;
}

/**
 * aedes can refuse a publish only with an error, which drops a 3.1.1 connection (and a counter
 * panel would reconnect and retry forever). A refused packet is instead renamed to this topic:
 * wildcards never match $-topics and authorizeForward drops it, so nobody receives it.
 */
const DROPPED_TOPIC = "$vooru/refused";

type RequestRef =
  | { scope: "counter"; counter: string; verb: string }
  | { scope: "desk" | "system" | "sim"; verb: string };

/** The request a topic of this office addresses, whatever the verb (the controller judges verbs). */
function requestRef(base: string, topic: string): RequestRef | null {
  if (!topic.startsWith(base)) return null;
  const [first, second, third, fourth, ...more] = topic.slice(base.length).split("/");
  if (more.length > 0) return null;
  if (first === "counters" && second && third === "request" && fourth) {
    return { scope: "counter", counter: second, verb: fourth };
  }
  if (
    (first === "desk" || first === "system" || first === "sim") &&
    second === "request" &&
    third &&
    fourth === undefined
  ) {
    return { scope: first, verb: third };
  }
  return null;
}

function mayRequest(who: BrokerIdentity, request: RequestRef, simulation: boolean): boolean {
  const resync = request.scope === "system" && request.verb === "resync";
  switch (who.role) {
    case "admin":
      return true;
    case "desk":
      // Simulator controls (unplug a printer) exist only in an office with simulated devices.
      return request.scope !== "sim" || simulation;
    case "counter":
      return resync || (request.scope === "counter" && request.counter === who.counter);
    case "monitor":
      return resync;
    case "node":
      // A device node only bridges its devices: it never writes queue state, not even a resync.
      return false;
  }
}

/**
 * Why `who` may not publish to `topic` (null: it may). Pure, so the ACL table is testable.
 * `simulation`: the office has simulated devices, so the desk may send sim requests.
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
  const request = requestRef(base, topic);
  // A retained request would run again for every new controller connection: nobody may store one
  // (an empty retained message, which removes one, is not a request).
  if (request && retain) return `${who.username} may not send a retained ${request.verb} request`;
  if (who.role === "admin") return null;
  if (who.role === "node" && topic.startsWith(`${base}nodes/`))
    return who.node !== undefined && nodeMayPublish(base, who.node, topic)
      ? null
      : `${who.username} may publish only its status, devices, alerts, events and replies under nodes/${who.node}/`;
  if (!topic.startsWith("vooru/") || topic.startsWith(`${base}replies/`)) return null;
  if (!request) return `${who.username} may not publish to ${topic}`;
  if (mayRequest(who, request, simulation)) return null;
  return request.scope === "counter"
    ? `${who.username} may not send ${request.verb} for counter ${request.counter}`
    : `${who.username} may not send ${request.verb} to ${request.scope}`;
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

/** Where the refused requester hears why: its replyTo when allowed, else the default reply topic. */
function refusalReply(
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
  if (typeof requestId !== "string") return null;
  let target: string | null = null;
  if (
    typeof replyTo === "string" &&
    !replyTo.startsWith("$") &&
    isAllowedReplyTopic(base, replyTo) &&
    (!replyTo.startsWith("vooru/") || replyTo.startsWith(`${base}replies/`))
  ) {
    target = replyTo;
  } else if (requestRef(base, topic)) {
    target = base + topic.slice(base.length).replace("/request/", "/reply/");
  }
  if (target === null) return null;
  const verb = topic.slice(topic.lastIndexOf("/") + 1);
  const reply = { requestId, verb, ok: false, error: { code: "UNAUTHORIZED", message } };
  const body = Buffer.from(JSON.stringify(reply));
  return { cmd: "publish", topic: target, payload: body, qos: 1, retain: false, dup: false };
}

const digest = (secret: string | Buffer) => createHash("sha256").update(secret).digest();

function authError(returnCode: 4 | 5, message: string): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as unknown as AuthenticateError;
}

function remoteAddress(client: Client): string | undefined {
  return client.req?.socket.remoteAddress ?? (client.conn as Partial<Socket>).remoteAddress;
}

export async function startEmbeddedBroker(options: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const { log } = options;
  const base = officeTopics(options.office).base;
  const wsPath = options.wsPath ?? "/mqtt";
  // Digests have equal length, so timingSafeEqual compares without leaking the password length.
  const accounts = new Map<string, { secret: Buffer; identity: BrokerIdentity }>();
  for (const user of options.users) {
    const identity: BrokerIdentity = { username: user.username, role: user.role };
    if (user.counter !== undefined) identity.counter = user.counter;
    if (user.node !== undefined) identity.node = user.node;
    accounts.set(user.username, { secret: digest(user.password), identity });
  }
  const internal = options.internalUser;
  if (accounts.has(internal.username))
    log.warn(`mqtt: user ${internal.username} is ignored: the name is the controller's own`);
  accounts.set(internal.username, {
    secret: digest(internal.password),
    identity: { username: internal.username, role: "admin" },
  });
  const unknownSecret = digest("no such user");
  const identities = new WeakMap<Client, BrokerIdentity>();

  const broker = await Aedes.createBroker({
    authenticate(client, username, password, done) {
      const from = remoteAddress(client) ?? "unknown address";
      if (username === undefined) {
        if (options.allowAnonymousLoopback && isLoopbackAddress(remoteAddress(client))) {
          identities.set(client, { username: "anonymous", role: "admin" });
          return done(null, true);
        }
        log.warn(`mqtt: refused anonymous client ${client.id} from ${from}`);
        return done(authError(5, "not authorized"), false);
      }
      const account = accounts.get(username);
      const given = digest(password ?? Buffer.alloc(0));
      const matches = timingSafeEqual(given, account?.secret ?? unknownSecret);
      if (!account || password === undefined || !matches) {
        log.warn(`mqtt: refused client ${client.id} from ${from}: bad username or password for ${username}`);
        return done(authError(4, "bad username or password"), false);
      }
      identities.set(client, account.identity);
      done(null, true);
    },
    authorizePublish(client, packet, callback) {
      // client is null only for a stale will of another broker instance: treat it as a reader.
      const who = (client && identities.get(client)) ?? { username: "unknown", role: "monitor" };
      const refusal = publishRefusal(
        who,
        base,
        packet.topic,
        packet.retain && packet.payload.length > 0,
        options.simulation ?? false,
      );
      if (refusal === null) return callback(null);
      log.warn(`mqtt: refused publish to ${packet.topic} by ${who.username}: ${refusal}`);
      const reply = refusalReply(base, packet.topic, packet.payload, refusal);
      if (reply) {
        broker.publish(reply, (error) => {
          if (error) log.warn(`mqtt: could not send the refusal to ${reply.topic}: ${error.message}`);
        });
      }
      packet.topic = DROPPED_TOPIC;
      packet.retain = false;
      callback(null);
    },
    authorizeSubscribe(client, subscription, callback) {
      const who = identities.get(client);
      if (who && subscribeAllowed(who, base, subscription.topic)) return callback(null, subscription);
      log.warn(`mqtt: refused subscription to ${subscription.topic} by ${who?.username ?? client.id}`);
      callback(null, null); // SUBACK 0x80 for this filter; the connection stays
    },
    authorizeForward(_client, packet) {
      return packet.topic === DROPPED_TOPIC ? null : packet;
    },
  });
  (broker as EventEmitter).on("error", (error: Error) => log.error(`mqtt broker: ${error.message}`));

  // aedes closes the clients it knows; a socket that never sent CONNECT is only known here.
  const sockets = new Set<Socket>();
  // noDelay: replies are small and latency matters (Nagle + delayed ACK cost ~40 ms a round trip).
  const server = createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    broker.handle(socket);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port, options.host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (error) {
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    throw error;
  }
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;

  // Browsers speak MQTT over WebSocket with subprotocol "mqtt" (older clients: "mqttv3.1").
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) =>
      protocols.has("mqtt") ? "mqtt" : (protocols.values().next().value ?? false),
  });
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    if (path !== wsPath) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      broker.handle(createWebSocketStream(ws), request);
    });
  };
  options.httpServer?.on("upgrade", onUpgrade);

  const wildcard = ["0.0.0.0", "::", "localhost"].includes(options.host) || isLoopbackAddress(options.host);
  const urlHost = wildcard ? "127.0.0.1" : options.host.includes(":") ? `[${options.host}]` : options.host;
  log.info(
    `mqtt: embedded broker on ${options.host}:${port}` +
      (options.httpServer ? `, WebSocket at ${wsPath} on the web server` : ""),
  );

  let closing: Promise<void> | undefined;
  return {
    port,
    url: `mqtt://${urlHost}:${port}`,
    clientCount: () => broker.connectedClients,
    close() {
      closing ??= (async () => {
        options.httpServer?.off("upgrade", onUpgrade);
        const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
        await new Promise<void>((resolve) => broker.close(() => resolve()));
        for (const socket of sockets) socket.destroy();
        for (const ws of wss.clients) ws.terminate();
        await new Promise<void>((resolve) => wss.close(() => resolve()));
        await serverClosed;
      })();
      return closing;
    },
  };
}
