// A HidPanel over the virtual HID backend, with manual timers and clock: the backend does no real
// I/O, so time moves only when a test says, and "within pollMs" is exact.
import type { DeviceHealthSink } from "../../../device/health.js";
import { HidPanel, type HidPanelOptions } from "../../../device/panels/hid-panel.js";
import type { ButtonEdge } from "../../../device/panels/types.js";
import type { Timers } from "../../../device/timers.js";
import { VirtualHidBackend } from "../../../simulators/panels/virtual-hid.js";
import { type RecordingHealthSink, recordingHealthSink } from "../support/health.js";

/** Lets every pending promise continuation run (the backend's are all microtasks). */
export async function settle(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
}

export class ManualTimers implements Timers {
  now = 1_000_000;
  #next = 1;
  readonly #pending = new Map<number, { at: number; fn: () => void; every?: number }>();

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.#next++;
    this.#pending.set(id, { at: this.now + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.#pending.delete(handle as number);
  }
  setInterval(fn: () => void, ms: number): unknown {
    const id = this.#next++;
    this.#pending.set(id, { at: this.now + ms, fn, every: ms });
    return id;
  }
  clearInterval(handle: unknown): void {
    this.#pending.delete(handle as number);
  }

  /** Moves time on by `ms`, running each timer at its time and settling after each. */
  async advance(ms: number): Promise<void> {
    const target = this.now + ms;
    await settle();
    for (;;) {
      const due = [...this.#pending].filter(([, t]) => t.at <= target).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      const [id, timer] = due;
      this.now = timer.at;
      if (timer.every) timer.at += timer.every;
      else this.#pending.delete(id);
      timer.fn();
      await settle();
    }
    this.now = target;
    await settle();
  }
}

export interface DetailsSink extends RecordingHealthSink {
  /** The details of the last report. */
  details: Record<string, unknown> | undefined;
  lastSeen: number | undefined;
  message(code: string): string | undefined;
}

export function detailsSink(): DetailsSink {
  const inner = recordingHealthSink();
  const sink: DetailsSink = {
    ...inner,
    details: undefined,
    lastSeen: undefined,
    report(status, faults, lastSeen, details) {
      inner.report(status, faults, lastSeen, details);
      sink.details = details;
      sink.lastSeen = lastSeen;
    },
    message(code) {
      const raised = inner.calls.filter((c) => c.kind === "raise" && c.code === code).at(-1);
      return raised?.kind === "raise" ? raised.message : undefined;
    },
  };
  return sink;
}

export const POLL_MS = 2000;

export function hidPanel(
  options: Partial<HidPanelOptions> & { backend?: VirtualHidBackend | HidPanelOptions["backend"] } = {},
): {
  panel: HidPanel;
  backend: VirtualHidBackend;
  health: DetailsSink;
  timers: ManualTimers;
  edges: ButtonEdge[];
} {
  const timers = new ManualTimers();
  const health = detailsSink();
  const backend = options.backend instanceof VirtualHidBackend ? options.backend : new VirtualHidBackend();
  const panel = new HidPanel({
    id: "kiosk-1",
    model: "xkeys",
    match: { productId: 1029 },
    clock: () => timers.now,
    pollMs: POLL_MS,
    ...options,
    backend: options.backend ?? backend,
    health: options.health ?? (health as DeviceHealthSink),
    timers,
  });
  const edges: ButtonEdge[] = [];
  panel.onEdge((edge) => edges.push(edge));
  return { panel, backend, health, timers, edges };
}
