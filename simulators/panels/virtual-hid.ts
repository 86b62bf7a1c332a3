// A HID backend with virtual panels behind it: an X-keys and a USB keypad that send the report
// bytes the real ones send (built here from the documented formats, not by the driver's codecs)
// and decode the output reports they receive the way the panel would. Unplugging one fails its
// open handles the way node-hid does (an "error" event, then failing writes) and drops it from
// the device list; plugging it back lists it again.

import type { HidBackend, HidDeviceInfo, HidHandle } from "../../device/panels/hid-backend.js";
import { keyUsageOf } from "../../protocols/hid/boot-keyboard.js";

export type VirtualLedState = "off" | "on" | "flash";

/** X-keys layouts (SuperFlyTV/xkeys products.ts): button bytes from byte 2, timestamp after them. */
const XKEYS_LAYOUTS: Record<
  number,
  { name: string; columns: number; rows: number; ts: number; bank2: number }
> = {
  1029: { name: "XK-24", columns: 4, rows: 6, ts: 6, bank2: 32 },
  1027: { name: "XK-24", columns: 4, rows: 6, ts: 6, bank2: 32 },
  1121: { name: "XK-60", columns: 10, rows: 8, ts: 12, bank2: 80 },
  1089: { name: "XK-80", columns: 10, rows: 8, ts: 12, bank2: 80 },
};

export interface VirtualXkeysOptions {
  /** 1029 (XK-24, the default), 1027, 1121 (XK-60), 1089 (XK-80). */
  productId?: number;
  unitId?: number;
  serialNumber?: string;
  /** Device milliseconds for the report timestamp. */
  clock?: () => number;
  /** Put a report id 0 before every input report, as a backend that always prefixes one does. */
  reportIdPrefix?: boolean;
}

export interface VirtualKeypadOptions {
  vendorId?: number;
  productId?: number;
  serialNumber?: string;
  /** A composite keypad: this report id comes before the 8 boot bytes. */
  reportId?: number;
}

interface OpenHandle {
  data: Array<(report: Uint8Array) => void>;
  error: Array<(error: Error) => void>;
  dead: boolean;
}

/** What a virtual device and the backend share. */
abstract class VirtualHidDevice {
  #plugged = true;
  #failOpen: Error | null = null;
  readonly handles: OpenHandle[] = [];
  /** Every output report written, as written. */
  readonly outputReports: Uint8Array[] = [];

  constructor(readonly interfaces: HidDeviceInfo[]) {}

  get plugged(): boolean {
    return this.#plugged;
  }

  /** The interface the panel's reports go through. */
  abstract get path(): string;

  /** Opening fails with this error (a permission problem, say) until set back to null. */
  setFailOpen(error: Error | null): void {
    this.#failOpen = error;
  }

