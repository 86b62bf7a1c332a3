// A driver wired to a VirtualPrinter over a transport, with small timeouts so tests stay fast.
import { SerialPortMock } from "serialport";
import { EscPosPrinter, type EscPosPrinterOptions } from "../../../device/printer/escpos-printer.js";
import type { ByteTransport } from "../../../device/transport.js";
import { serialTransport } from "../../../device/transports/serial.js";
import { cut, initialize } from "../../../protocols/escpos/commands.js";
import { profileById } from "../../../protocols/escpos/profiles.js";
import { attachVirtualPrinterToMockPort } from "../../../simulators/printer/attach.js";
import { VirtualPrinter, type VirtualPrinterOptions } from "../../../simulators/printer/virtual-printer.js";
import { type RecordingHealthSink, recordingHealthSink, waitFor } from "./health.js";
import { type TrackingMockBinding, trackingMockBinding } from "./mock-serial.js";

export const FAST = {
  statusPollMs: 40,
  answerTimeoutMs: 80,
  barrierTimeoutMs: 400,
  backoffInitialMs: 20,
  backoffMaxMs: 80,
  random: () => 0.5,
} satisfies Partial<EscPosPrinterOptions>;

/** A ticket as the layout would send it: initialise, text, cut. */
export function ticketBytes(text: string): Uint8Array {
  const body = new TextEncoder().encode(`${text}\n`);
  const parts = [initialize(), body, cut()];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** What the virtual printer should be for a profile: the epson one has process id and ASB. */
export function printerFor(profileId: string, extra: VirtualPrinterOptions = {}): VirtualPrinter {
  const profile = profileById(profileId);
  return new VirtualPrinter({ processId: profile.processId, asb: profile.asb, ...extra });
}

export interface Rig {
  printer: VirtualPrinter;
  driver: EscPosPrinter;
  health: RecordingHealthSink;
  transport: ByteTransport;
  /** Present for the mock serial rig. */
  mock?: TrackingMockBinding;
  dispose(): Promise<void>;
}

export function makeDriver(
  transport: ByteTransport,
  profileId: string,
  options: Partial<EscPosPrinterOptions> = {},
): { driver: EscPosPrinter; health: RecordingHealthSink } {
  const health = recordingHealthSink();
  const driver = new EscPosPrinter({
    id: "kiosk-1",
    transport,
    profile: profileById(profileId),
    health,
    ...FAST,
    ...options,
  });
  return { driver, health };
}

let mockPorts = 0;

/** VirtualPrinter behind SerialPortMock; the driver opens it through serialTransport. */
export async function mockSerialRig(
  profileId: string,
  printerOptions: VirtualPrinterOptions = {},
  driverOptions: Partial<EscPosPrinterOptions> = {},
): Promise<Rig> {
  const printer = printerFor(profileId, printerOptions);
  const path = `/dev/ttyVP${mockPorts++}`;
  const attachment = await attachVirtualPrinterToMockPort(printer, path);
  const mock = trackingMockBinding();
  const transport = serialTransport({ path, baudRate: 115200, binding: mock.binding });
  const { driver, health } = makeDriver(transport, profileId, driverOptions);
  return {
    printer,
    driver,
    health,
    transport,
    mock,
    async dispose() {
      await driver.stop();
      await attachment.close();
      SerialPortMock.binding.reset();
    },
  };
}

export async function startedUntilOk(rig: Rig): Promise<Rig> {
  rig.driver.start();
  await waitFor(() => rig.driver.status().state === "ok" && rig.health.last()?.status === "ok", "printer ok");
  return rig;
}
