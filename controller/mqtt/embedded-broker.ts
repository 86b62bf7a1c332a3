// The embedded MQTT broker (aedes) of an office that runs no Mosquitto: TCP for devices and tools,
// WebSocket on the web server for browsers. It enforces the per-role ACLs of the contract itself
// (counter 4's credentials may not call next at counter 3). aedes 1.x speaks MQTT 3.1.1 only.
import { randomBytes } from "node:crypto";
import type { EventEmitter } from "node:events";
import type { Server as HttpServer, IncomingMessage } from "node:http";
import { createServer, type Socket } from "node:net";
import type { Duplex } from "node:stream";
import { Aedes, type AuthenticateError, type Client } from "aedes";
import { createWebSocketStream, WebSocketServer } from "ws";
import { officeTopics } from "../../protocols/mqtt/topics.js";
import { listenError } from "../config/port-error.js";
import type { Logger } from "../health/log.js";
import {
  ANONYMOUS,
  attributedTopic,
  type BrokerIdentity,
  isLoopbackAddress,
  mayReceive,
  publishRefusal,
  refusalReply,
  subscribeAllowed,
} from "./broker-acl.js";
import { describeLock } from "./login-alert.js";
import { LoginGuard as Guard, type LoginGuard, type LoginLock } from "./login-guard.js";
import type { MqttUser } from "./mqtt-schema.js";
import { hashPassword, verifyPasswordAsync } from "./password-hash.js";

export { type BrokerIdentity, isLoopbackAddress, publishRefusal, subscribeAllowed } from "./broker-acl.js";

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
  /** The controller's own connection: the only one that may write the office's state. */
  internalUser: { username: string; password: string };
  /** Page origins besides the server's own that may open the WebSocket (a reverse proxy's name). */
  allowedOrigins?: readonly string[];
  /** Checks a login against mqtt.users[].password (plain text or a hash); default: password-hash.ts. */
  verifyPassword?: (stored: string, given: string) => boolean | Promise<boolean>;
  /** Slows and locks password guessing; default: one with the real clock. */
  loginGuard?: LoginGuard;
  /** Hears every active login lock whenever one starts or ends (the LOGIN_LOCKED alert). */
  onLoginLocks?: (locks: LoginLock[]) => void;
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

/**
 * aedes can refuse a publish only with an error, which drops a 3.1.1 connection (and a counter
 * panel would reconnect and retry forever). A refused packet is instead renamed to this topic:
 * wildcards never match $-topics and authorizeForward drops it, so nobody receives it.
 */
const DROPPED_TOPIC = "$vooru/refused";

/** An unknown name is checked against this hash, so it costs as long as a known one. */
const UNKNOWN_USER_SECRET = hashPassword(randomBytes(16).toString("hex"));

/** Names nobody may configure: the demo's anonymous client and the controller's own. */
const RESERVED_NAME = /^(anonymous|vooru-controller-.*)$/;

function authError(returnCode: 2 | 4 | 5, message: string): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as unknown as AuthenticateError;
}

function remoteAddress(client: Client): string | undefined {
  return client.req?.socket.remoteAddress ?? (client.conn as Partial<Socket>).remoteAddress;
}

/**
 * The WebSocket may be opened only by the office's own pages: a browser sends the page's origin,
 * which must be this server (the Host it was asked as) or one the config names (a reverse proxy's
 * public name). Clients that are not browsers send no Origin.
 */
export function originAllowed(request: IncomingMessage, allowedOrigins: readonly string[]): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  if (allowedOrigins.includes(origin)) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

