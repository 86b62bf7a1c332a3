// A day of a large office in accelerated time (see load-office.ts for the office): 3 000 customers
// arrive on a seeded curve with a morning and an after-lunch peak and press their service's button
// at one of four kiosks; 20 counters open, pause for lunch, call next, recall, mark no-shows,
// serve, transfer and close, over MQTT; the desk cancels a few wrongly taken tickets and reissues
// them. The clock jumps over idle time; events that fall within WINDOW of each other run at once,
// so the office serves them concurrently as it would a busy minute. Measured: throughput, the
// latencies of the other benches under this load, the waits the day produced per service, memory,
// the journal and its replay.
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { OfficeConfig } from "../controller/config/schema.js";
import { silentLogger } from "../controller/health/log.js";
import type { ContractClient } from "../controller/mqtt/contract-client.js";
import { serviceOpenAt } from "../controller/panels/panel-service.js";
import { PRESS_OUTCOMES } from "../controller/panels/press-rules.js";
import { DurableQueue } from "../controller/queue/durable-queue.js";
import type { Reply } from "../protocols/mqtt/schemas.js";
import type { RequestTarget } from "../protocols/mqtt/topics.js";
import { Agenda, arrivals, type CounterPlan, counterPlans, drawMinutes } from "./load-day-plan.js";
import { Kiosks } from "./load-kiosks.js";
import {
  at,
  COUNTERS,
  connectClient,
  DESK_PRINTER,
  KIOSKS,
  SERVICES,
  startLoadOffice,
  timed,
  until,
  VirtualClock,
} from "./load-office.js";
import { BoardProbe, instrument, PrinterProbe } from "./load-probes.js";
import { MINUTE, mulberry32, SECOND } from "./queue-office.js";
import { type BenchResult, benchDir, collectGarbage, figure, latencyFigures } from "./support.js";

export interface DaySize {
  customers: number;
  seed: number;
  /** Events this close in simulated time run concurrently. */
  windowMs: number;
}
export const DEFAULT_SIZE: DaySize = { customers: 3000, seed: 20261124, windowMs: 5 * SECOND };

const IDLE_TARGET = (value: number) => ({ op: "<" as const, value, informative: true });
const BENCH = "load-day";
const NO_SHOW = 0.03;
const TRANSFER = 0.02;
const DESK_FIX = 0.005;
const MAX_TRIES = 5;
const MB = 1024 * 1024;

type Ticket = { number: string; service: string } | null;
const ticketOf = (reply: Reply): Ticket =>
  reply.ok ? ((reply.result as { ticket?: Ticket }).ticket ?? null) : null;

