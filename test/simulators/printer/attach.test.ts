// Transports run on real timers: fake ones break serialport's promises.

import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SerialPort, SerialPortMock } from "serialport";
import { afterEach, describe, expect, it } from "vitest";
import { dleEot, processIdRequest } from "../../../protocols/escpos/commands.js";
import {
  attachVirtualPrinterToMockPort,
  attachVirtualPrinterToPath,
  serveVirtualPrinterTcp,
} from "../../../simulators/printer/attach.js";
import { VirtualPrinter } from "../../../simulators/printer/virtual-printer.js";
import { bytes, ticketBytes } from "./fixtures.js";

/** Collects what a stream delivers and resolves once `count` bytes have arrived. */
function reader(stream: { on(event: "data", fn: (b: Buffer) => void): unknown }) {
  const got: number[] = [];
  let waiter: (() => void) | undefined;
  let want = 0;
  stream.on("data", (b: Buffer) => {
    got.push(...b);
    if (waiter && got.length >= want) waiter();
  });
  return (count: number): Promise<number[]> =>
    new Promise((resolve, reject) => {
      const timeout = setTimeout(() => reject(new Error(`got ${got.length} of ${count} bytes`)), 3000);
      want = count;
      waiter = () => {
        clearTimeout(timeout);
        resolve(got.splice(0, count));
      };
      if (got.length >= count) waiter();
    });
}

const PROCESS_ID_REPLY = [0x37, 0x22, 0x30, 0x30, 0x30, 0x31, 0x00];

describe("serveVirtualPrinterTcp", () => {
  it("serves a plain socket, and a new connection replaces the old", async () => {
    const printer = new VirtualPrinter();
    const server = await serveVirtualPrinterTcp(printer);
    const connect = async (): Promise<Socket> => {
      const socket = new Socket();
      await new Promise<void>((resolve) => socket.connect(server.port, "127.0.0.1", resolve));
      return socket;
    };
    try {
      const first = await connect();
      const read = reader(first);
      first.write(dleEot(1));
      expect(await read(1)).toEqual([0x12]);
      first.write(bytes(ticketBytes("epson-tm-t20iii"), processIdRequest("0001")));
      expect(await read(7)).toEqual(PROCESS_ID_REPLY);
      expect(printer.tickets()).toHaveLength(1);

      const closed = new Promise<void>((resolve) => first.on("close", () => resolve()));
      const second = await connect();
      await closed;
      const read2 = reader(second);
      second.write(dleEot(4));
      expect(await read2(1)).toEqual([0x12]);
      second.destroy();
    } finally {
      await server.close();
    }
  });
});

describe("attachVirtualPrinterToMockPort", () => {
  afterEach(() => SerialPortMock.binding.reset());

  it("answers a host that opens SerialPortMock at the same path", async () => {
    const printer = new VirtualPrinter();
    const attachment = await attachVirtualPrinterToMockPort(printer, "/dev/ttyVPRINTER");
    const host = new SerialPortMock({ path: "/dev/ttyVPRINTER", baudRate: 19200, autoOpen: false });
    await new Promise<void>((resolve, reject) => host.open((err) => (err ? reject(err) : resolve())));
    const read = reader(host);
    try {
      host.write(dleEot(1));
      expect(await read(1)).toEqual([0x12]);
      printer.setPaperOut(true);
      host.write(dleEot(4));
      expect(await read(1)).toEqual([0x72]);
      host.write(bytes(ticketBytes("pos-5890"), processIdRequest("0001")));
      await new Promise((r) => setTimeout(r, 20));
      expect(printer.tickets()).toHaveLength(0);
      printer.setPaperOut(false);
      expect(await read(7)).toEqual(PROCESS_ID_REPLY);
      expect(printer.tickets()).toHaveLength(1);
    } finally {
      await new Promise<void>((resolve) => host.close(() => resolve()));
      await attachment.close();
    }
  });
});

const hasSocat = ((): boolean => {
  try {
    execFileSync("socat", ["-V"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!hasSocat)("attachVirtualPrinterToPath (socat pty pair)", () => {
  let socat: ChildProcess | undefined;
  let dir: string | undefined;
  afterEach(() => {
    socat?.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("answers over a real serial line", async () => {
    dir = mkdtempSync(join(tmpdir(), "vooru-pty-"));
    const [a, b] = [join(dir, "printer"), join(dir, "host")];
    socat = spawn("socat", [`pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], { stdio: "ignore" });
    for (let i = 0; i < 100 && !(existsSync(a) && existsSync(b)); i++)
      await new Promise((r) => setTimeout(r, 20));
    const printer = new VirtualPrinter();
    const attachment = await attachVirtualPrinterToPath(printer, a, 19200);
    const host = new SerialPort({ path: b, baudRate: 19200, autoOpen: false });
    await new Promise<void>((resolve, reject) => host.open((err) => (err ? reject(err) : resolve())));
    const read = reader(host);
    try {
      host.write(dleEot(2));
      expect(await read(1)).toEqual([0x12]);
      host.write(bytes(ticketBytes("epson-tm-t88vi"), processIdRequest("0001")));
      expect(await read(7)).toEqual(PROCESS_ID_REPLY);
    } finally {
      await new Promise<void>((resolve) => host.close(() => resolve()));
      await attachment.close();
    }
  });
});
