// A virtual barcode / QR scanner in USB keyboard mode: a boot-keyboard HID device on the virtual
// HID backend that types a code through the same codec bytes a real scanner sends
// (protocols/hid/scanner-keys.ts), read by the real driver (device/scanners/hid-scanner.ts).
import { encodeScannerText } from "../../protocols/hid/scanner-keys.js";
import type { VirtualHidBackend, VirtualKeypad } from "../panels/virtual-hid.js";

/** A Honeywell-like id pair, so a config can match it as it would a real scanner. */
export const VIRTUAL_SCANNER_IDS = { vendorId: 0x0c2e, productId: 0x0b61 };

export class VirtualScanner {
  private readonly device: VirtualKeypad;

  constructor(backend: VirtualHidBackend, options: { serialNumber?: string } = {}) {
    this.device = backend.addKeypad({ ...VIRTUAL_SCANNER_IDS, ...options });
  }

  get path(): string {
    return this.device.path;
  }

  /** Types `code` and Enter, one report per key edge, as a scanner does after a read. */
  scan(code: string): void {
    for (const report of encodeScannerText(code)) this.device.sendRaw(report);
  }

  /** Raw reports, for garbage and half codes. */
  sendRaw(report: ArrayLike<number>): void {
    this.device.sendRaw(report);
  }

  unplug(): void {
    this.device.unplug();
  }

  plug(): void {
    this.device.plug();
  }
}
