// Customers at the kiosks of the load office: a press on a simulated X-keys (report bytes read by
// the real HID driver, through the real press rules and kiosk print queue), told apart into the
// presses refused at once (bounce, rate limit, queue full, ...) and the ones admitted to the
// printer, whose first ticket byte the PrinterProbe times.
import { performance } from "node:perf_hooks";
import type { PressRecord } from "../controller/panels/panel-service.js";
import { type PressCounters, type PressOutcome, zeroCounters } from "../controller/panels/press-rules.js";
import type { DemoOffice } from "../demo/demo-office.js";
import { buttonOf, KIOSKS } from "./load-office.js";
import type { PrinterProbe } from "./load-probes.js";

export interface PressResult {
  outcome: PressOutcome;
  /** The printed number of an issued press. */
  ticket?: string;
  printer: string;
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

export class Kiosks {
  /** Every press's outcome, as the panel service counted it. */
  readonly outcomes: PressCounters = zeroCounters();
  /** Numbers issued at each printer, in order. */
  readonly issued = new Map<string, string[]>();
  private readonly locks = new Map<string, Promise<void>>();
  /** Panel -> the press whose edges are being decided now, and a refusal if one came. */
  private readonly windows = new Map<string, { button: string; refused?: PressRecord }>();
  /** `panel/button` -> admitted presses waiting for their print's end, first in first out. */
  private readonly waiting = new Map<string, Array<(record: PressRecord) => void>>();

  constructor(
    private readonly office: DemoOffice,
    private readonly printers: PrinterProbe,
  ) {
    office.panels.service.onPress((record) => this.onRecord(record));
  }

  /** A customer at kiosk `k` presses the button of `service`; resolves with what became of it. */
  async press(k: number, service: string): Promise<PressResult> {
    const panel = `panel-${k + 1}`;
    const printer = KIOSKS[k] as string;
    const button = buttonOf(service);
    const control = this.office.simulated.panels.get(panel);
    if (!control) throw new Error(`bench load: no simulated ${panel}`);
    // One press at a time per panel while its edges are decided (two turns of the event loop), so
    // a refusal heard in that window is this press's.
    const previous = this.locks.get(panel) ?? Promise.resolve();
    let unlock = () => {};
    const mine = new Promise<void>((resolve) => {
      unlock = resolve;
    });
    this.locks.set(
      panel,
      previous.then(() => mine),
    );
    await previous;
    const key = `${panel}/${button}`;
    let admitted: Promise<PressRecord>;
    try {
      const window: { button: string; refused?: PressRecord } = { button };
      this.windows.set(panel, window);
      // Expected before the press is made: an idle printer can print the ticket (and the press
      // end as issued) before the two turns below are over.
      let settle: (record: PressRecord) => void = () => {};
      const result = new Promise<PressRecord>((resolve) => {
        settle = resolve;
      });
      const list = this.waiting.get(key) ?? [];
      list.push(settle);
      this.waiting.set(key, list);
      const t0 = performance.now();
      const unexpect = this.printers.expect(printer, t0);
      // Reports reach the driver in microtasks, and the rules decide in the edge's own turn: a
      // turn later a refusal has been heard, and an admitted press has reserved its number.
      control.hold(button, true);
      await turn();
      // Let go at once: the release settles when the debounce window ends. It is decided inside
      // the window too: a down that never settled ends as a bounce on its release.
      control.hold(button, false);
      await turn();
      this.windows.delete(panel);
      if (window.refused) {
        unexpect();
        list.splice(list.indexOf(settle), 1);
        return { outcome: window.refused.outcome, printer };
      }
      admitted = result;
    } finally {
      unlock();
    }
    const record = await admitted;
    if (record.outcome === "issued" && record.ticket) {
      const list = this.issued.get(printer) ?? [];
      list.push(record.ticket);
      this.issued.set(printer, list);
    }
    return { outcome: record.outcome, printer, ...(record.ticket ? { ticket: record.ticket } : {}) };
  }

  private onRecord(record: PressRecord): void {
    this.outcomes[record.outcome]++;
    const window = this.windows.get(record.panel);
    // A print's end is never decided in a press's window: issued and print_failed are results.
    // (A waiting press that ends closed or printer_unavailable inside another press's window of
    // the same button would be mistaken for it; the load benches keep services open and printers
    // up while they press.)
    if (
      window &&
      window.button === record.button &&
      record.outcome !== "issued" &&
      record.outcome !== "print_failed"
    ) {
      window.refused = record;
      return;
    }
    const list = this.waiting.get(`${record.panel}/${record.button}`);
    list?.shift()?.(record);
  }

  /** Presses admitted and not yet ended. */
  get pending(): number {
    let n = 0;
    for (const list of this.waiting.values()) n += list.length;
    return n;
  }
}