export async function run(size: DaySize = DEFAULT_SIZE): Promise<BenchResult[]> {
  const random = mulberry32(size.seed);
  const clock = new VirtualClock(at("07:45"));
  const { office, dataDir } = await startLoadOffice(clock, "load-day");
  const clients: ContractClient[] = [];
  try {
    const config = office.config;
    const isOpen = serviceOpenAt(config);
    const boards = new BoardProbe(office);
    const printers = new PrinterProbe(office);
    const counted = instrument(office, boards);
    const kiosks = new Kiosks(office, printers);
    const counterClients = new Map<string, ContractClient>();
    for (const id of COUNTERS) {
      const client = await connectClient(office);
      clients.push(client);
      counterClients.set(id, client);
    }
    const desk = await connectClient(office);
    clients.push(desk);

    // Waits from the queue itself: each ticket's first call, minus when its customer arrived.
    const waits = new Map<string, number[]>(SERVICES.map((s) => [s.id, []]));
    const calledOnce = new Set<string>();
    office.queue.onEvents((events) => {
      for (const e of events) {
        if (e.type !== "ticket_called" || calledOnce.has(e.ticket)) continue;
        calledOnce.add(e.ticket);
        const ticket = office.queue.core.view.tickets.get(e.ticket);
        if (ticket) waits.get(ticket.service)?.push((e.ts - ticket.arrivedAt) / MINUTE);
      }
    });

    const mqtt: number[] = [];
    const tally = { gaveUp: 0, served: 0, noShows: 0, recalls: 0, transfers: 0, deskFixes: 0 };
    const agenda = new Agenda();
    const wake = (plan: CounterPlan, t: number) => {
      const gen = ++plan.gen;
      agenda.add(t, () => step(plan, gen));
    };
    // A ticket entering a queue wakes the idle counters that serve it, after a glance at the page.
    const serves = new Map(
      config.counters.map((c) => [
        c.id,
        new Set(c.services.map((e) => (typeof e === "string" ? e : e.service))),
      ]),
    );
    let plans: CounterPlan[] = [];
    office.queue.onEvents((events) => {
      for (const e of events) {
        const service =
          e.type === "ticket_issued"
            ? office.queue.core.view.tickets.get(e.ticket)?.service
            : e.type === "ticket_transferred"
              ? e.to
              : undefined;
        if (!service) continue;
        for (const plan of plans)
          if (plan.watching && serves.get(plan.id)?.has(service)) {
            plan.watching = false;
            wake(plan, clock.now() + (3 + 12 * random()) * SECOND);
          }
      }
    });
    const openServices = (now: number) => SERVICES.filter((s) => isOpen(s.id, now));
    const request = (client: ContractClient, target: Parameters<ContractClient["request"]>[0], args = {}) =>
      timed(client, target, args, mqtt);

    // Customers: press, and press again a few seconds later if the press was refused.
    const arrive = async (customer: { kiosk: number; service: string; tries: number }) => {
      const press = await kiosks.press(customer.kiosk, customer.service);
      if (press.outcome === "issued" && press.ticket) {
        if (random() < DESK_FIX)
          agenda.add(clock.now() + (2 + 4 * random()) * MINUTE, () => deskFix(press.ticket as string));
        return;
      }
      if (press.outcome === "print_failed")
        throw new Error(`bench load-day: a print failed at ${press.printer}`);
      if (++customer.tries < MAX_TRIES && press.outcome !== "closed")
        agenda.add(clock.now() + (4 + 4 * random()) * SECOND, () => arrive(customer));
      else tally.gaveUp++;
    };
    // The desk: a customer took the wrong topic; cancel it and reissue it for another service.
    const deskFix = async (number: string) => {
      const now = clock.now();
      const other = openServices(now).filter((s) => !number.startsWith(s.prefix));
      const service = other[Math.floor(random() * other.length)];
      if (!service) return;
      // The desk sees the queue (the tickets topic): a customer already called is the counter's.
      const held = [...office.queue.core.view.tickets.values()].find((t) => t.number === number);
      if (held?.state !== "waiting") return;
      const cancel = await request(
        desk,
        { scope: "desk", verb: "cancel" },
        { ticket: number, reason: "wrong_service" },
      );
      if (!cancel.ok) throw new Error(`bench load-day: cancel refused: ${cancel.error.message}`);
      const reissue = await request(
        desk,
        { scope: "desk", verb: "reissue" },
        { ticket: number, service: service.id, printer: DESK_PRINTER },
      );
      if (!reissue.ok) throw new Error(`bench load-day: reissue refused: ${reissue.error.message}`);
      tally.deskFixes++;
    };
    // A counter: one action per event, then the next event at its time.
    const step = async (plan: CounterPlan, gen: number): Promise<void> => {
      // A wake superseded by a later one (a ticket came before the fallback look) does nothing.
      if (gen !== plan.gen) return;
      const client = counterClients.get(plan.id) as ContractClient;
      const target = (verb: string) => ({ scope: "counter", counter: plan.id, verb }) as RequestTarget;
      const now = clock.now();
      const later = (ms: number): void => wake(plan, now + ms);
      const expectOk = (reply: Reply) => {
        if (!reply.ok) throw new Error(`bench load-day: counter ${plan.id} refused: ${reply.error.message}`);
        return reply;
      };
      switch (plan.phase) {
        case "closed":
          expectOk(await request(client, target("open")));
          plan.phase = "idle";
          return later(0);
        case "lunch":
          expectOk(await request(client, target("open")));
          plan.phase = "idle";
          return later(0);
        case "idle": {
          if (!plan.lunched && now >= plan.lunchAt && now < plan.endsAt) {
            expectOk(await request(client, target("pause")));
            plan.lunched = true;
            plan.phase = "lunch";
            return later(plan.lunchMinutes * MINUTE);
          }
          const reply = await request(client, target("call_next"));
          const ticket = ticketOf(reply);
          if (!ticket) {
            if (!reply.ok && reply.error.code !== "QUEUE_EMPTY") expectOk(reply);
            // Nothing waits: closing time closes; otherwise staff watch the queue on their page
            // and call when a ticket comes (see the listener below), or look again at lunch or
            // closing time.
            if (now >= plan.endsAt) {
              expectOk(await request(client, target("close")));
              plan.phase = "done";
              return;
            }
            plan.watching = true;
            const boundary = plan.lunched ? plan.endsAt : Math.min(plan.lunchAt, plan.endsAt);
            return later(Math.max(boundary - now, 0) + SECOND);
          }
          plan.watching = false;
          plan.phase = "called";
          plan.service = ticket.service;
          plan.recalls = 0;
          plan.noShow = random() < NO_SHOW;
          return later((0.2 + 0.5 * random()) * MINUTE);
        }
        case "called":
          if (plan.noShow) {
            if (plan.recalls < 2) {
              expectOk(await request(client, target("recall")));
              plan.recalls++;
              tally.recalls++;
              return later(MINUTE);
            }
            expectOk(await request(client, target("no_show")));
            tally.noShows++;
            plan.phase = "idle";
            return later(0);
          }
          expectOk(await request(client, target("start")));
          plan.phase = "serving";
          return later(drawMinutes(plan.service, random) * MINUTE);
        case "serving": {
          const others = openServices(now).filter((s) => s.id !== plan.service);
          const to = others[Math.floor(random() * others.length)];
          if (to && random() < TRANSFER) {
            expectOk(await request(client, target("transfer"), { service: to.id }));
            tally.transfers++;
          } else {
            expectOk(await request(client, target("finish")));
            tally.served++;
          }
          plan.phase = "idle";
          return later((5 + 10 * random()) * SECOND);
        }
        case "done":
          return;
      }
    };

    const day = arrivals(size.customers, random, isOpen);
    for (const a of day) {
      const customer = { kiosk: Math.floor(random() * KIOSKS.length), service: a.service, tries: 0 };
      agenda.add(a.at, () => arrive(customer));
    }
    plans = counterPlans();
    for (const plan of plans) wake(plan, plan.opensAt);

    collectGarbage();
    const started = performance.now();
    const dayStart = clock.now();
    while (agenda.size > 0) {
      clock.jumpTo(agenda.nextAt());
      await Promise.all(agenda.takeUntil(clock.now() + size.windowMs).map((event) => event()));
    }
    await office.panels.service.idle();
    const wallMs = performance.now() - started;
    const simulatedHours = (clock.now() - dayStart) / (60 * MINUTE);
    await until(() => boards.outstanding === 0, "the last board frames");

    // What was lost: tickets still open, numbers issued but not printed exactly once.
    const open = office.queue.core.openTickets().length;
    let misprinted = 0;
    for (const printer of KIOSKS) {
      const printed = printers.printed.get(printer) ?? [];
      const issued = kiosks.issued.get(printer) ?? [];
      misprinted += Math.abs(printed.length - issued.length);
      for (const number of issued) if (printed.filter((n) => n === number).length !== 1) misprinted++;
    }
    const deskPrinted = printers.printed.get(DESK_PRINTER)?.length ?? 0;
    misprinted += Math.abs(deskPrinted - tally.deskFixes);

    collectGarbage();
    const memory = process.memoryUsage();
    const issued = [...kiosks.issued.values()].reduce((n, list) => n + list.length, 0);
    const commands = counted.commands();
    const results: BenchResult[] = [
      figure(BENCH, "customers arriving (08:00-18:00, peaks at 10:00 and 14:00)", day.length, "customers"),
      figure(BENCH, "tickets issued at 4 kiosks", issued, "tickets"),
      ...PRESS_OUTCOMES.filter((o) => o !== "issued" && kiosks.outcomes[o] > 0).map((o) =>
        figure(BENCH, `presses ${o} (the customer pressed again)`, kiosks.outcomes[o], "presses"),
      ),
      figure(BENCH, "customers who got no ticket", tally.gaveUp, "customers"),
      figure(BENCH, "customers served (finished)", tally.served, "customers"),
      figure(BENCH, "no-shows (after two recalls)", tally.noShows, "tickets"),
      figure(BENCH, "recalls", tally.recalls, "recalls"),
      figure(BENCH, "transfers to another service", tally.transfers, "tickets"),
      figure(BENCH, "cancelled and reissued at the desk", tally.deskFixes, "tickets"),
      figure(BENCH, "simulated day (07:45 to the last counter closing)", simulatedHours, "h"),
      figure(BENCH, "wall time of the day", wallMs / 1000, "s"),
      figure(BENCH, "queue commands executed (journal fsync each)", commands, "commands"),
      figure(BENCH, "throughput", commands / (wallMs / 1000), "commands/s"),
      figure(BENCH, "MQTT requests (counters and desk)", mqtt.length, "requests"),
      // The idle targets of the panels, boards and mqtt benches, shown for comparison: under a
      // compressed day's load they are measured, not promised.
      ...latencyFigures(BENCH, "press -> first printer byte", printers.latencies, IDLE_TARGET(10)),
      ...latencyFigures(BENCH, "call_next -> counter board frame", boards.latencies, IDLE_TARGET(5)),
      ...latencyFigures(BENCH, "counter/desk request -> reply over MQTT", mqtt, IDLE_TARGET(25)),
    ];
    for (const service of SERVICES) {
      const list = waits.get(service.id) ?? [];
      const mean = list.reduce((a, b) => a + b, 0) / Math.max(1, list.length);
      results.push(
        figure(BENCH, `wait ${service.id} (${list.length} called): mean`, mean, "min"),
        figure(
          BENCH,
          `wait ${service.id}: max (boost after ${service.maxWaitMinutes})`,
          list.length ? Math.max(...list) : 0,
          "min",
        ),
      );
    }
    results.push(
      figure(BENCH, "tickets still open after closing", open, "tickets", { op: "<", value: 1 }),
      figure(BENCH, "tickets not printed exactly once", misprinted, "tickets", { op: "<", value: 1 }),
      figure(BENCH, "board frames never seen", boards.unseen + boards.outstanding, "calls", {
        op: "<",
        value: 1,
      }),
      figure(BENCH, "calls of a number its board still showed (not timed)", boards.alreadyShown, "calls"),
      figure(
        BENCH,
        "call frames replaced by a newer text before sent (not timed)",
        boards.superseded,
        "calls",
      ),
      // The bench process's: the office with its simulated devices, 21 MQTT clients, and what the
      // benches before this one left behind; the queue bench measures the office alone.
      figure(BENCH, "RSS at the end (office, simulators, 21 clients)", memory.rss / MB, "MB", {
        op: "<",
        value: 150,
        informative: true,
      }),
      figure(BENCH, "heapUsed at the end", memory.heapUsed / MB, "MB"),
    );
    const lastTs = clock.now();
    const seq = office.queue.core.seq;
    await Promise.all(clients.splice(0).map((c) => c.close().catch(() => {})));
    await office.stop();
    results.push(...journalFigures(dataDir, config, lastTs, seq));
    return results;
  } finally {
    await Promise.all(clients.map((c) => c.close().catch(() => {})));
    await office.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The day's journal: its size, a restart (snapshot + tail), and a replay of every event. */
function journalFigures(dataDir: string, config: OfficeConfig, lastTs: number, seq: number): BenchResult[] {
  const journalDir = join(dataDir, "journal");
  let bytes = 0;
  for (const name of readdirSync(journalDir))
    if (name.endsWith(".jsonl")) bytes += statSync(join(journalDir, name)).size;
  const open = (dir: string) => {
    collectGarbage();
    const t0 = performance.now();
    const queue = DurableQueue.open({ config, dataDir: dir, clock: () => lastTs, log: silentLogger });
    const ms = performance.now() - t0;
    const replayed = queue.core.seq;
    queue.close();
    if (replayed !== seq) throw new Error(`bench load-day: replay ended at seq ${replayed}, not ${seq}`);
    return ms;
  };
  const restartMs = open(dataDir);
  // The same events without the snapshots: every event of the day replayed.
  const bare = mkdtempSync(join(benchDir(), "vooru-bench-load-replay-"));
  try {
    cpSync(journalDir, join(bare, "journal"), { recursive: true });
    const replayMs = open(bare);
    return [
      figure(BENCH, "journal: events of the day", seq, "events"),
      figure(BENCH, "journal: size", bytes / MB, "MB"),
      figure(BENCH, "restart on the day's journal (snapshot + tail)", restartMs, "ms", {
        op: "<",
        value: 1000,
      }),
      figure(BENCH, "replay every event of the day (no snapshot)", replayMs, "ms", { op: "<", value: 1000 }),
    ];
  } finally {
    rmSync(bare, { recursive: true, force: true });
  }
}
