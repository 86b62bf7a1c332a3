// Transports run on real timers: fake ones break serialport's promises.

import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SerialPort, SerialPortMock } from "serialport";
import { afterEach, describe, expect, it } from "vitest";
import { VirtualAlphaSign } from "../../../simulators/boards/alpha-sign.js";
import {
  attachBoardBusToMockPort,
  attachBoardBusToPath,
  serveBoardBusTcp,
} from "../../../simulators/boards/attach.js";
import { VirtualModbusBus } from "../../../simulators/boards/modbus-bus.js";
import { ALPHA_HOLD_A123, SHOW_123, SHOW_A123, SHOW_A123_REPLY } from "./fixtures.js";

/** Collects what a stream delivers and resolves once `count` bytes have arrived. */
function reader(stream: { on(event: "data", fn: (b: Buffer) => void): unknown }) {
  const got: number[] = [];
  let waiter: (() => void) | undefined;
  let want = 0;
  stream.on("data", (b: Buffer) => {
    got.push(...b);
    if (waiter && got.length >= want) waiter();
  });
  return (count: number, timeoutMs = 3000): Promise<number[]> =>
    new Promise((resolve, reject) => {
      const timeout = setTimeout(() => reject(new Error(`got ${got.length} of ${count} bytes`)), timeoutMs);
      want = count;
      waiter = () => {
        clearTimeout(timeout);
        resolve(got.splice(0, count));
      };
      if (got.length >= count) waiter();
    });
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 150 && !condition(); i++) await new Promise((r) => setTimeout(r, 20));
  expect(condition()).toBe(true);
}

function twoModules(): VirtualModbusBus {
  const bus = new VirtualModbusBus();
  bus.addModule(1);
  bus.addModule(2);
  return bus;
}

describe("serveBoardBusTcp (RS-485-to-Ethernet gateway)", () => {
  it("passes a master's frames to the bus and the replies back", async () => {
    const bus = twoModules();
    const gateway = await serveBoardBusTcp(bus);
    const master = new Socket();
    await new Promise<void>((resolve) => master.connect(gateway.port, "127.0.0.1", resolve));
    const read = reader(master);
    try {
      master.write(SHOW_A123);
      expect(await read(SHOW_A123_REPLY.length)).toEqual([...SHOW_A123_REPLY]);
      master.write(SHOW_123);
      expect(await read(SHOW_123.length)).toEqual([...SHOW_123]);
      expect(bus.display(1)).toBe(" 123");
    } finally {
      master.destroy();
      await gateway.close();
    }
  });

  it("carries Alpha frames to a sign, which answers nothing", async () => {
    const sign = new VirtualAlphaSign();
    const gateway = await serveBoardBusTcp(sign);
    const master = new Socket();
    await new Promise<void>((resolve) => master.connect(gateway.port, "127.0.0.1", resolve));
    try {
      master.write(ALPHA_HOLD_A123);
      await until(() => sign.display().text === "A123");
    } finally {
      master.destroy();
      await gateway.close();
    }
  });
});

describe("attachBoardBusToMockPort", () => {
  afterEach(() => SerialPortMock.binding.reset());

  it("answers a master that opens SerialPortMock at the same path; a dead module stays silent", async () => {
    const bus = twoModules();
    const attachment = await attachBoardBusToMockPort(bus, "/dev/ttyVBOARDS");
    const master = new SerialPortMock({ path: "/dev/ttyVBOARDS", baudRate: 9600, autoOpen: false });
    await new Promise<void>((resolve, reject) => master.open((err) => (err ? reject(err) : resolve())));
    const read = reader(master);
    try {
      master.write(SHOW_A123);
      expect(await read(SHOW_A123_REPLY.length)).toEqual([...SHOW_A123_REPLY]);
      bus.setDead(1, true);
      master.write(SHOW_123);
      await expect(read(1, 150)).rejects.toThrow(/got 0 of 1/);
      expect(bus.stats()).toMatchObject({ frames: 2, replies: 1 });
    } finally {
      await new Promise<void>((resolve) => master.close(() => resolve()));
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

describe.skipIf(!hasSocat)("attachBoardBusToPath (socat pty pair)", () => {
  let socat: ChildProcess | undefined;
  let dir: string | undefined;
  afterEach(() => {
    socat?.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("answers over a real serial line", async () => {
    dir = mkdtempSync(join(tmpdir(), "vooru-pty-"));
    const [a, b] = [join(dir, "bus"), join(dir, "master")];
    socat = spawn("socat", [`pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], { stdio: "ignore" });
    for (let i = 0; i < 100 && !(existsSync(a) && existsSync(b)); i++)
      await new Promise((r) => setTimeout(r, 20));
    const bus = twoModules();
    const attachment = await attachBoardBusToPath(bus, a, 9600);
    const master = new SerialPort({ path: b, baudRate: 9600, autoOpen: false });
    await new Promise<void>((resolve, reject) => master.open((err) => (err ? reject(err) : resolve())));
    const read = reader(master);
    try {
      master.write(SHOW_A123);
      expect(await read(SHOW_A123_REPLY.length)).toEqual([...SHOW_A123_REPLY]);
      expect(bus.display(1)).toBe("A123");
    } finally {
      await new Promise<void>((resolve) => master.close(() => resolve()));
      await attachment.close();
    }
  });
});

describe("loading the board simulators", () => {
  it("does not load serialport until a serial attachment is used", () => {
    const script = `
      await import("./simulators/boards/attach.ts");
      await import("./simulators/boards/modbus-bus.ts");
      await import("./simulators/boards/alpha-sign.ts");
      await import("./simulators/boards/render.ts");
      const { createRequire } = await import("node:module");
      const cache = createRequire(import.meta.url).cache;
      console.log(Object.keys(cache).filter((k) => k.includes("serialport")).length);
    `;
    const out = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: process.cwd(),
      encoding: "utf8",
    });
    expect(out.trim()).toBe("0");
  });
});
