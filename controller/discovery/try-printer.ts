// `vooru check --try-devices` for one ticket printer: open its transport with the real driver,
// let the driver's first full status poll (DLE EOT 1-4) run, and say what the printer answered;
// print a test ticket only when asked. The driver is stopped before the next device is tried.

import type { DeviceHealthSink } from "../../device/health.js";
import { EscPosPrinter } from "../../device/printer/escpos-printer.js";
import { createPrinterTransport } from "../../device/printer/index.js";
import type { PrinterState } from "../../device/printer/types.js";
import { profileById } from "../../protocols/escpos/profiles.js";
import type { OfficeConfig } from "../config/schema.js";
import type { PrinterConfig } from "../printing/printer-schema.js";
import { encodeTicket } from "../printing/ticket-layout.js";
import type { DeviceTrial } from "./trial.js";
import { sleep, until } from "./trial.js";

const STATE_RESULT: Record<PrinterState, { status: DeviceTrial["status"]; what: string }> = {
  ok: { status: "ok", what: "ready: online, paper ok, cover closed" },
  paper_low: { status: "warning", what: "ready, but the paper roll is near its end" },
  paper_out: { status: "failed", what: "out of paper" },
  cover_open: { status: "failed", what: "cover open" },
  error: { status: "failed", what: "printer error (cutter jam or unrecoverable error)" },
  offline: { status: "failed", what: "offline" },
};

export function printerTarget(t: PrinterConfig["transport"]): string {
  switch (t.type) {
    case "serial":
      return `serial ${t.path} @ ${t.baudRate}`;
    case "tcp":
      return `tcp ${t.host}:${t.port}`;
    case "usb":
      return `usb ${t.path}`;
    case "simulated":
      return "simulated";
    case "node":
      return `node ${t.node}`;
  }
}

export interface TryPrinterOptions {
  /** Print a test ticket after the status check. */
  testTicket?: boolean;
  /** How long the printer may take to open and answer the status poll. */
  timeoutMs?: number;
  clock?: () => number;
}

export async function tryPrinter(
  config: OfficeConfig,
  printer: PrinterConfig,
  options: TryPrinterOptions = {},
): Promise<DeviceTrial[]> {
  const base = { id: printer.id, kind: "printer", target: printerTarget(printer.transport) };
  const t = printer.transport;
  if (t.type === "simulated")
    return [{ ...base, status: "skipped", detail: "a simulated printer inside vooru: nothing to try" }];
  if (t.type === "node") return [{ ...base, status: "skipped", detail: `on device node ${t.node}` }];
  const clock = options.clock ?? Date.now;
  const profile = profileById(printer.profile);
  let unreachable: string | null = null;
  const sink: DeviceHealthSink = {
    report() {},
    raise(code, _severity, message) {
      // "offline" is also what a printer at paper end says of itself: only a dead link ends the wait.
      const link = /unreachable: (.*)$/s.exec(message);
      if (code === "PRINTER_OFFLINE" && link?.[1]) unreachable = link[1];
    },
    clear() {},
  };
  const driver = new EscPosPrinter({
    id: printer.id,
    transport: createPrinterTransport(t),
    profile,
    health: sink,
    clock,
    barrierTimeoutMs: printer.confirmTimeoutSeconds * 1000,
    // One attempt is what a check is about: no quick reconnects while we wait.
    backoffInitialMs: 60_000,
  });
  driver.start();
  try {
    // The first poll after opening asks DLE EOT 1..4; paper (4) comes last.
    const answered = await until(
      () => unreachable !== null || driver.status().raw.dleEot4 !== undefined,
      options.timeoutMs ?? 8000,
    );
    if (unreachable !== null) return [{ ...base, status: "failed", detail: unreachable }];
    if (!answered)
      return [
        {
          ...base,
          status: "failed",
          detail: "opened, but no answer to DLE EOT status queries (wrong baud rate or not ESC/POS?)",
        },
      ];
    const record = driver.status();
    const result = STATE_RESULT[record.state];
    const raw = Object.entries(record.raw)
      .map(([k, bytes]) => `${k} ${bytes.map((b) => b.toString(16).padStart(2, "0")).join(" ")}`)
      .join(", ");
    const trials: DeviceTrial[] = [{ ...base, status: result.status, detail: `${result.what} (${raw})` }];
    if (options.testTicket) trials.push(await printTestTicket(config, printer, driver, clock));
    return trials;
  } finally {
    await driver.stop();
    await sleep(0); // let the transport's close events settle before the next device opens
  }
}

async function printTestTicket(
  config: OfficeConfig,
  printer: PrinterConfig,
  driver: EscPosPrinter,
  clock: () => number,
): Promise<DeviceTrial> {
  const base = { id: printer.id, kind: "test ticket", target: printerTarget(printer.transport) };
  const now = clock();
  // The office's real layout (code pages, size, cut) with a number nobody will be called by.
  const bytes = encodeTicket(config, profileById(printer.profile), {
    ticket: { id: "test", number: "TEST", service: "", issuedAt: now },
    now,
  });
  const result = await driver.print({ id: "TEST", bytes });
  if (result.ok)
    return {
      ...base,
      status: "ok",
      detail: `printed and confirmed (${result.confirmedBy.replace("_", " ")})`,
    };
  return { ...base, status: "failed", detail: `${result.reason}: ${result.detail}` };
}
