import { describe, expect, it } from "vitest";
import {
  dleEot,
  enableAsb,
  paperSensorStatus,
  processIdRequest,
} from "../../../protocols/escpos/commands.js";
import { decodeAsb, decodeDleEot, decodePresenterStatus } from "../../../protocols/escpos/status.js";
import { VirtualPrinter, type VirtualPrinterTimers } from "../../../simulators/printer/virtual-printer.js";
import { bytes, texts, ticketBytes } from "./fixtures.js";

const PROCESS_ID_REPLY = [0x37, 0x22, 0x30, 0x30, 0x30, 0x31, 0x00];

/** A printer plus everything it sent, as one flat byte list. */
function harness(options: ConstructorParameters<typeof VirtualPrinter>[0] = {}) {
  const printer = new VirtualPrinter(options);
  const sent: number[] = [];
  printer.onOutput((b) => sent.push(...b));
  const take = (): number[] => sent.splice(0, sent.length);
  return { printer, sent, take };
}

/** Manual timers: time moves only when the test says so. */
function manualTimers() {
  let now = 0;
  const pending: Array<{ at: number; fn: () => void; id: number }> = [];
  let next = 1;
  const timers: VirtualPrinterTimers = {
    setTimeout: (fn, ms) => {
      pending.push({ at: now + ms, fn, id: next });
      return next++;
    },
    clearTimeout: (id) => {
      const i = pending.findIndex((p) => p.id === id);
      if (i >= 0) pending.splice(i, 1);
    },
  };
  const advance = (ms: number): void => {
    const until = now + ms;
    for (;;) {
      pending.sort((a, b) => a.at - b.at);
      const due = pending[0];
      if (!due || due.at > until) break;
      pending.shift();
      now = due.at;
      due.fn();
    }
    now = until;
  };
  return { timers, advance };
}

describe("VirtualPrinter status", () => {
  it("answers DLE EOT 1-4 for each fault", () => {
    const { printer, take } = harness();
    const ask = (n: 1 | 2 | 3 | 4): number => {
      printer.receive(dleEot(n));
      const reply = take();
      expect(reply).toHaveLength(1);
      return reply[0]!;
    };
    expect([ask(1), ask(2), ask(3), ask(4)]).toEqual([0x12, 0x12, 0x12, 0x12]);
    printer.setPaperNearEnd(true);
    expect(decodeDleEot(4, ask(4))).toEqual({ paperNearEnd: true, paperOut: false });
    expect(decodeDleEot(1, ask(1)).offline).toBe(false);
    printer.setPaperOut(true);
    expect(decodeDleEot(4, ask(4)).paperOut).toBe(true);
    expect(decodeDleEot(2, ask(2)).paperEndStop).toBe(true);
    expect(decodeDleEot(1, ask(1)).offline).toBe(true);
    printer.setPaperOut(false);
    printer.setPaperNearEnd(false);
    printer.setCoverOpen(true);
    expect(decodeDleEot(2, ask(2))).toMatchObject({ coverOpen: true, paperEndStop: false });
    expect(decodeDleEot(1, ask(1)).offline).toBe(true);
    printer.setCoverOpen(false);
    printer.setError(true);
    expect(decodeDleEot(3, ask(3)).autocutter).toBe(true);
    expect(decodeDleEot(2, ask(2)).error).toBe(true);
  });

  it("answers DLE EOT 20 only with a presenter, reporting a ticket not yet taken", () => {
    const plain = harness();
    plain.printer.receive(dleEot(20));
    expect(plain.take()).toEqual([]);
    const kiosk = harness({ presenter: true });
    kiosk.printer.receive(ticketBytes("pos-5890"));
    kiosk.printer.receive(dleEot(20)); // separately: real time overtakes data in the same chunk
    expect(decodePresenterStatus(kiosk.take())).toMatchObject({ ticketInOutput: true, paperAbsent: false });
    kiosk.printer.takeTicket();
    kiosk.printer.setPaperOut(true);
    kiosk.printer.receive(dleEot(20));
    expect(decodePresenterStatus(kiosk.take())).toMatchObject({ ticketInOutput: false, paperAbsent: true });
  });

  it("answers GS r 1 in order with the paper sensors", () => {
    const { printer, take } = harness();
    printer.setPaperNearEnd(true);
    printer.receive(paperSensorStatus());
    expect(take()).toEqual([0x03]);
  });

  it("sends ASB at once after GS a n and again on every change", () => {
    const { printer, take } = harness();
    printer.setPaperNearEnd(true);
    expect(take()).toEqual([]); // not enabled yet
    printer.receive(enableAsb());
    expect(decodeAsb(take())).toMatchObject({ paperNearEnd: true, paperOut: false, coverOpen: false });
    printer.setCoverOpen(true);
    expect(decodeAsb(take())).toMatchObject({ coverOpen: true, offline: true });
    printer.setCoverOpen(true); // no change, no message
    expect(take()).toEqual([]);
    printer.receive(bytes([0x1d, 0x61, 0]));
    printer.setCoverOpen(false);
    expect(take()).toEqual([]);
  });

  it("ignores GS a when ASB is not supported", () => {
    const { printer, take } = harness({ asb: false });
    printer.receive(enableAsb());
    printer.setPaperOut(true);
    expect(take()).toEqual([]);
  });
});

