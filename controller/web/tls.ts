// HTTPS for the web server (mqtt.embedded.tls): the pages over https:// and, on the same server's
// upgrade requests, MQTT over WebSocket over wss://. The files are read once, before anything
// starts: one that is missing, unreadable or no PEM certificate or key stops the start with its
// config path, its file and the reason (SetupError, exit 2).
import { X509Certificate } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { createServer as createHttpServer, type RequestListener, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { createSecureContext } from "node:tls";
import { osReason } from "../config/load.js";
import { SetupError } from "../config/setup-error.js";
import type { Logger } from "../health/log.js";
import type { WebTlsConfig } from "../mqtt/mqtt-schema.js";

const WHERE = "mqtt.embedded.tls";

/** What the HTTPS server is made with: the certificate chain (leaf first) and its key. */
export interface WebTlsMaterial {
  cert: Buffer;
  key: Buffer;
}

function tlsError(field: string, message: string): SetupError {
  return new SetupError("TLS_FILES", `${WHERE}${field ? `.${field}` : ""}: ${message}`);
}

function readPem(field: keyof WebTlsConfig, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw tlsError(field, `cannot read ${path}: ${osReason(error)}`);
  }
}

/** Runs `check`; an OpenSSL complaint becomes a SetupError naming the field and file. */
function checked<T>(field: string, what: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    throw tlsError(field, `${what}: ${(error as Error).message}`);
  }
}

/**
 * Reads and checks the certificate, its key and the optional intermediates. Warns (does not stop)
 * when the key can be read by others or the certificate has expired: the clock of a Pi without a
 * real-time clock may be wrong at boot.
 */
export function readWebTls(tls: WebTlsConfig, log: Logger, now = Date.now()): WebTlsMaterial {
  const leaf = readPem("cert", tls.cert);
  const key = readPem("key", tls.key);
  const intermediates = tls.ca === undefined ? null : readPem("ca", tls.ca);
  const x509 = checked("cert", `${tls.cert} is no PEM certificate`, () => new X509Certificate(leaf));
  if (intermediates && tls.ca !== undefined)
    checked("ca", `${tls.ca} is no PEM certificate`, () => new X509Certificate(intermediates));
  checked("key", `${tls.key} is no PEM private key (without a passphrase)`, () =>
    createSecureContext({ key }),
  );
  const cert = intermediates ? Buffer.concat([leaf, Buffer.from("\n"), intermediates]) : leaf;
  checked("", `the key ${tls.key} does not belong to the certificate ${tls.cert}`, () =>
    createSecureContext({ cert, key }),
  );
  const mode = statSync(tls.key).mode & 0o777;
  if ((mode & 0o077) !== 0)
    log.warn(`${WHERE}.key: ${tls.key} can be read by others (mode 0${mode.toString(8)}); chmod 600 it`);
  const validTo = Date.parse(x509.validTo);
  if (validTo < now)
    log.warn(`${WHERE}.cert: ${tls.cert} expired on ${x509.validTo}; browsers will refuse it`);
  log.info(
    `web: HTTPS with ${tls.cert} (${x509.subjectAltName ?? x509.subject.replace(/\n/g, ", ")}, until ${x509.validTo})`,
  );
  return { cert, key };
}

/** The pages' server: HTTPS with `tls`, plain HTTP without. Either is an http.Server for the broker. */
export function createWebServer(handler: RequestListener, tls: WebTlsMaterial | null): Server {
  return tls ? createHttpsServer({ cert: tls.cert, key: tls.key }, handler) : createHttpServer(handler);
}
