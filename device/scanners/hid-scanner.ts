// A barcode / QR scanner in USB keyboard mode, read through the HID layer the panels use
// (hid-backend.ts: node-hid on a Pi, the virtual backend in tests and the demo). node-hid has no
// plug events, so the driver looks at the device list every pollMs while it has no device; a
// read error is an unplug. Each code typed (keys until Enter) goes to onCode; nothing it does
// throws to the controller: a missing scanner shows as offline.
//
// On Linux a scanner in keyboard mode is also a keyboard for the console: opening its hidraw
// node does not stop the kernel's keyboard driver from typing the code into a login prompt
// too, which is harmless on a headless Pi (docs/appointments.md, "Scanners").
import { type ScannedCode, ScannerDecoder } from "../../protocols/hid/scanner-keys.js";
import type { DeviceHealthSink } from "../health.js";
import {
  describeMatch,
  type HidBackend,
  type HidHandle,
  type HidMatch,
  isHidError,
  matchesHid,
} from "../panels/hid-backend.js";

export interface HidScannerOptions {
  id: string;
  backend: HidBackend;
  match: HidMatch;
  health: DeviceHealthSink;
  onCode: (scan: ScannedCode) => void;
  /** A composite device's report id before the 8 bytes. */
  reportId?: number;
  pollMs?: number;
  clock?: () => number;
}

export class HidScanner {
  private handle: HidHandle | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private connecting = false;
  private readonly decoder: ScannerDecoder;

  constructor(private readonly options: HidScannerOptions) {
    this.decoder = new ScannerDecoder(options.reportId !== undefined ? { reportId: options.reportId } : {});
  }

  get connected(): boolean {
    return this.handle !== null;
  }

  start(): Promise<void> {
    this.options.health.report("offline", ["not_found"]);
    this.timer = setInterval(() => void this.connect(), this.options.pollMs ?? 2000);
    this.timer.unref();
    return this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    const handle = this.handle;
    this.handle = null;
    await handle?.close().catch(() => {});
  }

  private async connect(): Promise<void> {
    if (this.stopped || this.handle || this.connecting) return;
    this.connecting = true;
    const { backend, match, health } = this.options;
    try {
      const found = (await backend.devices()).find((d) => d.path !== undefined && matchesHid(d, match));
      if (!found?.path) {
        health.report("offline", ["not_found"]);
        health.raise(
          "SCANNER_OFFLINE",
          "warning",
          `scanner ${this.options.id} not found (${describeMatch(match)})`,
        );
        return;
      }
      const handle = await backend.open(found.path);
      if (this.stopped) {
        await handle.close();
        return;
      }
      this.handle = handle;
      this.decoder.reset();
      handle.onData((report) => this.options.onCode !== undefined && this.onReport(report));
      handle.onError((error) => void this.lost(handle, error.message));
      health.report("ok", [], (this.options.clock ?? Date.now)());
      health.clear("SCANNER_OFFLINE");
    } catch (error) {
      const code = isHidError(error) ? error.code : "HID_OPEN_FAILED";
      health.report("offline", [code.toLowerCase()]);
      health.raise("SCANNER_OFFLINE", "warning", `scanner ${this.options.id}: ${(error as Error).message}`);
    } finally {
      this.connecting = false;
    }
  }

  private onReport(report: Uint8Array): void {
    const scan = this.decoder.feed(report);
    if (!scan) return;
    this.options.health.report("ok", [], (this.options.clock ?? Date.now)());
    try {
      this.options.onCode(scan);
    } catch {
      // The controller's business; a scanner driver never throws.
    }
  }

  private async lost(handle: HidHandle, reason: string): Promise<void> {
    if (this.handle !== handle) return;
    this.handle = null;
    this.decoder.reset();
    this.options.health.report("offline", ["unplugged"]);
    this.options.health.raise("SCANNER_OFFLINE", "warning", `scanner ${this.options.id} lost: ${reason}`);
    await handle.close().catch(() => {});
  }
}
