import { createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { tcpTransport } from "../../device/transports/tcp.js";
import { waitFor } from "./support/health.js";

interface TestServer {
  server: Server;
  port: number;
  sockets: Socket[];
  received: number[];
}

async function listen(): Promise<TestServer> {
  const sockets: Socket[] = [];
  const received: number[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    socket.on("data", (chunk: Buffer) => received.push(...chunk));
    socket.on("error", () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return { server, port, sockets, received };
}

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((resolve) => s.close(resolve));
});

describe("tcpTransport", () => {
  it("opens, writes, reads and closes without reporting a loss", async () => {
    const srv = await listen();
    servers.push(srv.server);
    const transport = tcpTransport({ host: "127.0.0.1", port: srv.port });
    expect(transport.description).toBe(`tcp 127.0.0.1:${srv.port}`);
    const data: number[] = [];
    const closes: (Error | undefined)[] = [];
    transport.onData((chunk) => data.push(...chunk));
    transport.onClose((error) => closes.push(error));
    await transport.open();
    await transport.write(Uint8Array.of(0x10, 0x04, 0x01));
    await waitFor(() => srv.received.length === 3, "bytes at the server");
    expect(srv.received).toEqual([0x10, 0x04, 0x01]);
    srv.sockets[0]!.write(Uint8Array.of(0x12));
    await waitFor(() => data.length === 1, "bytes from the server");
    expect(data).toEqual([0x12]);
    await transport.close();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(closes).toEqual([]);
    await expect(transport.write(Uint8Array.of(1))).rejects.toThrow(/not open/);
  });

  it("reports the far end closing the connection, and can open again", async () => {
    const srv = await listen();
    servers.push(srv.server);
    const transport = tcpTransport({ host: "127.0.0.1", port: srv.port });
    const closes: (Error | undefined)[] = [];
    transport.onClose((error) => closes.push(error));
    await transport.open();
    await waitFor(() => srv.sockets.length === 1, "connection");
    srv.sockets[0]!.destroy();
    await waitFor(() => closes.length === 1, "onClose");
    expect(closes[0]).toBeInstanceOf(Error);
    await transport.open();
    await transport.write(Uint8Array.of(7));
    await waitFor(() => srv.received.includes(7), "bytes after reopening");
    await transport.close();
    expect(closes).toHaveLength(1);
  });

  it("rejects open with a readable message when nobody listens", async () => {
    const srv = await listen();
    const port = srv.port;
    await new Promise((resolve) => srv.server.close(resolve));
    const transport = tcpTransport({ host: "127.0.0.1", port, connectTimeoutMs: 1000 });
    await expect(transport.open()).rejects.toThrow(`printer at 127.0.0.1:${port} refused the connection`);
  });
});
