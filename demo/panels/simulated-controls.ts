// The SimulatedPanelControl of a simulated panel, over whatever virtual device stands for it (an
// X-keys or a keypad behind a virtual HID backend, a virtual GPIO chip, a virtual Arduino): the
// device is read by the real driver, so a press here goes the way a customer's press goes.

import type { PanelConfig } from "../../controller/panels/panel-schema.js";
import type { ButtonLedState } from "../../device/panels/types.js";
import type { SimulatedPanelControl } from "./simulated-panel.js";

/** What a control needs of a virtual panel, by the configuration's button ids. */
export interface VirtualPanelDevice {
  press(button: string): void;
  release(button: string): void;
  unplug(): void;
  plug(): void;
  readonly plugged: boolean;
  /** The LED of a button as the device shows it (a button without one: off). */
  led(button: string): ButtonLedState;
}

/** How often onLedChange listeners' LEDs are compared: virtual devices have no LED events. */
const LED_POLL_MS = 50;

export function simulatedControl(config: PanelConfig, device: VirtualPanelDevice): SimulatedPanelControl {
  const buttons = config.buttons.map((b) => ({ button: b.button, service: b.service }));
  const known = new Set(buttons.map((b) => b.button));
  const check = (button: string) => {
    if (!known.has(button)) throw new RangeError(`panel ${config.id} has no button ${button}`);
  };
  // Held longer than the debounce window, so the release is not taken for a bounce.
  const pressMs = config.rules.debounceMs + 40;
  const leds = () => Object.fromEntries(buttons.map(({ button }) => [button, device.led(button)]));
  const listeners = new Set<() => void>();
  let poll: ReturnType<typeof setInterval> | null = null;
  let last = "";
  return {
    id: config.id,
    kind: config.kind,
    printer: config.printer,
    buttons,
    async press(button) {
      check(button);
      device.press(button);
      await new Promise((resolve) => setTimeout(resolve, pressMs));
      device.release(button);
    },
    hold(button, down) {
      check(button);
      if (down) device.press(button);
      else device.release(button);
    },
    setPlugged(plugged) {
      if (plugged) device.plug();
      else device.unplug();
    },
    get plugged() {
      return device.plugged;
    },
    leds,
    onLedChange(handler) {
      listeners.add(handler);
      if (!poll) {
        last = JSON.stringify(leds());
        poll = setInterval(() => {
          const now = JSON.stringify(leds());
          if (now === last) return;
          last = now;
          for (const listener of listeners) listener();
        }, LED_POLL_MS);
        poll.unref();
      }
      return () => {
        listeners.delete(handler);
        if (listeners.size === 0 && poll) {
          clearInterval(poll);
          poll = null;
        }
      };
    },
  };
}
