// The node's print desk (dedupe, one job at a time, never late), the edge clock, and the node config.
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../controller/config/load.js";
import { EdgeClock } from "../../../controller/nodes/edge-clock.js";
import { parseNodeConfig } from "../../../controller/nodes/node-config.js";
import { NodePrintDesk } from "../../../controller/nodes/node-printing.js";
import type { PrintJob, PrintResult, TicketPrinterDriver } from "../../../device/printer/types.js";
import { nodeConfig } from "./support.js";

function fakePrinter(): TicketPrinterDriver & { jobs: PrintJob[]; finish(result: PrintResult): void } {
  const waiting: Array<(r: PrintResult) => void> = [];
  const jobs: PrintJob[] = [];
  return {
    id: "kiosk-2",
    jobs,
    status: () => ({ state: "ok", raw: {}, lastSeen: null }),
    print(job) {
      jobs.push(job);
      return new Promise((resolve) => waiting.push(resolve));
    },
    finish(result) {
      waiting.shift()?.(result);
    },
    start() {},
    async stop() {},
  };
}

const request = (requestId: string, startWithinMs = 5000) => ({
  requestId,
  printer: "kiosk-2",
  job: "0001",
  bytes: Buffer.from("ticket").toString("base64"),
  startWithinMs,
});

describe("NodePrintDesk", () => {
  it("prints a repeated requestId once and answers it twice alike", async () => {
    const printer = fakePrinter();
    const desk = new NodePrintDesk(new Map([["kiosk-2", printer]]));
    const first = desk.handle(request("r1"));
    const again = desk.handle(request("r1"));
    await new Promise((r) => setImmediate(r));
    expect(printer.jobs).toHaveLength(1);
    expect(Buffer.from(printer.jobs[0]?.bytes ?? []).toString()).toBe("ticket");
    printer.finish({ ok: true, confirmedBy: "process_id" });
    expect(await first).toEqual({ requestId: "r1", printer: "kiosk-2", ok: true, confirmedBy: "process_id" });
    expect(await again).toEqual(await first);
  });

  it("runs one job at a time per printer and refuses one that could not start in time", async () => {
    let now = 0;
    const printer = fakePrinter();
    const desk = new NodePrintDesk(new Map([["kiosk-2", printer]]), () => now);
    const first = desk.handle(request("a"));
    const second = desk.handle(request("b", 1000));
    await new Promise((r) => setImmediate(r));
    expect(printer.jobs).toHaveLength(1);
    now = 2000; // the first took 2 s: the second's controller has given up on it by now
    printer.finish({ ok: true, confirmedBy: "gs_r" });
    expect((await first).ok).toBe(true);
    expect(await second).toMatchObject({ ok: false, reason: "timeout" });
    expect(printer.jobs).toHaveLength(1);
  });

  it("answers an unknown printer as offline and passes the driver's failure on", async () => {
    const printer = fakePrinter();
    const desk = new NodePrintDesk(new Map([["kiosk-2", printer]]));
    expect(await desk.handle({ ...request("x"), printer: "nope" })).toMatchObject({
      ok: false,
      reason: "offline",
    });
    const failing = desk.handle(request("y"));
    await new Promise((r) => setImmediate(r));
    printer.finish({ ok: false, reason: "paper_out", detail: "no paper" });
    expect(await failing).toEqual({
      requestId: "y",
      printer: "kiosk-2",
      ok: false,
      reason: "paper_out",
      detail: "no paper",
    });
  });
});

describe("EdgeClock", () => {
  it("keeps the node's spacing, never maps into the future, and re-anchors when edges come late", () => {
    const clock = new EdgeClock(1000);
    expect(clock.map(100, 50_000)).toBe(50_000);
    expect(clock.map(130, 50_040)).toBe(50_030); // 10 ms slower delivery: spacing kept
    expect(clock.map(200, 50_090)).toBe(50_090); // would be in the future: re-anchored
    expect(clock.map(300, 55_000)).toBe(55_000); // 4.8 s late: re-anchored
    clock.reset();
    expect(clock.map(0, 7)).toBe(7);
  });
});

describe("node config", () => {
  it("accepts the test node's config and refuses a device on a node inside a node", () => {
    const config = nodeConfig("mqtt://127.0.0.1:1883");
    expect(parseNodeConfig(JSON.stringify(config)).node.id).toBe("hall-pi");
    const bad = structuredClone(config) as { devices: { printers: Array<{ transport: object }> } };
    if (bad.devices.printers[0]) bad.devices.printers[0].transport = { type: "node", node: "x" };
    expect(() => parseNodeConfig(JSON.stringify(bad))).toThrow(ConfigError);
    expect(() => parseNodeConfig(JSON.stringify({ ...config, extra: 1 }))).toThrow(/extra/);
  });
});

describe("examples/node.yaml", () => {
  it("is a valid node config", async () => {
    const { loadNodeConfig } = await import("../../../controller/nodes/node-config.js");
    const config = loadNodeConfig(new URL("../../../examples/node.yaml", import.meta.url).pathname);
    expect(config.devices.panels[0]?.id).toBe("kiosk-panel-2");
  });

  it("vooru node without --config is a usage mistake (exit 2)", async () => {
    const { main } = await import("../../../controller/cli/main.js");
    const { memoryLogger } = await import("../../../controller/health/log.js");
    const log = memoryLogger();
    expect(await main(["node"], log)).toBe(2);
    expect(log.lines.join("\n")).toContain("node needs --config");
  });
});

describe("the office config's nodes", () => {
  it("refuses a node user of a node no device is on, and a node id that is a device's", async () => {
    const { nodeOfficeConfig } = await import("./support.js");
    const users = [{ username: "n", password: "node-secret", role: "node" as const, node: "other-pi" }];
    expect(() => nodeOfficeConfig({ users }, "/tmp/x")).toThrow(/no device is on node/);
    const { officeConfig } = await import("../../support/office.js");
    expect(() =>
      officeConfig({
        devices: {
          printers: [
            { id: "kiosk-2", profile: "epson-tm-t20iii", transport: { type: "node", node: "kiosk-1" } },
            { id: "kiosk-1", profile: "epson-tm-t20iii", transport: { type: "simulated" } },
          ],
        },
      }),
    ).toThrow(/a device node needs an id of its own/);
    expect(() =>
      officeConfig({ mqtt: { users: [{ username: "n", password: "node-secret", role: "node" }] } }),
    ).toThrow(/names its node/);
  });
});
