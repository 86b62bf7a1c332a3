// The virtual devices behind simulated panels, each with its SimulatedPanelControl: an X-keys or a
// keypad behind a virtual HID backend, a virtual GPIO chip, and a virtual StandardFirmata Arduino
// behind loopback TCP. controller/panels/panel-setup.ts puts the real driver on top of each.

import type { PanelConfig } from "../../controller/panels/panel-schema.js";
import type { HidBackend, HidMatch } from "../../device/panels/hid-backend.js";
import type { ButtonLedState, ButtonPanelDriver } from "../../device/panels/types.js";
import { VirtualFirmata } from "../../simulators/boards/virtual-firmata.js";
import { VirtualGpioChip } from "../../simulators/panels/virtual-gpio.js";
import { VirtualHidBackend } from "../../simulators/panels/virtual-hid.js";
import { serveByteDeviceTcp } from "../../simulators/shared/attach.js";
import { simulatedControl, type VirtualPanelDevice } from "./simulated-controls.js";
import type { SimulatedPanelControl } from "./simulated-panel.js";

export interface SimulatedPanel {
  driver: ButtonPanelDriver;
  control: SimulatedPanelControl;
  close(): Promise<void>;
}

const XK24 = 1029;
const XK80 = 1089;

/** An XK-24 (4 columns of 6 keys) when every button is on one, else an XK-80. */
function xkeysModelFor(config: PanelConfig): number {
  const fits = config.buttons.every((b) => Math.floor(Number(b.button) / 8) < 4 && Number(b.button) % 8 < 6);
  return fits ? XK24 : XK80;
}

/** A virtual X-keys or keypad, found by the driver by its serial number (the panel id). */
export function simulatedHidPanel(
  config: PanelConfig,
  clock: () => number,
): { hid: { backend: HidBackend; match: HidMatch }; control: SimulatedPanelControl; close(): Promise<void> } {
  const backend = new VirtualHidBackend();
  let device: VirtualPanelDevice;
  if (config.kind === "keypad") {
    const keypad = backend.addKeypad({ serialNumber: config.id });
    device = {
      press: (b) => keypad.press(b),
      release: (b) => keypad.release(b),
      unplug: () => keypad.unplug(),
      plug: () => keypad.plug(),
      get plugged() {
        return keypad.plugged;
      },
      led: () => "off", // keypads have none
    };
  } else {
    const xkeys = backend.addXkeys({ productId: xkeysModelFor(config), serialNumber: config.id, clock });
    device = {
      press: (b) => xkeys.press(Number(b)),
      release: (b) => xkeys.release(Number(b)),
      unplug: () => xkeys.unplug(),
      plug: () => xkeys.plug(),
      get plugged() {
        return xkeys.plugged;
      },
      led: (b) => xkeys.led(Number(b)),
    };
  }
  return {
    hid: { backend, match: { serialNumber: config.id } },
    control: simulatedControl(config, device),
    close: async () => {},
  };
}

/** The output pin or line of a button's LED, if it has one. */
function ledPin(config: PanelConfig, button: string): string | null {
  const led = config.buttons.find((b) => b.button === button)?.led;
  return typeof led === "number" || typeof led === "string" ? String(led) : null;
}

/** A virtual GPIO chip with the panel's buttons and LEDs on its lines. */
export function simulatedGpioPanel(config: PanelConfig): {
  chip: VirtualGpioChip;
  control: SimulatedPanelControl;
  close(): Promise<void>;
} {
  const chip = new VirtualGpioChip({ name: `sim-${config.id}` });
  const device: VirtualPanelDevice = {
    press: (b) => chip.press(Number(b)),
    release: (b) => chip.release(Number(b)),
    unplug: () => chip.unplug(),
    plug: () => chip.plug(),
    get plugged() {
      return chip.present;
    },
    led: (b): ButtonLedState => {
      const pin = ledPin(config, b);
      return pin !== null && chip.level(Number(pin)) === 1 ? "on" : "off";
    },
  };
  return { chip, control: simulatedControl(config, device), close: async () => {} };
}

/** "A0" -> 14 on an Uno; "7" -> 7. */
function arduinoPin(pin: string): number {
  const analog = /^A(\d+)$/.exec(pin);
  return analog ? 14 + Number(analog[1]) : Number(pin);
}

/**
 * A virtual Arduino behind loopback TCP (a serial-to-Ethernet adapter, as far as the driver can
 * tell). Unplugging closes the listener (the driver loses the link and cannot reconnect);
 * plugging back serves it again on the same port.
 */
export async function simulatedFirmataPanel(config: PanelConfig): Promise<{
  port: number;
  firmata: VirtualFirmata;
  control: SimulatedPanelControl;
  close(): Promise<void>;
}> {
  const firmata = new VirtualFirmata();
  let server: { port: number; close(): Promise<void> } | null = await serveByteDeviceTcp(firmata, {
    host: "127.0.0.1",
    port: 0,
  });
  const port = server.port;
  // Plugging changes are chained so that a quick unplug/plug does not race.
  let change: Promise<void> = Promise.resolve();
  let plugged = true;
  const device: VirtualPanelDevice = {
    press: (b) => firmata.press(arduinoPin(b)),
    release: (b) => firmata.release(arduinoPin(b)),
    unplug: () => {
      plugged = false;
      change = change.then(async () => {
        const s = server;
        server = null;
        await s?.close();
      });
    },
    plug: () => {
      plugged = true;
      change = change.then(async () => {
        if (!server) server = await serveByteDeviceTcp(firmata, { host: "127.0.0.1", port });
      });
    },
    get plugged() {
      return plugged;
    },
    led: (b): ButtonLedState => {
      const pin = ledPin(config, b);
      if (pin === null) return "off";
      const n = arduinoPin(pin);
      return firmata.pinWrites.findLast((w) => w.pin === n)?.level ? "on" : "off";
    },
  };
  return {
    port,
    firmata,
    control: simulatedControl(config, device),
    close: async () => {
      await change;
      await server?.close();
    },
  };
}
