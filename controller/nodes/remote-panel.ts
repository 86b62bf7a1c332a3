// A button panel on a device node, seen from the controller: the same ButtonPanelDriver the press
// rules get from a local X-keys, fed by the node's raw edges over MQTT (node-hub.ts), its LEDs
// sent back as the retained nodes/{node}/panels/{panel}/leds. What a press means stays here.
import type { ButtonEdge, ButtonLedState, ButtonPanelDriver } from "../../device/panels/types.js";

export class RemotePanelDriver implements ButtonPanelDriver {
  private readonly handlers = new Set<(edge: ButtonEdge) => void>();
  private readonly leds = new Map<string, ButtonLedState>();
  private readonly down = new Set<string>();

  constructor(
    readonly id: string,
    readonly node: string,
    /** Publishes the whole LED map (retained), so a node that restarts gets every LED back. */
    private readonly publishLeds: (leds: Record<string, ButtonLedState>) => void,
    private readonly isOnline: () => boolean,
  ) {}

  get connected(): boolean {
    return this.isOnline();
  }

  start(): void {}

  async stop(): Promise<void> {
    this.handlers.clear();
  }

  onEdge(handler: (edge: ButtonEdge) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  setLed(button: string, state: ButtonLedState): void {
    if (this.leds.get(button) === state) return;
    this.leds.set(button, state);
    this.publishLeds(this.ledMap());
  }

  ledMap(): Record<string, ButtonLedState> {
    return Object.fromEntries(this.leds);
  }

  /** An edge the node's driver heard, already on this controller's clock. */
  edge(edge: ButtonEdge): void {
    if (edge.down) this.down.add(edge.button);
    else this.down.delete(edge.button);
    for (const handler of this.handlers) handler(edge);
  }

  /** The node is gone: like a local driver losing its device, release what was held down. */
  releaseAll(at: number): void {
    for (const button of [...this.down]) this.edge({ button, down: false, at, lost: true });
  }
}