describe("VirtualPrinter printing", () => {
  it("prints tickets, tells onTicket, and counts", () => {
    const { printer } = harness();
    const seen: string[][] = [];
    printer.onTicket((t) => seen.push(texts(t)));
    printer.receive(ticketBytes("epson-tm-t20iii"));
    printer.receive(bytes([0x1b, 0x07]));
    expect(seen).toHaveLength(1);
    expect(seen[0]).toContain("A023");
    expect(printer.tickets()).toHaveLength(1);
    const stats = printer.stats();
    expect(stats.tickets).toBe(1);
    expect(stats.unknownCommands).toBe(1);
    expect(stats.bytesReceived).toBe(ticketBytes("epson-tm-t20iii").length + 2);
  });

  it("answers the process id only after the ticket has printed", () => {
    const { timers, advance } = manualTimers();
    const { printer, take } = harness({ msPerLine: 10, timers });
    printer.receive(bytes(ticketBytes("epson-tm-t88vi"), processIdRequest("0001")));
    advance(50);
    expect(printer.tickets()).toHaveLength(0);
    expect(take()).toEqual([]);
    printer.receive(dleEot(1)); // real time: answered while printing
    expect(take()).toEqual([0x12]);
    advance(10_000);
    expect(printer.tickets()).toHaveLength(1);
    expect(take()).toEqual(PROCESS_ID_REPLY);
  });

  it("pauses a ticket at paper out and finishes it, then the barrier, when paper is loaded", () => {
    const { timers, advance } = manualTimers();
    const { printer, take } = harness({ msPerLine: 10, timers });
    printer.receive(bytes(ticketBytes("epson-tm-t20iii"), processIdRequest("0001"), paperSensorStatus()));
    advance(25);
    printer.setPaperOut(true);
    const before = printer.inProgress().lines.length;
    expect(before).toBeGreaterThan(0);
    advance(10_000);
    expect(printer.inProgress().lines.length).toBeLessThanOrEqual(before + 1);
    expect(printer.tickets()).toHaveLength(0);
    expect(take()).toEqual([]);
    printer.setPaperOut(false);
    advance(10_000);
    expect(printer.tickets()).toHaveLength(1);
    expect(texts(printer.tickets()[0]!)).toContain("Pensionid õäöüšž");
    expect(take()).toEqual([...PROCESS_ID_REPLY, 0x00]);
  });

  it("holds the process id while the cover is open, synchronously printing otherwise", () => {
    const { printer, take } = harness();
    printer.setCoverOpen(true);
    printer.receive(bytes(ticketBytes("pos-5890"), processIdRequest("0001")));
    expect(take()).toEqual([]);
    expect(printer.stats().queued).toBeGreaterThan(0);
    printer.setCoverOpen(false);
    expect(take()).toEqual(PROCESS_ID_REPLY);
    expect(printer.tickets()).toHaveLength(1);
  });

  it("behaves like a clone without process id support", () => {
    const { printer, take } = harness({ processId: false });
    printer.receive(bytes(ticketBytes("pos-5890"), processIdRequest("0001")));
    expect(printer.tickets()).toHaveLength(1);
    expect(take()).toEqual([]);
  });

  it("answers nothing and swallows input while vanished", () => {
    const { printer, take } = harness();
    printer.receive(enableAsb());
    take();
    printer.setVanished(true);
    printer.receive(bytes(dleEot(1), ticketBytes("pos-5890"), processIdRequest("0001")));
    printer.setPaperOut(true);
    printer.sendGarbage(Uint8Array.of(1, 2, 3));
    expect(take()).toEqual([]);
    expect(printer.tickets()).toHaveLength(0);
    expect(printer.stats().bytesSwallowed).toBeGreaterThan(0);
    printer.setVanished(false);
    printer.receive(dleEot(4));
    expect(decodeDleEot(4, take()[0]!).paperOut).toBe(true);
  });

  it("sends garbage on request", () => {
    const { printer, take } = harness();
    printer.sendGarbage(Uint8Array.of(0xff, 0x00, 0x37));
    expect(take()).toEqual([0xff, 0x00, 0x37]);
    expect(printer.stats().bytesSent).toBe(3);
  });
});
