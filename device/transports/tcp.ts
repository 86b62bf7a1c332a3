// Raw TCP (port 9100, "JetDirect") to a network printer or a serial-to-Ethernet adapter.

import { createConnection, type Socket } from "node:net";
import type { ByteTransport } from "../transport.js";

export interface TcpTransportOptions {
  host: string;
  port?: number;
  connectTimeoutMs?: number;
  /** TCP keep-alive notices a printer that lost power without closing the connection. */
  keepAlive?: boolean;
}

export function tcpTransport(options: TcpTransportOptions): ByteTransport {
  const { host, port = 9100, connectTimeoutMs = 5000, keepAlive = true } = options;
  const address = `${host}:${port}`;
  const description = `tcp ${address}`;
  const dataHandlers: ((chunk: Uint8Array) => void)[] = [];
  const closeHandlers: ((error?: Error) => void)[] = [];
  let socket: Socket | null = null;

  const lost = (s: Socket, error: Error) => {
    if (socket !== s) return; // closed on purpose, or already reported
    socket = null;
    s.destroy();
    for (const handler of closeHandlers) handler(error);
  };

  return {
    description,

    async open() {
      if (socket) return;
      const s = await new Promise<Socket>((resolve, reject) => {
        const attempt = createConnection({ host, port });
        const timer = setTimeout(() => {
          attempt.destroy();
          reject(new Error(`no answer from printer at ${address} within ${connectTimeoutMs} ms`));
        }, connectTimeoutMs);
        attempt.once("connect", () => {
          clearTimeout(timer);
          attempt.removeAllListeners("error");
          resolve(attempt);
        });
        attempt.once("error", (error: NodeJS.ErrnoException) => {
          clearTimeout(timer);
          attempt.destroy();
          reject(new Error(describeConnectError(error, address)));
        });
      });
      s.setNoDelay(true); // a status query is 3 bytes: send it now, not after Nagle's wait
      if (keepAlive) s.setKeepAlive(true, 10_000);
      socket = s;
      s.on("data", (chunk: Buffer) => {
        for (const handler of dataHandlers) handler(chunk);
      });
      s.on("error", (error) => lost(s, error));
      s.on("end", () => lost(s, new Error(`${address} closed the connection`)));
      s.on("close", () => lost(s, new Error(`connection to ${address} lost`)));
    },

    write(bytes) {
      const s = socket;
      if (!s) return Promise.reject(new Error(`${description} is not open`));
      return new Promise<void>((resolve, reject) => {
        s.write(bytes, (error) => (error ? reject(error) : resolve()));
      });
    },

    async close() {
      const s = socket;
      socket = null;
      if (!s || s.destroyed) return;
      await new Promise<void>((resolve) => {
        s.once("close", () => resolve());
        s.destroy();
      });
    },

    onData(handler) {
      dataHandlers.push(handler);
    },
    onClose(handler) {
      closeHandlers.push(handler);
    },
  };
}

function describeConnectError(error: NodeJS.ErrnoException, address: string): string {
  switch (error.code) {
    case "ECONNREFUSED":
      return `printer at ${address} refused the connection`;
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return `printer at ${address} is unreachable`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `unknown printer host in ${address}`;
    default:
      return `cannot connect to ${address}: ${error.message}`;
  }
}
