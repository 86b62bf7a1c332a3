// The ESC/POS driver when the link fails: unplugged (mock serial, TCP), a printer that stops
// answering, and the reopen schedule (fake timers: the driver's timers are injected).
import { createServer } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { EscPosPrinter } from "../../device/printer/escpos-printer.js";
import type { ByteTransport } from "../../device/transport.js";
import { tcpTransport } from "../../device/transports/tcp.js";
import { profileById } from "../../protocols/escpos/profiles.js";
import { serveVirtualPrinterTcp } from "../../simulators/printer/attach.js";
import { recordingHealthSink, waitFor } from "./support/health.js";
import {
  makeDriver,
  mockSerialRig,
  printerFor,
  type Rig,
  startedUntilOk,
  ticketBytes,
} from "./support/printer-harness.js";

const EPSON = "epson-tm-t20iii";

let rig: Rig | undefined;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await rig?.dispose();
  rig = undefined;
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  vi.useRealTimers();
});

describe("EscPosPrinter: link failures", () => {
  it("goes offline when the serial adapter is unplugged, reconnects and prints when it is back", async () => {
    rig = await startedUntilOk(await mockSerialRig(EPSON));
    rig.mock!.unplug(rig.mock!.opened[0]!);
    await waitFor(() => rig!.health.active.get("PRINTER_OFFLINE") === "critical", "PRINTER_OFFLINE");
    expect(rig.health.calls).toContainEqual(expect.objectContaining({ kind: "report", status: "offline" }));
    // The mock port can be opened again at once: the driver's backoff brings it back.
    await waitFor(() => !rig!.health.active.has("PRINTER_OFFLINE"), "PRINTER_OFFLINE cleared");
    expect(rig.driver.stats().reconnects).toBeGreaterThanOrEqual(1);
    expect(await rig.driver.print({ id: "0002", bytes: ticketBytes("A002") })).toMatchObject({ ok: true });
  });

  it("keeps a paper alert steady across a reconnect (no clear and raise again)", async () => {
    rig = await startedUntilOk(await mockSerialRig("generic-58mm"));
    rig.printer.setPaperOut(true);
    await waitFor(() => rig!.health.active.has("PAPER_OUT"), "PAPER_OUT");
    rig.mock!.unplug(rig.mock!.opened[0]!);
    await waitFor(() => rig!.health.active.has("PRINTER_OFFLINE"), "offline");
    await waitFor(() => !rig!.health.active.has("PRINTER_OFFLINE"), "back");
    await waitFor(
      () => rig!.driver.status().raw.dleEot4 !== undefined && rig!.mock!.opened.length === 2,
      "polled",
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(rig.health.calls.filter((c) => c.kind !== "report" && c.code === "PAPER_OUT")).toEqual([
      expect.objectContaining({ kind: "raise", code: "PAPER_OUT" }),
    ]);
    expect(rig.driver.status().state).toBe("paper_out");
  });

  it("counts a silent printer as no_answer, then offline after three, and comes back", async () => {
    rig = await startedUntilOk(await mockSerialRig(EPSON));
    rig.printer.setVanished(true);
    await waitFor(() => rig!.health.last()?.faults.includes("no_answer") === true, "no_answer fault");
    expect(rig.health.last()?.status).toBe("degraded");
    await waitFor(() => rig!.health.active.has("PRINTER_OFFLINE"), "PRINTER_OFFLINE after three");
    expect(rig.driver.status().state).toBe("offline");
    const refused = await rig.driver.print({ id: "0001", bytes: ticketBytes("A001") });
    expect(refused).toMatchObject({ ok: false, reason: "offline" });
    rig.printer.setVanished(false);
    await waitFor(() => rig!.health.last()?.status === "ok", "ok again");
    expect(rig.health.active.size).toBe(0);
    expect(rig.driver.stats().noAnswers).toBeGreaterThanOrEqual(3);
    expect(await rig.driver.print({ id: "0002", bytes: ticketBytes("A002") })).toMatchObject({ ok: true });
  });

  it("over TCP: confirms, goes offline when the printer's server goes, reconnects when it returns", async () => {
    const printer = printerFor(EPSON);
    let server = await serveVirtualPrinterTcp(printer);
    const port = server.port;
    const transport = tcpTransport({ host: "127.0.0.1", port, connectTimeoutMs: 200 });
    const { driver, health } = makeDriver(transport, EPSON);
    cleanups.push(async () => {
      await driver.stop();
      await server.close();
    });
    driver.start();
    await waitFor(() => health.last()?.status === "ok", "ok over tcp");
    expect(await driver.print({ id: "0001", bytes: ticketBytes("A001") })).toEqual({
      ok: true,
      confirmedBy: "process_id",
    });
    await server.close();
    await waitFor(() => health.active.has("PRINTER_OFFLINE"), "PRINTER_OFFLINE");
    expect(health.last()).toEqual({ status: "offline", faults: ["unreachable"] });
    const started = Date.now();
    expect(await driver.print({ id: "0002", bytes: ticketBytes("A002") })).toMatchObject({
      ok: false,
      reason: "offline",
    });
    expect(Date.now() - started).toBeLessThan(20); // fails fast, never blocks the kiosk
    await new Promise((resolve) => setTimeout(resolve, 150)); // a few refused reconnects
    server = await serveVirtualPrinterTcp(printer, { port });
    await waitFor(() => !health.active.has("PRINTER_OFFLINE"), "reconnected");
    expect(await driver.print({ id: "0003", bytes: ticketBytes("A003") })).toMatchObject({ ok: true });
    expect(printer.tickets()).toHaveLength(2);
  });

  it("over TCP: a connection the printer accepts but never answers on counts as offline", async () => {
    const sockets: import("node:net").Socket[] = [];
    const server = createServer((socket) => {
      sockets.push(socket);
      socket.on("error", () => {});
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : 0;
    const { driver, health } = makeDriver(tcpTransport({ host: "127.0.0.1", port }), EPSON);
    cleanups.push(async () => {
      await driver.stop();
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    });
    driver.start();
    await waitFor(() => driver.stats().noAnswers >= 3, "three unanswered queries");
    expect(health.active.get("PRINTER_OFFLINE")).toBe("critical");
    expect(driver.status().state).toBe("offline");
  });
});

describe("EscPosPrinter: supervision timing (fake timers)", () => {
  function failingTransport(opens: number[]): ByteTransport {
    return {
      description: "fake",
      async open() {
        opens.push(Date.now());
        throw new Error("no serial port /dev/ttyUSB9");
      },
      write: async () => {},
      close: async () => {},
      onData: () => {},
      onClose: () => {},
    };
  }

  it("keeps reopening for ever with capped, jittered backoff, and never throws", async () => {
    vi.useFakeTimers({ now: 0 });
    const opens: number[] = [];
    const health = recordingHealthSink();
    const driver = new EscPosPrinter({
      id: "kiosk-2",
      transport: failingTransport(opens),
      profile: profileById(EPSON),
      health,
      random: () => 1, // the top of the jitter range: the delays are the ceilings
    });
    driver.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(health.active.get("PRINTER_OFFLINE")).toBe("critical");
    expect(health.last()).toEqual({ status: "offline", faults: ["unreachable"] });
    expect(health.calls.find((c) => c.kind === "raise")).toMatchObject({
      message: expect.stringContaining("no serial port /dev/ttyUSB9"),
    });
    await vi.advanceTimersByTimeAsync(120_000);
    const gaps = opens.slice(1).map((t, i) => t - (opens[i] ?? 0));
    expect(gaps.slice(0, 6)).toEqual([500, 1000, 2000, 4000, 8000, 16000]);
    expect(Math.max(...gaps)).toBe(30_000);
    expect(await driver.print({ id: "0001", bytes: ticketBytes("A001") })).toMatchObject({
      ok: false,
      reason: "offline",
    });
    await driver.stop();
    const count = opens.length;
    await vi.advanceTimersByTimeAsync(120_000);
    expect(opens).toHaveLength(count); // stop() ends the reopening
    expect(health.calls.filter((c) => c.kind === "raise")).toHaveLength(1); // raised once, not per attempt
  });
});
