// How the GPIO IO plugin (gpiod-io.ts) reaches one GPIO chip: input lines watched for edges with
// a bias, output lines driven, and a "lost" signal when the chip can no longer be reached. The
// real backend runs the libgpiod tools (libgpiod-cli.ts); the virtual one is in-memory
// (simulators/panels/virtual-gpio.ts). A lost backend stays lost: the driver makes a new one.

import type { GpioBias, GpioEdgeEvent, GpioLevel } from "../../protocols/gpio/gpiomon-output.js";

export type { GpioBias, GpioEdgeEvent, GpioLevel };

export interface GpioInputLine {
  offset: number;
  bias: GpioBias;
}

export interface GpioChipBackend {
  /** For messages: the chip and how it is reached. */
  readonly description: string;
  /** Checks that the chip can be reached (tools present, chip found); rejects with a GpioError. */
  open(): Promise<void>;
  /**
   * Requests `lines` as inputs with edge detection, replacing the previous set, and resolves with
   * their levels as edges start being reported (an empty set stops watching).
   */
  watch(lines: readonly GpioInputLine[]): Promise<Map<number, GpioLevel>>;
  /** Drives an output line (requested as output on first use); resolves once it is driven. */
  set(offset: number, level: GpioLevel): Promise<void>;
  onEdge(handler: (edge: GpioEdgeEvent) => void): () => void;
  /** Once, when the chip is lost (a tool process died, the chip went away). */
  onLost(handler: (error: Error) => void): () => void;
  /** Releases every line; never rejects. No "lost" follows. */
  close(): Promise<void>;
}

export type GpioErrorCode =
  /** gpiomon / gpioget / gpioset / gpiodetect not installed. */
  | "GPIO_TOOLS_MISSING"
  /** A tool ran and failed (busy line, no permission, bad offset); the message has its stderr. */
  | "GPIO_TOOL_FAILED"
  /** No chip with that name, number, path or label. */
  | "GPIO_CHIP_NOT_FOUND"
  /** A tool process that should keep running exited (chip gone, killed). */
  | "GPIO_LOST"
  /** The backend was closed or lost before the call. */
  | "GPIO_CLOSED"
  /** Something the plugin cannot do (I2C, analog). */
  | "GPIO_UNSUPPORTED";

export class GpioError extends Error {
  readonly code: GpioErrorCode;

  constructor(code: GpioErrorCode, message: string) {
    super(message);
    this.name = "GpioError";
    this.code = code;
  }
}