  /** Pulled out: open handles fail the way node-hid's do, and it leaves the device list. */
  unplug(): void {
    if (!this.#plugged) return;
    this.#plugged = false;
    for (const handle of this.handles.splice(0)) {
      handle.dead = true;
      const error = new Error("could not read from HID device");
      queueMicrotask(() => {
        for (const callback of handle.error) callback(error);
      });
    }
    this.reset();
  }

  plug(): void {
    this.#plugged = true;
  }

  /** Sends any bytes as an input report (for malformed-report tests). */
  sendRaw(bytes: ArrayLike<number>): void {
    const report = Uint8Array.from(bytes);
    for (const handle of this.handles) {
      queueMicrotask(() => {
        if (!handle.dead) for (const callback of handle.data) callback(report);
      });
    }
  }

  /** @internal the backend's open(). */
  open(): HidHandle {
    if (!this.#plugged) throw new Error("cannot open device");
    if (this.#failOpen) throw this.#failOpen;
    const handle: OpenHandle = { data: [], error: [], dead: false };
    this.handles.push(handle);
    return {
      onData: (callback) => void handle.data.push(callback),
      onError: (callback) => void handle.error.push(callback),
      write: async (bytes) => {
        if (handle.dead) throw new Error("Cannot write to hid device");
        const report = Uint8Array.from(bytes);
        this.outputReports.push(report);
        this.received(report);
      },
      close: async () => {
        handle.dead = true;
        const i = this.handles.indexOf(handle);
        if (i >= 0) this.handles.splice(i, 1);
      },
    };
  }

  protected abstract received(report: Uint8Array): void;
  /** Power lost: keys up, LEDs dark. */
  protected abstract reset(): void;
}

export class VirtualXkeys extends VirtualHidDevice {
  readonly layout: { name: string; columns: number; rows: number; ts: number; bank2: number };
  readonly #o: VirtualXkeysOptions;
  readonly #columns: Uint8Array;
  #programSwitch = false;
  /** LED index -> state, as the panel's LED controller holds it (both banks). */
  readonly #leds = new Map<number, VirtualLedState>();
  readonly indicators = { green: "off" as VirtualLedState, red: "off" as VirtualLedState };
  flashFrequency: number | null = null;
  /** Writes the panel ignored: wrong length or not report id 0. */
  rejectedWrites = 0;

  constructor(interfaces: HidDeviceInfo[], options: VirtualXkeysOptions) {
    super(interfaces);
    const layout = XKEYS_LAYOUTS[options.productId ?? 1029];
    if (!layout) throw new Error(`no virtual X-keys with product id ${options.productId}`);
    this.layout = layout;
    this.#o = options;
    this.#columns = new Uint8Array(layout.columns);
  }

  get path(): string {
    return this.interfaces[0]?.path ?? "";
  }

  /** Key index = column * 8 + row, as P.I. Engineering numbers backlights. */
  press(index: number): void {
    this.#setKey(index, true);
  }

  release(index: number): void {
    this.#setKey(index, false);
  }

  programSwitch(down: boolean): void {
    this.#programSwitch = down;
    this.#send();
  }

  /** The blue (bank 1) backlight of a key. */
  led(index: number): VirtualLedState {
    return this.#leds.get(index) ?? "off";
  }

  /** The red (bank 2) backlight of a key. */
  redLed(index: number): VirtualLedState {
    return this.#leds.get(index + this.layout.bank2) ?? "off";
  }

  #setKey(index: number, down: boolean): void {
    const column = Math.floor(index / 8);
    const row = index % 8;
    if (!Number.isInteger(index) || column >= this.layout.columns || row >= this.layout.rows)
      throw new RangeError(`${this.layout.name} has no key ${index}`);
    const byte = this.#columns[column] ?? 0;
    this.#columns[column] = down ? byte | (1 << row) : byte & ~(1 << row);
    this.#send();
  }

  #send(): void {
    const report = new Uint8Array(32);
    report[0] = this.#o.unitId ?? 0;
    report[1] = this.#programSwitch ? 1 : 0;
    report.set(this.#columns, 2);
    const ms = (this.#o.clock?.() ?? 0) >>> 0;
    new DataView(report.buffer).setUint32(this.layout.ts, ms, false);
    this.sendRaw(this.#o.reportIdPrefix ? [0, ...report] : report);
  }

  protected received(report: Uint8Array): void {
    if (report.length !== 36 || report[0] !== 0) {
      this.rejectedWrites++;
      return;
    }
    const [, command = 0, a = 0, b = 0] = report;
    const state: VirtualLedState = b === 2 ? "flash" : b === 1 ? "on" : "off";
    if (command === 0xb5) this.#leds.set(a, state);
    else if (command === 0xb6) {
      // a = bank (0 blue, 1 red), b = 0 off / 255 on
      const first = a === 0 ? 0 : this.layout.bank2;
      for (let i = first; i < first + this.layout.bank2; i++) this.#leds.set(i, b ? "on" : "off");
    } else if (command === 0xb3) {
      const led = a === 6 ? "green" : a === 7 ? "red" : null;
      const lit: VirtualLedState = b === 2 ? "flash" : b === 1 ? "on" : "off";
      if (led) this.indicators[led] = lit;
    } else if (command === 0xb4) this.flashFrequency = a;
  }

  protected reset(): void {
    this.#columns.fill(0);
    this.#programSwitch = false;
    this.#leds.clear();
    this.indicators.green = "off";
    this.indicators.red = "off";
  }
}

export class VirtualKeypad extends VirtualHidDevice {
  readonly #reportId: number | undefined;
  /** Keys down in the order they went down (boot reports list them so). */
  readonly #down: number[] = [];

  constructor(interfaces: HidDeviceInfo[], options: VirtualKeypadOptions) {
    super(interfaces);
    this.#reportId = options.reportId;
  }

  get path(): string {
    return this.interfaces[0]?.path ?? "";
  }

  press(usageName: string): void {
    const usage = this.#usage(usageName);
    if (!this.#down.includes(usage)) this.#down.push(usage);
    this.#send();
  }

  release(usageName: string): void {
    const usage = this.#usage(usageName);
    const i = this.#down.indexOf(usage);
    if (i >= 0) this.#down.splice(i, 1);
    this.#send();
  }

  #usage(name: string): number {
    const usage = keyUsageOf(name);
    if (usage === undefined) throw new RangeError(`no key named ${name}`);
    return usage;
  }

  #send(): void {
    const report = new Uint8Array(8);
    const keys = this.#down.filter((u) => u < 0xe0 || u > 0xe7);
    for (const u of this.#down) if (u >= 0xe0 && u <= 0xe7) report[0] = (report[0] ?? 0) | (1 << (u - 0xe0));
    // More than six keys: every slot says ErrorRollOver (HID 1.11, B.1).
    if (keys.length > 6) report.fill(0x01, 2);
    else report.set(keys, 2);
    this.sendRaw(this.#reportId === undefined ? report : [this.#reportId, ...report]);
  }

  protected received(): void {
    // Keyboard LED reports (Num Lock ...): nothing a topic-button panel shows.
  }

  protected reset(): void {
    this.#down.length = 0;
  }
}

export class VirtualHidBackend implements HidBackend {
  readonly #devices: VirtualHidDevice[] = [];
  #nextHidraw = 0;
  #failDevices: Error | null = null;
  /** Calls to devices(), to see polling happen. */
  listCalls = 0;

  /** A virtual X-keys with the three interfaces a real one shows (buttons, keyboard, mouse). */
  addXkeys(options: VirtualXkeysOptions = {}): VirtualXkeys {
    const productId = options.productId ?? 1029;
    const base = {
      vendorId: 0x05f3,
      productId,
      manufacturer: "P. I. Engineering",
      product: `${XKEYS_LAYOUTS[productId]?.name ?? "XK"} HID`,
      ...(options.serialNumber ? { serialNumber: options.serialNumber } : {}),
    };
    const device = new VirtualXkeys(
      [
        { ...base, path: this.#hidraw(), usagePage: 0x000c, usage: 0x0001, interface: 0 },
        { ...base, path: this.#hidraw(), usagePage: 0x0001, usage: 0x0006, interface: 1 },
        { ...base, path: this.#hidraw(), usagePage: 0x0001, usage: 0x0002, interface: 2 },
      ],
      options,
    );
    this.#devices.push(device);
    return device;
  }

  /** A virtual USB keypad: a boot keyboard interface and a consumer-control one. */
  addKeypad(options: VirtualKeypadOptions = {}): VirtualKeypad {
    const base = {
      vendorId: options.vendorId ?? 0x04d9,
      productId: options.productId ?? 0x1203,
      manufacturer: "Virtual",
      product: "USB Keypad",
      ...(options.serialNumber ? { serialNumber: options.serialNumber } : {}),
    };
    const device = new VirtualKeypad(
      [
        { ...base, path: this.#hidraw(), usagePage: 0x0001, usage: 0x0006, interface: 0 },
        { ...base, path: this.#hidraw(), usagePage: 0x000c, usage: 0x0001, interface: 1 },
      ],
      options,
    );
    this.#devices.push(device);
    return device;
  }

  /** devices() rejects with this (node-hid cannot load, say) until set back to null. */
  setFailDevices(error: Error | null): void {
    this.#failDevices = error;
  }

  async devices(): Promise<HidDeviceInfo[]> {
    this.listCalls++;
    if (this.#failDevices) throw this.#failDevices;
    return this.#devices.filter((d) => d.plugged).flatMap((d) => d.interfaces.map((i) => ({ ...i })));
  }

  async open(path: string): Promise<HidHandle> {
    const device = this.#devices.find((d) => d.plugged && d.interfaces.some((i) => i.path === path));
    if (!device) throw new Error(`cannot open device with path ${path}`);
    if (device.path !== path) throw new Error(`${path} is not the button interface of this virtual panel`);
    return device.open();
  }

  #hidraw(): string {
    return `/dev/hidraw${this.#nextHidraw++}`;
  }
}
