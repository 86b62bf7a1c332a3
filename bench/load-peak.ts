// A peak against the running load office (load-office.ts) at 10:30 with 200 tickets waiting: within
// one second of wall time, 100 presses over the four kiosks' panels and 50 call_next requests over
// MQTT from the 20 counters (each counter starts the customer it called, and finishes them before
// its next call). The clock runs at real speed here. Measured: what became of each press (the
// press rules decide), the tickets printed, press -> first printer byte and request -> reply, and
// that nothing was lost.
import { rmSync } from "node:fs";
import { performance } from "node:perf_hooks";
import type { ContractClient } from "../controller/mqtt/contract-client.js";
import { PRESS_OUTCOMES } from "../controller/panels/press-rules.js";
import type { RequestTarget } from "../protocols/mqtt/topics.js";
import { Kiosks, type PressResult } from "./load-kiosks.js";
import {
  at,
  BUTTONS,
  COUNTERS,
  connectClient,
  KIOSKS,
  SERVICES,
  startLoadOffice,
  timed,
  until,
  VirtualClock,
} from "./load-office.js";
import { PrinterProbe } from "./load-probes.js";
import { mulberry32 } from "./queue-office.js";
import { type BenchResult, collectGarbage, figure, latencyFigures } from "./support.js";

export interface PeakSize {
  presses: number;
  calls: number;
  /** Wall milliseconds the presses and the calls are spread over. */
  spanMs: number;
  /** Tickets waiting when the peak starts. */
  waiting: number;
}
export const DEFAULT_SIZE: PeakSize = { presses: 100, calls: 50, spanMs: 1000, waiting: 200 };

const BENCH = "load-peak";
const sleepUntil = (t: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, t - performance.now())));

/**
 * Which button each press is: rounds of every kiosk button in a seeded order, so a button comes
 * back about a round later (4 kiosks x 8 buttons = 32 presses, 320 ms at 100 presses a second).
 */
function pressOrder(presses: number, seed: number): Array<{ kiosk: number; service: string }> {
  const random = mulberry32(seed);
  const all = KIOSKS.flatMap((_, kiosk) => SERVICES.map((s) => ({ kiosk, service: s.id })));
  const out: Array<{ kiosk: number; service: string }> = [];
  while (out.length < presses) {
    const round = [...all];
    for (let i = round.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [round[i], round[j]] = [round[j] as (typeof round)[number], round[i] as (typeof round)[number]];
    }
    out.push(...round.slice(0, presses - out.length));
  }
  return out;
}

