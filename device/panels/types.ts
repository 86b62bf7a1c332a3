// What every topic-button panel driver gives the controller: raw button edges and button LEDs.
// Debounce, rate limits, stuck buttons and what a press means are the controller's rules
// (controller/panels/): drivers report what the hardware says, stamped with the injected clock.

/** A button LED: dark, lit, or flashing (X-keys flash in hardware; GPIO/Firmata LEDs by timer). */
export type ButtonLedState = "off" | "on" | "flash";

export interface ButtonEdge {
  /**
   * The button as the configuration names it: an X-keys key index ("0".."79"), a keypad key
   * usage name ("KP_1", "A", ...), a GPIO line offset ("17"), an Arduino pin ("2").
   */
  button: string;
  /** true = pressed (went down), false = released. */
  down: boolean;
  /** Epoch ms from the driver's injected clock, when the driver heard the edge. */
  at: number;
  /**
   * A release the driver made up because it lost the panel (unplugged, link down), not one the
   * hardware reported: the button may still be held when the panel comes back.
   */
  lost?: true;
}

export interface ButtonPanelDriver {
  readonly id: string;
  /** Starts connecting (and keeps reconnecting; hot-plug). Never throws. */
  start(): void;
  /** Lets the device go. Never rejects. */
  stop(): Promise<void>;
  /** Every edge, in order. A driver that loses the device reports releases for buttons it saw down. */
  onEdge(handler: (edge: ButtonEdge) => void): () => void;
  /**
   * Sets a button's LED. Remembered while the panel is unplugged and sent again on reconnect.
   * A button without an LED ignores it.
   */
  setLed(button: string, state: ButtonLedState): void;
  /** Whether the panel is connected now. */
  readonly connected: boolean;
}
