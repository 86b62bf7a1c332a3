// HidBackend over node-hid 3. node-hid is required on first use, never at module load: the
// simulated office must run with no native module loaded, and a Pi without libusb must get a
// health record saying so, not a crash.

import { createRequire } from "node:module";
import type { HidBackend, HidDeviceInfo, HidHandle } from "./hid-backend.js";
import { HidError } from "./hid-backend.js";

/** The part of node-hid's API used here. */
interface NodeHidEmitter {
  on(event: "data", listener: (data: Buffer) => void): unknown;
  on(event: "error", listener: (error: unknown) => void): unknown;
  write(values: number[] | Buffer): Promise<number>;
  close(): Promise<void>;
}
interface NodeHidModule {
  devicesAsync(): Promise<HidDeviceInfo[]>;
  getHidapiVersion(): string;
  HIDAsync: { open(path: string): Promise<NodeHidEmitter> };
}

export const HID_UNAVAILABLE_FIX =
  "install the libraries node-hid needs (apt install libusb-1.0-0 libudev1) and run npm ci again";

let loaded: NodeHidModule | null = null;

/** Loads node-hid and its native binding (getHidapiVersion forces the lazy binding to load). */
function loadNodeHid(load: () => unknown): NodeHidModule {
  if (loaded) return loaded;
  try {
    const hid = load() as NodeHidModule;
    hid.getHidapiVersion();
    loaded = hid;
    return hid;
  } catch (error) {
    const cause = (error as Error).message?.split("\n")[0] ?? String(error);
    throw new HidError("HID_UNAVAILABLE", `node-hid cannot be loaded (${cause}): ${HID_UNAVAILABLE_FIX}`, {
      cause: error,
    });
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

export interface NodeHidBackendOptions {
  /** Replaces `require("node-hid")`, for tests of the load failure. */
  load?: () => unknown;
}

export function nodeHidBackend(options: NodeHidBackendOptions = {}): HidBackend {
  const load = options.load ?? (() => createRequire(import.meta.url)("node-hid"));
  return {
    async devices() {
      const hid = loadNodeHid(load);
      try {
        return await hid.devicesAsync();
      } catch (error) {
        throw new HidError("HID_ENUMERATION_FAILED", `cannot list HID devices: ${asError(error).message}`, {
          cause: error,
        });
      }
    },
    async open(path) {
      const hid = loadNodeHid(load);
      let device: NodeHidEmitter;
      try {
        device = await hid.HIDAsync.open(path);
      } catch (error) {
        // hidapi says only "cannot open device": on Linux that is nearly always hidraw permissions.
        throw new HidError(
          "HID_OPEN_FAILED",
          `cannot open ${path}: ${asError(error).message} (on Linux: is there a udev rule giving this user access to the hidraw device?)`,
          { cause: error },
        );
      }
      return nodeHidHandle(device);
    },
  };
}

function nodeHidHandle(device: NodeHidEmitter): HidHandle {
  // An "error" event with no listener throws out of node-hid's read thread: listen at once and
  // keep the error for a callback registered later.
  const errorCallbacks: Array<(error: Error) => void> = [];
  let pendingError: Error | null = null;
  device.on("error", (error) => {
    const hidError = new HidError("HID_READ_FAILED", asError(error).message, { cause: error });
    if (errorCallbacks.length === 0) pendingError ??= hidError;
    for (const callback of errorCallbacks) callback(hidError);
  });
  return {
    onData(callback) {
      device.on("data", (data) => callback(new Uint8Array(data)));
    },
    onError(callback) {
      errorCallbacks.push(callback);
      if (pendingError) callback(pendingError);
    },
    async write(bytes) {
      try {
        await device.write(Array.from(bytes));
      } catch (error) {
        throw new HidError("HID_WRITE_FAILED", asError(error).message, { cause: error });
      }
    },
    async close() {
      await device.close();
    },
  };
}
