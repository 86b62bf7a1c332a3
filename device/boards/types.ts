// What the controller asks of a board bus driver.
import type { ShowOptions } from "../../protocols/boards/types.js";

export interface BoardBusDriver {
  readonly id: string;
  /** Shows text on one board of the bus; resolves when written (and acknowledged, if the protocol answers). Never rejects. */
  show(board: string, text: string, options?: ShowOptions): Promise<{ ok: boolean; detail?: string }>;
  start(): void;
  stop(): Promise<void>;
}
