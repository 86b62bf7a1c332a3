// What the load benches measure at the simulated devices: the first byte of each ticket at the
// virtual printers, the called number on each counter's virtual Modbus module, and call_next as the
// controller takes it up. Each wraps the device's receive(), as the panels and boards benches do.
import { performance } from "node:perf_hooks";
import type { DemoOffice } from "../demo/demo-office.js";
import { ticketNumberOf } from "../demo/simulation.js";

const ESC_AT = [0x1b, 0x40];
function startsTicket(chunk: Uint8Array): boolean {
  for (let i = 0; i + 1 < chunk.length; i++)
    if (chunk[i] === ESC_AT[0] && chunk[i + 1] === ESC_AT[1]) return true;
  return false;
}

/**
 * First bytes at the virtual printers: a press admitted at a printer expects the next ticket to
 * start there (the kiosk queue prints first in, first out), and the time to it is its latency.
 * Also the numbers each printer printed, to show no ticket was lost or printed twice.
 */
export class PrinterProbe {
  readonly latencies: number[] = [];
  /** Printer -> the numbers of the tickets it printed, in order. */
  readonly printed = new Map<string, string[]>();
  private readonly expected = new Map<string, Array<{ t0: number }>>();

  constructor(office: DemoOffice) {
    for (const [id, sim] of office.simulated.printers) {
      this.printed.set(id, []);
      this.expected.set(id, []);
      const receive = sim.printer.receive.bind(sim.printer);
      sim.printer.receive = (chunk: Uint8Array) => {
        const t = performance.now();
        if (startsTicket(chunk)) {
          const press = this.expected.get(id)?.shift();
          if (press) this.latencies.push(t - press.t0);
        }
        receive(chunk);
      };
      sim.printer.onTicket((ticket) => this.printed.get(id)?.push(ticketNumberOf(ticket) ?? "?"));
    }
  }

  /**
   * A press at t0 that may print at `printer`: expected before the press is made, because its
   * first byte can arrive before the presser hears that it was admitted. Call the returned
   * function if it was refused.
   */
  expect(printer: string, t0: number): () => void {
    const list = this.expected.get(printer);
    const entry = { t0 };
    list?.push(entry);
    return () => {
      const i = list?.indexOf(entry) ?? -1;
      if (i >= 0) list?.splice(i, 1);
    };
  }
}

/**
 * Counter board frames at the virtual Modbus modules: after a call, the time until the counter's
 * module displays the called number. Every chunk the module receives is checked.
 */
export class BoardProbe {
  readonly latencies: number[] = [];
  /** Calls whose number the board had not shown when the counter called again. */
  unseen = 0;
  /** Calls of the number the counter's board was showing already. */
  alreadyShown = 0;
  /**
   * Calls whose frame a newer text for the same board replaced before it went out (the bus sends
   * the latest text): in compressed time a customer can be finished before the bus got to it.
   */
  superseded = 0;
  private readonly pending = new Map<string, { number: string; t0: number }>();
  /** Counter -> what its module displays and since when (performance.now). */
  private readonly shown = new Map<string, { text: string; since: number }>();

  constructor(office: DemoOffice) {
    const counterOf = new Map<string, string>();
    office.boards.onShow((board, shown) => {
      const counter = counterOf.get(board);
      const want = counter === undefined ? undefined : this.pending.get(counter);
      if (counter === undefined || !want || shown.text === want.number) return;
      this.superseded++;
      this.pending.delete(counter);
    });
    for (const busConfig of office.config.devices.boardBuses) {
      for (const b of busConfig.boards) if (b.counter) counterOf.set(b.id, b.counter);
      const sim = office.simulated.boardBuses.get(busConfig.id);
      if (sim?.protocol !== "modbus-7seg") continue;
      const bus = sim.bus;
      const counters = busConfig.boards.flatMap((b) => (b.counter ? [[b.counter, b.address] as const] : []));
      const receive = bus.receive.bind(bus);
      bus.receive = (chunk: Uint8Array) => {
        const t = performance.now();
        receive(chunk);
        for (const [counter, address] of counters) {
          const text = bus.display(address).trim();
          if (this.shown.get(counter)?.text !== text) this.shown.set(counter, { text, since: t });
          this.check(counter);
        }
      };
    }
  }

  /** A call to `counter` of `number`, taken up by the controller at t0 (performance.now). */
  expect(counter: string, number: string, t0: number): void {
    if (this.pending.has(counter)) this.unseen++;
    this.pending.delete(counter);
    // A ticket transferred away and called back to the same counter: if the idle text between was
    // superseded on the bus before it went out, the board never stopped showing the number and
    // no frame changes it. Nothing to time.
    const shown = this.shown.get(counter);
    if (shown?.text === number && shown.since < t0) {
      this.alreadyShown++;
      return;
    }
    this.pending.set(counter, { number, t0 });
    // The frame may have come before the call's reply did.
    this.check(counter);
  }

  private check(counter: string): void {
    const want = this.pending.get(counter);
    const shown = this.shown.get(counter);
    if (!want || !shown || shown.text !== want.number || shown.since < want.t0) return;
    this.latencies.push(shown.since - want.t0);
    this.pending.delete(counter);
  }

  /** Calls still waiting for their frame. */
  get outstanding(): number {
    return this.pending.size;
  }
}

/**
 * Stamps call_next where the controller takes it up (QueueService.run, the bridge's way in) and
 * tells the board probe what to look for once it is answered: the same span as the boards
 * bench, journal fsync included. Also counts every queue command executed.
 */
export function instrument(office: DemoOffice, boards: BoardProbe): { commands: () => number } {
  const run = office.service.run.bind(office.service);
  office.service.run = async (target, args) => {
    const t0 = performance.now();
    const result = await run(target, args);
    if (target.scope === "counter" && target.verb === "call_next" && result.ok) {
      const number = (result.result.ticket as { number?: string } | null)?.number;
      if (number) boards.expect(target.counter, number, t0);
    }
    return result;
  };
  let commands = 0;
  const execute = office.queue.execute.bind(office.queue);
  office.queue.execute = (command) => {
    commands++;
    return execute(command);
  };
  return { commands: () => commands };
}
