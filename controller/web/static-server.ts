// The office's web pages: the built files of web/ (dist/web) as static files, and /config.json,
// which tells a page the office id and where MQTT over WebSocket is. The pages then speak only
// the MQTT contract; this server has no other API. MQTT over WebSocket itself is the embedded
// broker's, on this server's upgrade requests at /mqtt.
import { createReadStream, existsSync } from "node:fs";
import { stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".map": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
};

export interface StaticSiteOptions {
  /** The built pages (dist/web). */
  root: string;
  office: string;
  /** Where MQTT over WebSocket is on this server. */
  mqttPath?: string;
  /** The file of an announcement clip ("et/letter-a"), served at /clips/<clip>.wav for the TV display. */
  clipFile?(clip: string): string | null;
  /** Served over HTTPS (mqtt.embedded.tls): every answer also says to come back only over HTTPS. */
  https?: boolean;
}

const CLIP_PATH = /^\/clips\/((?:common|et|en|ru)\/[a-z0-9-]{1,64})\.wav$/;

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>vooru</title>
<h1>vooru: the web pages are not built</h1>
<p>Run <code>npm run build</code> (or <code>npm start</code>, which builds them), then reload this page.
MQTT over WebSocket is at <code>/mqtt</code> already.</p>\n`;

/**
 * Sent with every answer: the pages load only their own scripts, styles, clips and MQTT over
 * WebSocket (same origin; mqtt.js keeps its timers in a blob: worker), and no other site may frame them (a staff page in a hidden frame could
 * be clicked through).
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy":
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self' blob:; " +
    "connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cross-origin-opener-policy": "same-origin",
};

/**
 * Sent over HTTPS only: browsers then open this host only over HTTPS for a year (no subdomains: the
 * office's other hosts are not ours to decide). Browsers ignore it on a certificate they do not trust.
 */
export const HSTS_HEADER = "max-age=31536000";

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    "content-type": type,
    "content-length": Buffer.byteLength(body),
  });
  res.end(body);
}

/**
 * The file a URL path names under root, or null when it would leave root (../, encoded or not,
 * backslashes, NUL) or is malformed. "/" is index.html; "/counter" is counter.html.
 */
export function resolveWebPath(root: string, urlPath: string): string | null {
  let path: string;
  try {
    path = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (path.includes("\0") || path.includes("\\")) return null;
  if (path.endsWith("/")) path += "index.html";
  const base = resolve(root);
  const file = resolve(base, `.${normalize(`/${path}`)}`);
  if (file !== base && !file.startsWith(base + sep)) return null;
  return extname(file) === "" ? `${file}.html` : file;
}

async function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  file: string,
  type: string,
  cacheControl: string,
): Promise<void> {
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) return send(res, 404, "text/plain; charset=utf-8", "not found\n");
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    "content-type": type,
    "content-length": info.size,
    "cache-control": cacheControl,
  });
  if (req.method === "HEAD") return void res.end();
  createReadStream(file)
    .on("error", () => res.destroy())
    .pipe(res);
}

export function staticSite(options: StaticSiteOptions) {
  const root = resolve(options.root);
  const config = JSON.stringify({ office: options.office, mqttPath: options.mqttPath ?? "/mqtt" });
  return (req: IncomingMessage, res: ServerResponse): void => {
    if (options.https) res.setHeader("strict-transport-security", HSTS_HEADER);
    void (async () => {
      if (req.method !== "GET" && req.method !== "HEAD") {
        res.setHeader("allow", "GET, HEAD");
        return send(res, 405, "text/plain; charset=utf-8", "method not allowed\n");
      }
      const url = new URL(req.url ?? "/", "http://localhost");
      if (url.pathname === "/config.json") {
        res.setHeader("cache-control", "no-store");
        return send(res, 200, TYPES[".json"] as string, `${config}\n`);
      }
      const clip = CLIP_PATH.exec(url.pathname)?.[1];
      if (clip !== undefined) {
        const file = options.clipFile?.(clip) ?? null;
        if (!file) return send(res, 404, "text/plain; charset=utf-8", "no such clip\n");
        return sendFile(req, res, file, "audio/wav", "max-age=3600");
      }
      if (!existsSync(join(root, "index.html")))
        return send(res, url.pathname === "/" ? 200 : 404, TYPES[".html"] as string, NOT_BUILT);
      const file = resolveWebPath(root, url.pathname);
      if (!file) return send(res, 404, "text/plain; charset=utf-8", "not found\n");
      // Pages change with each build; revalidating is cheap on loopback.
      return sendFile(req, res, file, TYPES[extname(file)] ?? "application/octet-stream", "no-cache");
    })().catch(() => {
      if (!res.headersSent) send(res, 500, "text/plain; charset=utf-8", "internal error\n");
      else res.destroy();
    });
  };
}