export async function startEmbeddedBroker(options: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const { log } = options;
  const base = officeTopics(options.office).base;
  const wsPath = options.wsPath ?? "/mqtt";
  const verify = options.verifyPassword ?? verifyPasswordAsync;
  const accounts = new Map<string, { password: string; identity: BrokerIdentity }>();
  for (const user of options.users) {
    if (RESERVED_NAME.test(user.username)) {
      log.warn(`mqtt: user ${user.username} is ignored: the name is reserved`);
      continue;
    }
    const identity: BrokerIdentity = { username: user.username, role: user.role };
    if (user.counter !== undefined) identity.counter = user.counter;
    if (user.node !== undefined) identity.node = user.node;
    accounts.set(user.username, { password: user.password, identity });
  }
  const internal = options.internalUser;
  accounts.set(internal.username, {
    password: internal.password,
    identity: { username: internal.username, role: "admin", internal: true },
  });
  const identities = new WeakMap<Client, BrokerIdentity>();
  /** Client ids with a stored session (clean: false) -> the user who owns it. */
  const sessionOwners = new Map<string, string>();
  const guard: LoginGuard = options.loginGuard ?? new Guard(Date.now);
  const expireTimer = setInterval(() => guard.expire(), 30_000);
  expireTimer.unref();
  const offLocks = guard.onLocksChange((locks) => {
    for (const lock of locks) log.warn(`mqtt: logins from ${lock.address} locked (${describeLock(lock)})`);
    options.onLoginLocks?.(locks);
  });

  const clientsById = () => (broker as unknown as { clients: Record<string, Client | undefined> }).clients;

  /** A client id belongs to the user who holds it: nobody else may take the session over. */
  function takesOver(client: Client, identity: BrokerIdentity): boolean {
    const holder = clientsById()[client.id];
    const holderName = holder && holder !== client ? identities.get(holder)?.username : undefined;
    const owner = holderName ?? sessionOwners.get(client.id);
    return owner !== undefined && owner !== identity.username;
  }

  function admit(
    client: Client,
    identity: BrokerIdentity,
    done: (e: AuthenticateError | null, ok: boolean) => void,
  ) {
    if (takesOver(client, identity)) {
      log.warn(`mqtt: refused client id ${client.id} for ${identity.username}: another user holds it`);
      return done(authError(2, "client id in use by another user"), false);
    }
    identities.set(client, identity);
    if (!client.clean) {
      sessionOwners.delete(client.id);
      sessionOwners.set(client.id, identity.username);
      if (sessionOwners.size > 10_000) sessionOwners.delete(sessionOwners.keys().next().value as string);
    }
    done(null, true);
  }

  const broker = await Aedes.createBroker({
    authenticate(client, username, password, done) {
      const address = remoteAddress(client) ?? "unknown";
      if (username === undefined) {
        if (options.allowAnonymousLoopback && isLoopbackAddress(remoteAddress(client)))
          return admit(client, ANONYMOUS, done);
        log.warn(`mqtt: refused anonymous client ${client.id} from ${address}`);
        return done(authError(5, "not authorized"), false);
      }
      const verdict = guard.before(address, username);
      if (verdict.kind === "locked") return done(authError(5, "not authorized"), false);
      const check = () => {
        // Locked meanwhile by the attempts that were waiting alongside this one.
        if (guard.before(address, username).kind === "locked")
          return done(authError(5, "not authorized"), false);
        const account = accounts.get(username);
        void (async () => {
          const given = password?.toString("utf8") ?? "";
          // An unknown name costs the same check as a known one, so it cannot be told apart by time.
          const matches = await verify(account?.password ?? UNKNOWN_USER_SECRET, given);
          if (!account || password === undefined || !matches) {
            guard.failed(address, username);
            log.warn(
              `mqtt: refused client ${client.id} from ${address}: bad username or password for ${username}`,
            );
            return done(authError(4, "bad username or password"), false);
          }
          guard.succeeded(address);
          admit(client, account.identity, done);
        })().catch((error: Error) => {
          log.error(`mqtt: checking the password of ${username} failed: ${error.message}`);
          done(authError(5, "not authorized"), false);
        });
      };
      if (verdict.delayMs > 0) setTimeout(check, verdict.delayMs).unref();
      else check();
    },
    authorizePublish(client, packet, callback) {
      // client is null only for a stale will of another broker instance: treat it as a reader.
      const who = (client && identities.get(client)) ?? { username: "unknown", role: "monitor" as const };
      const refusal = publishRefusal(
        who,
        base,
        packet.topic,
        packet.retain && packet.payload.length > 0,
        options.simulation ?? false,
      );
      if (refusal === null) {
        packet.topic = attributedTopic(who, base, packet.topic);
        return callback(null);
      }
      log.warn(`mqtt: refused publish to ${packet.topic} by ${who.username}: ${refusal}`);
      const reply = refusalReply(who, base, packet.topic, packet.payload, refusal);
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
    authorizeForward(client, packet) {
      if (packet.topic === DROPPED_TOPIC) return null;
      // A request is for the controller: a cancel's note must not reach every reader of the office.
      const who = client ? identities.get(client) : undefined;
      return mayReceive(who, base, packet.topic) ? packet : null;
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
    throw listenError(error, {
      what: "the embedded MQTT broker",
      host: options.host,
      port: options.port,
      setting: "mqtt.embedded.port (or --mqtt-port)",
    });
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
    if (!originAllowed(request, options.allowedOrigins ?? [])) {
      log.warn(`mqtt: refused a WebSocket from origin ${request.headers.origin} (not this office's pages)`);
      socket.end("HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
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
        clearInterval(expireTimer);
        offLocks();
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
