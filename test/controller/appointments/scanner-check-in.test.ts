// Check-in by a simulated scanner at the kiosk of a running (demo-composed) office: the virtual
// scanner types the code as HID reports, the real driver reads them through the HID backend, and
// the office prints a ticket of the booked service at the scanner's printer, called at the
// appointment's time.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScannersSetup, ScanOutcome } from "../../../controller/appointments/scanners-setup.js";
import { lineText } from "../../../simulators/printer/ticket.js";
import type { VirtualScanner } from "../../../simulators/scanners/virtual-scanner.js";
import { MINUTE, T0 } from "../../support/office.js";
import { type Harness, startHarness } from "../../support/office-harness.js";

let h: Harness;
const now = T0;
let scanners: ScannersSetup;
let scanner: VirtualScanner;
const outcomes: ScanOutcome[] = [];

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  h = await startHarness({
    clock: () => now,
    config: {
      devices: {
        printers: [
          {
            id: "kiosk-1",
            profile: "epson-tm-t20iii",
            transport: { type: "simulated" },
            confirmTimeoutSeconds: 2,
          },
        ],
        scanners: [{ id: "scanner-1", printer: "kiosk-1", io: { type: "simulated" } }],
      },
      appointments: { earlyMinutes: 15, lateMinutes: 10, outsideWindow: "walk_in" },
    },
  });
  scanners = h.office.scanners;
  const virtual = h.office.simulated.scanners.get("scanner-1");
  if (!virtual) throw new Error("no virtual scanner-1");
  scanner = virtual;
  scanners.onScan((o) => outcomes.push(o));
  await until(() => scanners.scanners.get("scanner-1")?.connected === true, "the scanner");
});

afterAll(async () => {
  await h?.stop();
});

describe("check-in by a scanner", () => {
  it("prints a ticket of the booked service, called at the appointment's time", async () => {
    const at = T0 + 10 * MINUTE;
    expect(h.office.appointments.service.add("SCAN-0001", "benefits", at).ok).toBe(true);
    scanner.scan("scan-0001");
    await until(() => outcomes.length === 1, "the check-in");
    expect(outcomes[0]).toMatchObject({
      scanner: "scanner-1",
      scan: { ok: true, code: "SCAN-0001" },
      result: {
        ok: true,
        result: {
          window: "in_window",
          ticket: { service: "benefits", appointmentAt: new Date(at).toISOString() },
        },
      },
    });
    expect(h.office.appointments.store.get("SCAN-0001")).toMatchObject({
      state: "checked_in",
      number: "B001",
    });
    expect(h.office.queue.core.ticket("B001")).toMatchObject({
      printer: "kiosk-1",
      state: "waiting",
      appointmentAt: at,
    });
    expect(h.office.health.devices().find((d) => d.id === "scanner-1")?.status).toBe("ok");
  });

  it("outside the window with walk_in: a normal ticket; an unknown code and garbage are refused", async () => {
    expect(h.office.appointments.service.add("SCAN-0002", "pensions", T0 + 60 * MINUTE).ok).toBe(true);
    scanner.scan("SCAN-0002");
    await until(() => outcomes.length === 2, "the early check-in");
    expect(outcomes[1]).toMatchObject({ result: { ok: true, result: { window: "early", walkIn: true } } });
    expect(h.office.queue.core.ticket("A001")?.appointmentAt).toBeUndefined();
    const printer = h.office.simulated.printers.get("kiosk-1")?.printer;
    const printedBefore = printer?.tickets().length ?? 0;
    scanner.scan("NOPE-0001");
    await until(() => outcomes.length === 3, "the refusal");
    expect(outcomes[2]).toMatchObject({ result: { ok: false, error: { code: "APPOINTMENT_NOT_FOUND" } } });
    // The kiosk has no screen: the reason comes out on a slip, in the office's languages, no number.
    await until(() => (printer?.tickets().length ?? 0) > printedBefore, "the refusal slip");
    // The encoder wraps long lines at the paper's width.
    const slip = (printer?.tickets().at(-1)?.lines ?? []).map(lineText).join(" ").replace(/\s+/g, " ");
    expect(slip).toContain("NOPE-0001");
    expect(slip).toContain("No booking with this code. Please ask at the information desk.");
    scanner.sendRaw([0, 0, 0x38, 0, 0, 0, 0, 0]);
    scanner.scan("SCAN-0003");
    await until(() => outcomes.length === 4, "the unreadable scan");
    expect(outcomes[3]).toMatchObject({ scan: { ok: false } });
  });

  it("an unplugged scanner is offline, and back when plugged", async () => {
    scanner.unplug();
    await until(
      () => h.office.health.devices().find((d) => d.id === "scanner-1")?.status === "offline",
      "offline",
    );
    scanner.plug();
    await until(() => scanners.scanners.get("scanner-1")?.connected === true, "reconnected");
  });
});
