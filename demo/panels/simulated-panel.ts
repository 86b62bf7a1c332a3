// What the simulated office's controls (the kiosk page's button panel, over `sim/request/...`)
// may do to a simulated button panel. The panel behind it is a virtual device (an X-keys with
// real report bytes, a GPIO chip, a Firmata board) read by the real driver, so a press here goes
// the same way as a customer's press on real hardware.
import type { ButtonLedState } from "../../device/panels/types.js";

export interface SimulatedPanelControl {
  readonly id: string;
  /** The panel kind from the configuration: xkeys, keypad, gpio or firmata. */
  readonly kind: string;
  /** The kiosk printer this panel prints on. */
  readonly printer: string;
  /** Buttons in configuration order. */
  readonly buttons: ReadonlyArray<{ button: string; service: string }>;
  /** A customer's press: down, then up shortly after. Resolves once both edges were sent. */
  press(button: string): Promise<void>;
  /** Holds a button down (true) or lets it go (false): a stuck button, for example. */
  hold(button: string, down: boolean): void;
  /** Pulls the panel's plug (false) or plugs it back (true). */
  setPlugged(plugged: boolean): void;
  readonly plugged: boolean;
  /** What each button's LED shows now, as the virtual device sees it. */
  leds(): Record<string, ButtonLedState>;
  /** Called when an LED changes on the virtual device. */
  onLedChange(handler: () => void): () => void;
}
