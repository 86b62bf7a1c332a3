// The kiosks' booking-code scanners (devices.scanners): each code scanned checks the customer in
// at the scanner's printer (AppointmentService.checkIn). A refusal (unknown code, outside the
// window with outsideWindow "refuse") has no screen to show it on: it is logged and given to the
// scan listeners, with the reason the desk would hear. HID scanners go through node-hid, loaded
// only when one is configured; simulated ones through the HID backend the composition hands in.

import type { HidBackend, HidMatch } from "../../device/panels/hid-backend.js";
import { nodeHidBackend } from "../../device/panels/node-hid-backend.js";
import { HidScanner } from "../../device/scanners/hid-scanner.js";
import type { ScannedCode } from "../../protocols/hid/scanner-keys.js";
import type { OfficeConfig } from "../config/schema.js";
import type { HealthBoard } from "../health/health-board.js";
import { healthSinkFor } from "../health/health-sink.js";
import type { Logger } from "../health/log.js";
import type { ActionResult } from "../queue/queue-service.js";
import type { AppointmentService } from "./appointment-service.js";

/**
 * The seam of simulated scanners (demo/simulated-devices.ts): the virtual HID device of a scanner
 * id, as the backend it sits on and what matches it. Optional: an office without it has none.
 */
export interface SimulatedScanners {
  connectScanner?(id: string): { backend: HidBackend; match: HidMatch };
}

export interface ScanOutcome {
  scanner: string;
  scan: ScannedCode;
  /** The check-in's answer; absent when the scan could not be read. */
  result?: ActionResult;
}

export interface ScannersSetup {
  scanners: Map<string, HidScanner>;
  onScan(listener: (outcome: ScanOutcome) => void): () => void;
  stop(): Promise<void>;
}

export async function setupScanners(options: {
  config: OfficeConfig;
  appointments: Pick<AppointmentService, "checkIn">;
  health: HealthBoard;
  log: Logger;
  clock: () => number;
  /** Where simulated scanners' virtual devices come from (the demo's, a test's). */
  simulated?: SimulatedScanners;
  /** The HID backend of real ones (node-hid by default). */
  hidBackend?: HidBackend;
  /** Prints a slip (not a ticket) at a printer: a refused scan's reason, for the customer. */
  printNotice?: (lines: readonly string[], printer: string) => Promise<unknown>;
  pollMs?: number;
}): Promise<ScannersSetup> {
  const { config, log } = options;
  const listeners = new Set<(outcome: ScanOutcome) => void>();
  const scanners = new Map<string, HidScanner>();
  const printers = new Set(config.devices.printers.map((p) => p.id));
  let realBackend: HidBackend | undefined = options.hidBackend;
  const tell = (outcome: ScanOutcome) => {
    for (const listener of listeners) listener(outcome);
  };
  for (const s of config.devices.scanners) {
    if (!printers.has(s.printer))
      log.warn(`scanner ${s.id}: no printer ${s.printer}; its check-ins will be refused`);
    let backend: HidBackend;
    let match: HidMatch;
    if (s.io.type === "simulated") {
      const virtual = options.simulated?.connectScanner?.(s.id);
      if (!virtual) {
        log.warn(`scanner ${s.id} is simulated, but this office has no simulated scanners: not started`);
        continue;
      }
      ({ backend, match } = virtual);
    } else {
      realBackend ??= nodeHidBackend();
      backend = realBackend;
      const { type: _type, reportId: _reportId, ...ids } = s.io;
      match = ids;
    }
    const scanner = new HidScanner({
      id: s.id,
      backend,
      match,
      health: healthSinkFor(options.health, s.id, "scanner"),
      clock: options.clock,
      ...(s.io.type === "hid" && s.io.reportId !== undefined ? { reportId: s.io.reportId } : {}),
      ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
      onCode: (scan) => {
        if (!scan.ok) {
          log.warn(`scanner ${s.id}: ${scan.reason}`);
          tell({ scanner: s.id, scan });
          return;
        }
        void options.appointments.checkIn(scan.code, s.printer).then((result) => {
          if (result.ok) log.info(`scanner ${s.id}: ${scan.code} checked in`);
          else {
            log.warn(`scanner ${s.id}: ${scan.code} refused: ${result.error.code}: ${result.error.message}`);
            const lines = refusalSlip(result.error.code, scan.code, config.office.languages);
            if (lines && options.printNotice)
              void options
                .printNotice(lines, s.printer)
                .catch((error: Error) =>
                  log.warn(`scanner ${s.id}: the refusal slip did not print: ${error.message}`),
                );
          }
          tell({ scanner: s.id, scan, result });
        });
      },
    });
    scanners.set(s.id, scanner);
    await scanner.start();
  }
  return {
    scanners,
    onScan(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop() {
      for (const scanner of scanners.values()) await scanner.stop();
    },
  };
}

/** What a refused check-in's slip says, per error code, in the office's languages. */
const REFUSALS: Record<string, Record<string, string>> = {
  OUTSIDE_WINDOW: {
    et: "Teie broneeritud aeg ei ole praegu. Palun pöörduge infoletti.",
    en: "It is not the time of your appointment. Please ask at the information desk.",
    ru: "Сейчас не время вашей записи. Обратитесь, пожалуйста, к информационной стойке.",
  },
  APPOINTMENT_NOT_FOUND: {
    et: "Broneeringut ei leitud. Palun pöörduge infoletti.",
    en: "No booking with this code. Please ask at the information desk.",
    ru: "Запись с этим кодом не найдена. Обратитесь к информационной стойке.",
  },
  INVALID_STATE: {
    et: "See broneering on juba kasutatud või tühistatud. Palun pöörduge infoletti.",
    en: "This booking is already used or cancelled. Please ask at the information desk.",
    ru: "Эта запись уже использована или отменена. Обратитесь к информационной стойке.",
  },
};

/** The slip's lines (the code, then the reason in each language), or null for another error. */
export function refusalSlip(
  code: string,
  bookingCode: string,
  languages: readonly string[],
): string[] | null {
  const texts = REFUSALS[code];
  if (!texts) return null;
  return [bookingCode, ...languages.map((l) => texts[l]).filter((t): t is string => t !== undefined)];
}