export async function run(size: PeakSize = DEFAULT_SIZE): Promise<BenchResult[]> {
  const clock = new VirtualClock(at("10:30"));
  const { office, dataDir } = await startLoadOffice(clock, "load-peak");
  const clients: ContractClient[] = [];
  try {
    const printers = new PrinterProbe(office);
    const kiosks = new Kiosks(office, printers);
    // The morning so far: tickets waiting, issued straight into the queue (no printing).
    for (let i = 0; i < size.waiting; i++) {
      const service = SERVICES[i % SERVICES.length]?.id as string;
      const issued = office.queue.execute({ type: "issue", service });
      const ticket = issued.events.findLast((e) => e.type === "ticket_reserved")?.ticket;
      if (!issued.ok || !ticket) throw new Error(`bench load-peak: could not seed a ${service} ticket`);
      if (!office.queue.execute({ type: "confirm_print", ticket }).ok)
        throw new Error("confirm_print refused");
    }
    const counterClients = new Map<string, ContractClient>();
    for (const id of COUNTERS) {
      const client = await connectClient(office);
      clients.push(client);
      counterClients.set(id, client);
      const opened = await client.request({ scope: "counter", counter: id, verb: "open" });
      if (!opened.ok) throw new Error(`bench load-peak: counter ${id} did not open`);
    }
    const printedBefore = new Map([...printers.printed].map(([id, list]) => [id, list.length]));
    collectGarbage();

    const order = pressOrder(size.presses, 7);
    const callLatencies: number[] = [];
    const otherLatencies: number[] = [];
    const replies = { ok: 0, refused: 0, unanswered: 0 };
    // Counter c calls at slots c-1, c-1+20, ...: its requests go one after another.
    const slots = new Map<string, number[]>();
    for (let j = 0; j < size.calls; j++) {
      const counter = COUNTERS[j % COUNTERS.length] as string;
      slots.set(counter, [...(slots.get(counter) ?? []), (j * size.spanMs) / size.calls]);
    }
    const start = performance.now() + 50;
    const counterRun = async (counter: string, times: number[]) => {
      const client = counterClients.get(counter) as ContractClient;
      const target = (verb: string) => ({ scope: "counter", counter, verb }) as RequestTarget;
      let holding = false;
      for (const t of times) {
        await sleepUntil(start + t);
        if (holding) await timed(client, target("finish"), {}, otherLatencies);
        try {
          const reply = await timed(client, target("call_next"), {}, callLatencies);
          if (reply.ok) replies.ok++;
          else replies.refused++;
          holding = reply.ok;
        } catch {
          replies.unanswered++;
          continue;
        }
        if (holding) await timed(client, target("start"), {}, otherLatencies);
      }
    };
    const presses: Array<Promise<PressResult>> = [];
    const pressing = (async () => {
      for (const [i, press] of order.entries()) {
        await sleepUntil(start + (i * size.spanMs) / size.presses);
        presses.push(kiosks.press(press.kiosk, press.service));
      }
    })();
    await Promise.all([pressing, ...[...slots].map(([counter, times]) => counterRun(counter, times))]);
    const results = await Promise.all(presses);
    await office.panels.service.idle();
    const wallMs = performance.now() - start;
    await until(() => kiosks.pending === 0, "every admitted press to end");

    let printed = 0;
    let misprinted = 0;
    for (const printer of KIOSKS) {
      const list = (printers.printed.get(printer) ?? []).slice(printedBefore.get(printer) ?? 0);
      const issued = kiosks.issued.get(printer) ?? [];
      printed += list.length;
      misprinted += Math.abs(list.length - issued.length);
      for (const number of issued) if (list.filter((n) => n === number).length !== 1) misprinted++;
    }
    const buttons = new Set(order.map((p) => `${p.kiosk}/${p.service}`)).size;
    return [
      figure(
        BENCH,
        `presses over ${KIOSKS.length} kiosks x ${BUTTONS.length} buttons in ${size.spanMs} ms`,
        order.length,
        "presses",
      ),
      figure(BENCH, "buttons pressed (each first press may print)", buttons, "buttons"),
      ...PRESS_OUTCOMES.filter((o) => o === "issued" || o === "rate_limited" || kiosks.outcomes[o] > 0).map(
        (o) => figure(BENCH, `presses ${o}`, results.filter((r) => r.outcome === o).length, "presses"),
      ),
      figure(BENCH, "tickets printed at the kiosks", printed, "tickets"),
      // The panels bench's idle target, for comparison: measured under the peak, not promised.
      ...latencyFigures(BENCH, "press -> first printer byte", printers.latencies, {
        op: "<",
        value: 10,
        informative: true,
      }),
      figure(
        BENCH,
        `call_next requests from ${COUNTERS.length} counters in ${size.spanMs} ms`,
        size.calls,
        "requests",
      ),
      figure(BENCH, "call_next answered with a ticket", replies.ok, "requests"),
      figure(BENCH, "call_next answered with a refusal", replies.refused, "requests"),
      ...latencyFigures(BENCH, "call_next request -> reply over MQTT", callLatencies, {
        op: "<",
        value: 200,
      }),
      ...latencyFigures(BENCH, "start/finish request -> reply over MQTT", otherLatencies),
      figure(BENCH, "wall time until the last ticket and reply", wallMs, "ms"),
      figure(BENCH, "issued tickets not printed exactly once", misprinted, "tickets", {
        op: "<",
        value: 1,
      }),
      figure(BENCH, "call_next requests unanswered", replies.unanswered, "requests", { op: "<", value: 1 }),
    ];
  } finally {
    await Promise.all(clients.map((c) => c.close().catch(() => {})));
    await office.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
