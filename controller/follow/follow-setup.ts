// The follow room from the config: its listener, and the base URL the tickets' QR codes carry.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { networkInterfaces } from "node:os";
import { listenError } from "../config/port-error.js";
import type { Logger } from "../health/log.js";
import type { QueueCore } from "../queue/core/queue.js";
import type { FollowConfig } from "./follow-schema.js";
import { createFollowServer } from "./follow-server.js";

export interface FollowSetup {
  /** What the QR carries before /t/<token>. */
  publicUrl: string;
  /** The listener's own address, e.g. http://127.0.0.1:8090. */
  url: string;
  stop(): Promise<void>;
}

/** The address a phone on the office's network reaches a wildcard listener at: its first IPv4. */
function reachableHost(host: string): string {
  if (host !== "0.0.0.0" && host !== "::") return host.includes(":") ? `[${host}]` : host;
  for (const addresses of Object.values(networkInterfaces()))
    for (const a of addresses ?? []) if (a.family === "IPv4" && !a.internal) return a.address;
  return "127.0.0.1";
}

export async function setupFollow(options: {
  config: FollowConfig;
  core: QueueCore;
  webRoot: string;
  log: Logger;
  /** Overrides config.port (0: any free port). */
  port?: number;
}): Promise<FollowSetup> {
  const { config } = options;
  const server: Server = createFollowServer({
    core: options.core,
    webRoot: options.webRoot,
    rateLimit: config.rateLimit,
  });
  const wanted = options.port ?? config.port;
  const port = await new Promise<number>((resolve, reject) => {
    const failed = (error: Error) =>
      reject(
        listenError(error, {
          what: "the follow page",
          host: config.host,
          port: wanted,
          setting: "follow.port (or --follow-port)",
        }),
      );
    server.once("error", failed);
    server.listen(wanted, config.host, () => {
      server.off("error", failed);
      resolve((server.address() as AddressInfo).port);
    });
  });
  const url = `http://${reachableHost(config.host)}:${port}`;
  const publicUrl = config.publicUrl ?? url;
  options.log.info(`follow page: ${publicUrl}/t/<token> (listening on ${config.host}:${port})`);
  return {
    publicUrl,
    url,
    stop: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
