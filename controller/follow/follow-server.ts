// The follow page's own listener: read-only, and it answers only the page behind a ticket's QR
// (/t/<token>), that ticket's status (/t/<token>.json) and the page's two assets. Everything else
// (the staff pages, /config.json, MQTT over WebSocket, any other path) is 404 and upgrades are
// destroyed, so it may face the guest Wi-Fi or a reverse proxy. Rate limited per client address;
// a status answer takes at least MIN_ANSWER_MS whether the token is known or not.
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { join } from "node:path";
import type { QueueCore } from "../queue/core/queue.js";
import { SECURITY_HEADERS } from "../web/static-server.js";
import { FollowLookup } from "./follow-status.js";
import { clientKey, RateLimiter } from "./rate-limit.js";
import { TOKEN_PATTERN } from "./token.js";

/** No status answer comes sooner: the lookup's own time is then hidden in it. */
export const MIN_ANSWER_MS = 25;

const ASSETS: Record<string, { file: string; type: string }> = {
  "/follow.js": { file: "follow.js", type: "text/javascript; charset=utf-8" },
  "/follow.css": { file: "follow.css", type: "text/css; charset=utf-8" },
};
const PAGE = /^\/t\/([A-Za-z0-9_-]+)(\.json)?$/;

export interface FollowServerOptions {
  core: QueueCore;
  /** The built pages (dist/web): follow.html, follow.js, follow.css. */
  webRoot: string;
  rateLimit: { perMinute: number; burst: number };
  /** Milliseconds that only go forward (the rate limiter's clock); default performance.now. */
  monotonic?: () => number;
}

export function createFollowServer(options: FollowServerOptions): Server {
  const lookup = new FollowLookup(options.core);
  const limiter = new RateLimiter(options.rateLimit.perMinute, options.rateLimit.burst, options.monotonic);
  const files = new Map<string, Buffer>();
  const asset = async (file: string): Promise<Buffer | null> => {
    const cached = files.get(file);
    if (cached) return cached;
    const body = await readFile(join(options.webRoot, file)).catch(() => null);
    if (body) files.set(file, body);
    return body;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    const client = clientKey(req.socket.remoteAddress);
    if (!limiter.take(client)) {
      res.setHeader("retry-after", String(limiter.retryAfter(client)));
      return send(res, 429, "text/plain; charset=utf-8", "too many requests\n");
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.setHeader("allow", "GET, HEAD");
      return send(res, 405, "text/plain; charset=utf-8", "method not allowed\n");
    }
    // The raw path, never decoded: only the exact shapes below are answered.
    const path = (req.url ?? "/").split("?")[0] as string;
    const known = ASSETS[path];
    if (known) return sendAsset(req, res, await asset(known.file), known.type, "max-age=300");
    const match = PAGE.exec(path);
    const token = match?.[1];
    if (token === undefined || !TOKEN_PATTERN.test(token)) return notFound(res);
    if (!match?.[2]) {
      // The same page for every token: it asks for the status itself.
      return sendAsset(req, res, await asset("follow.html"), "text/html; charset=utf-8", "no-cache");
    }
    const status = lookup.status(token);
    const body = `${JSON.stringify(status)}\n`;
    const wait = MIN_ANSWER_MS - (performance.now() - started);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    res.setHeader("cache-control", "no-store");
    return send(res, status.state === "invalid" ? 404 : 200, "application/json; charset=utf-8", body, req);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, "text/plain; charset=utf-8", "internal error\n");
      else res.destroy();
    });
  });
  // No WebSocket, no CONNECT tunnel: MQTT is not reachable through this port.
  server.on("upgrade", (_req, socket) => socket.destroy());
  server.on("connect", (_req, socket) => socket.destroy());
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;
  return server;
}

const FOLLOW_HEADERS = { ...SECURITY_HEADERS, "cross-origin-resource-policy": "same-origin" };

function send(res: ServerResponse, status: number, type: string, body: string, req?: IncomingMessage): void {
  res.writeHead(status, {
    ...FOLLOW_HEADERS,
    "content-type": type,
    "content-length": Buffer.byteLength(body),
  });
  res.end(req?.method === "HEAD" ? undefined : body);
}

function notFound(res: ServerResponse): void {
  send(res, 404, "text/plain; charset=utf-8", "not found\n");
}

function sendAsset(
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer | null,
  type: string,
  cacheControl: string,
): void {
  if (!body) {
    send(res, 503, "text/plain; charset=utf-8", "the follow page is not built: npm run build\n");
    return;
  }
  res.writeHead(200, {
    ...FOLLOW_HEADERS,
    "content-type": type,
    "content-length": body.length,
    "cache-control": cacheControl,
  });
  res.end(req.method === "HEAD" ? undefined : body);
}
