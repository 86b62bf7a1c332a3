// The HID layer the panel driver stands on: node-hid on a Pi, VirtualHidBackend in tests and in
// the simulated office. Kept to what node-hid offers (a device list, open by path, report
// events, writes), so the virtual one cannot promise more than the real one gives.

/** What node-hid's `devices()` tells about one HID interface. */
export interface HidDeviceInfo {
  vendorId: number;
  productId: number;
  path?: string;
  serialNumber?: string;
  manufacturer?: string;
  product?: string;
  usagePage?: number;
  usage?: number;
  interface: number;
}

export interface HidHandle {
  /** Every input report, as the backend delivers it (hidraw: no report id byte unless numbered). */
  onData(callback: (report: Uint8Array) => void): void;
  /** A read failed: on a USB device this is how an unplug shows. */
  onError(callback: (error: Error) => void): void;
  /** An output report; its first byte is the report id (0 if the device has none). */
  write(bytes: number[] | Uint8Array): Promise<void>;
  close(): Promise<void>;
}

export interface HidBackend {
  devices(): Promise<HidDeviceInfo[]>;
  open(path: string): Promise<HidHandle>;
}

export type HidErrorCode =
  /** node-hid (or its native library) cannot be loaded. */
  | "HID_UNAVAILABLE"
  /** The device list could not be read. */
  | "HID_ENUMERATION_FAILED"
  /** The device is there but cannot be opened (permissions, another process holds it). */
  | "HID_OPEN_FAILED"
  | "HID_PERMISSION_DENIED"
  | "HID_WRITE_FAILED"
  | "HID_READ_FAILED";

export class HidError extends Error {
  readonly code: HidErrorCode;

  constructor(code: HidErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "HidError";
    this.code = code;
  }
}

export function isHidError(error: unknown, code?: HidErrorCode): error is HidError {
  return error instanceof HidError && (code === undefined || error.code === code);
}

/** Which interface to use. Every given field must match; at least one must be given. */
export interface HidMatch {
  vendorId?: number;
  productId?: number;
  serialNumber?: string;
  path?: string;
  usagePage?: number;
  usage?: number;
  interface?: number;
}

/** Every field the match gives must be the device's (a device that reports no interface has none). */
export function matchesHid(
  device: Omit<HidDeviceInfo, "interface"> & { interface?: number },
  match: HidMatch,
): boolean {
  return (
    (match.vendorId === undefined || device.vendorId === match.vendorId) &&
    (match.productId === undefined || device.productId === match.productId) &&
    (match.serialNumber === undefined || device.serialNumber === match.serialNumber) &&
    (match.path === undefined || device.path === match.path) &&
    (match.usagePage === undefined || device.usagePage === match.usagePage) &&
    (match.usage === undefined || device.usage === match.usage) &&
    (match.interface === undefined || device.interface === match.interface)
  );
}

export function describeMatch(match: HidMatch): string {
  const hex = (n: number) => `0x${n.toString(16).padStart(4, "0")}`;
  const parts: string[] = [];
  if (match.vendorId !== undefined) parts.push(`vendor ${hex(match.vendorId)}`);
  if (match.productId !== undefined) parts.push(`product ${hex(match.productId)}`);
  if (match.serialNumber !== undefined) parts.push(`serial ${match.serialNumber}`);
  if (match.path !== undefined) parts.push(`path ${match.path}`);
  if (match.usagePage !== undefined) parts.push(`usage page ${hex(match.usagePage)}`);
  if (match.usage !== undefined) parts.push(`usage ${hex(match.usage)}`);
  if (match.interface !== undefined) parts.push(`interface ${match.interface}`);
  return parts.join(", ") || "any HID device";
}
