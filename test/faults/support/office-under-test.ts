// The whole controller under faults: an office in this process on a real broker (Mosquitto, or the
// embedded one), with a simulated kiosk printer, an X-keys panel on it and a Modbus bus of three
// counter boards; a recorder of everything retained under the office's base; and scripted
// customers and counter staff who keep a ledger of what they were told (the acknowledged tickets,
// the voided numbers, each counter's state), which the invariant checker holds the office to.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ClockSyncSource } from "../../../controller/clock/clock-sync.js";
import { officeConfigSchema } from "../../../controller/config/office-config.js";
import type { OfficeConfig, OfficeConfigInput } from "../../../controller/config/schema.js";
import { memoryLogger } from "../../../controller/health/log.js";
import { ContractClient } from "../../../controller/mqtt/contract-client.js";
import { connectMqtt, type MqttConnection } from "../../../controller/mqtt/transport.js";
import type { PressRecord } from "../../../controller/panels/panel-service.js";
import type { CounterStatus, TicketState } from "../../../controller/queue/core/types.js";
import { type DemoOffice, startDemoOffice } from "../../../demo/demo-office.js";
import type { RequestTarget } from "../../../protocols/mqtt/topics.js";
import { until } from "./wait.js";

export const KIOSK = "kiosk-1";
export const PANEL = "panel-1";
export const BUS = "counter-boards";
/** Panel button -> service: keys 0, 1, 2 of the X-keys. */
export const BUTTONS: Record<string, string> = { "0": "pensions", "1": "benefits", "2": "documents" };

// Generous: a loaded CI machine must not fail a print by being slow.
const kioskPrinter = {
  id: KIOSK,
  profile: "epson-tm-t20iii",
  transport: { type: "simulated" as const },
  confirmTimeoutSeconds: 8,
};

/**
 * The office of the fault suite: three services that never wrap a range, three counters, and
 * all the simulated devices, only the kiosk printer, or none.
 */
export function faultConfig(
  overrides: Partial<OfficeConfigInput> = {},
  devices: "all" | "printer" | "none" = "all",
): OfficeConfig {
  return officeConfigSchema.parse({
    office: { id: "faults", name: { en: "Fault office" } },
    services: [
      { id: "pensions", prefix: "A", names: { en: "Pensions" } },
      { id: "benefits", prefix: "B", names: { en: "Benefits" } },
      { id: "documents", prefix: "C", names: { en: "Documents" } },
    ],
    counters: [
      { id: "1", services: ["pensions", "benefits"] },
      { id: "2", services: ["benefits", "documents"] },
      { id: "3", services: ["documents"] },
    ],
    ...(devices === "printer"
      ? { devices: { printers: [kioskPrinter] } }
      : devices === "all"
        ? {
            devices: {
              printers: [kioskPrinter],
              panels: [
                {
                  id: PANEL,
                  kind: "xkeys",
                  printer: KIOSK,
                  io: { type: "simulated" },
                  // Customers here press one after another: no rate limit between them.
                  rules: { minPressIntervalMs: 0, refusedFlashSeconds: 0.5 },
                  buttons: Object.entries(BUTTONS).map(([button, service]) => ({
                    button,
                    service,
                    led: true,
                  })),
                },
              ],
              boardBuses: [
                {
                  id: BUS,
                  protocol: "modbus-7seg",
                  transport: { type: "simulated" },
                  boards: [1, 2, 3].map((n) => ({ id: `board-${n}`, address: n, counter: String(n) })),
                },
              ],
              boardTexts: { idle: "", closed: "----", blinkSeconds: 0.2 },
            },
          }
        : {}),
    ...overrides,
  });
}

/** The last message of every topic under the office's base, as a fresh subscriber sees it. */
export interface RetainedView {
  connection: MqttConnection;
  last: Map<string, Buffer>;
  json(topic: string): unknown;
  close(): Promise<void>;
}

export async function watchRetained(url: string, base: string): Promise<RetainedView> {
  const connection = connectMqtt({ url, protocolVersion: 4 });
  const last = new Map<string, Buffer>();
  // The embedded broker (aedes) sends the stored retained messages after the SUBACK: a change made
  // within those milliseconds arrives live first and the stale stored copy after it. A stored copy
  // that comes after a live message on its topic (since this connection began) is the older one.
  let live = new Set<string>();
  connection.onConnect(() => {
    live = new Set();
  });
  connection.onMessage((m) => {
    if (m.retain && live.has(m.topic)) return;
    if (!m.retain) live.add(m.topic);
    last.set(m.topic, m.payload);
  });
  await new Promise<void>((resolve) => connection.onConnect(() => resolve()));
  await connection.subscribe([`${base}#`], 1);
  return {
    connection,
    last,
    json(topic) {
      const payload = last.get(`${base}${topic}`);
      return payload && payload.length > 0 ? JSON.parse(payload.toString()) : undefined;
    },
    close: () => connection.end(true),
  };
}

export interface LedgerTicket {
  id: string;
  number: string;
  service: string;
  printer?: string;
  /** The state the script's acknowledged requests leave it in. */
  expected: TicketState;
}

/** What customers and staff were told: the office must agree with all of it. */
export class Ledger {
  /** Tickets in a customer's hand: an ok issue reply, or a press that printed. */
  readonly tickets = new Map<string, LedgerTicket>();
  /** Numbers the office said were void (not printed). */
  readonly voided = new Set<string>();
  readonly counters = new Map<string, { status: CounterStatus; ticket: string | null }>();

  issued(ticket: { id: string; number: string; service: string }, printer?: string): void {
    this.tickets.set(ticket.id, { ...ticket, ...(printer ? { printer } : {}), expected: "waiting" });
  }

  /** A counter verb's ok reply: `{counter: {id, status}, ticket}`. */
  counterReply(counter: string, verb: string, result: Record<string, unknown>): void {
    const status = (result.counter as { status: CounterStatus }).status;
    const ticket = result.ticket as { id: string; state: TicketState } | null;
    const holds = ["call_next", "call", "recall", "start"].includes(verb) && ticket ? ticket.id : null;
    this.counters.set(counter, { status, ticket: holds });
    const known = ticket ? this.tickets.get(ticket.id) : undefined;
    if (known && ticket) known.expected = ticket.state;
  }
}

type Outcome =
  | { ok: true; result: Record<string, unknown> }
  | { ok: false; error: { code: string; message: string } };

export interface OfficeUnderTestOptions {
  /** An external broker (Mosquitto); default the embedded one on free ports. */
  brokerUrl?: string;
  config?: OfficeConfig;
  dataDir?: string;
  clock?: () => number;
  clockSync?: ClockSyncSource;
  monotonic?: () => number;
  tickMs?: number;
}

export class OfficeUnderTest {
  readonly ledger = new Ledger();
  readonly presses: PressRecord[] = [];
  private client: ContractClient | null = null;

  private constructor(
    readonly office: DemoOffice,
    readonly dataDir: string,
    readonly log: ReturnType<typeof memoryLogger>,
    readonly retained: RetainedView,
    private readonly ownsDataDir: boolean,
  ) {
    office.panels.service.onPress((record) => this.presses.push(record));
  }

  static async start(options: OfficeUnderTestOptions = {}): Promise<OfficeUnderTest> {
    const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "vooru-faults-"));
    const base = options.config ?? faultConfig();
    const mqtt = options.brokerUrl
      ? { ...base.mqtt, broker: { ...base.mqtt.broker, url: options.brokerUrl, protocolVersion: 5 as const } }
      : {
          ...base.mqtt,
          embedded: { ...base.mqtt.embedded, host: "127.0.0.1", allowAnonymousLoopback: true },
        };
    const config = officeConfigSchema.parse({ ...base, mqtt, journal: { ...base.journal, dataDir } });
    const log = memoryLogger();
    const office = await startDemoOffice({
      config,
      log,
      version: "faults",
      mqttPort: 0,
      httpPort: 0,
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.clockSync ? { clockSync: options.clockSync } : {}),
      ...(options.monotonic ? { monotonic: options.monotonic } : {}),
      ...(options.tickMs ? { tickMs: options.tickMs } : {}),
    });
    const retained = await watchRetained(office.mqttUrl, office.bridge.topics.base);
    const o = new OfficeUnderTest(office, dataDir, log, retained, options.dataDir === undefined);
    await o.devicesReady();
    return o;
  }

  get base(): string {
    return this.office.bridge.topics.base;
  }

  /** Every simulated device has been heard from: the printer answered, the panel and boards are up. */
  async devicesReady(): Promise<void> {
    const devices = this.office.config.devices;
    const ids = [
      ...devices.printers.map((p) => p.id),
      ...devices.panels.map((p) => p.id),
      ...devices.boardBuses.flatMap((b) => b.boards.map((x) => x.id)),
    ];
    await until(
      () =>
        ids.every((id) => {
          const d = this.office.health.devices().find((x) => x.id === id);
          return d?.status === "ok" && (d.kind !== "printer" || d.lastSeen !== null);
        }),
      () => `devices ready: ${JSON.stringify(this.office.health.devices().map((d) => [d.id, d.status]))}`,
    );
    if (devices.panels.length > 0)
      await until(() => Object.values(this.panelLeds()).every((led) => led === "on"), "the panel's LEDs lit");
  }

  /** A contract client (reconnected if the broker went away since). */
  mqttClient(): ContractClient {
    if (!this.client)
      this.client = ContractClient.connect({
        url: this.office.mqttUrl,
        office: this.office.config.office.id,
      });
    return this.client;
  }

  async dropClient(): Promise<void> {
    const client = this.client;
    this.client = null;
    await client?.close().catch(() => {});
  }

  private async run(
    target: RequestTarget,
    args: Record<string, unknown>,
    via: "mqtt" | "direct",
  ): Promise<Outcome> {
    if (via === "direct") return (await this.office.service.run(target, args)) as Outcome;
    const reply = await this.mqttClient().request(target, args, 20_000);
    return reply.ok
      ? { ok: true, result: reply.result as Record<string, unknown> }
      : { ok: false, error: reply.error };
  }

  /** The desk issues a ticket (at the kiosk printer unless told otherwise). */
  async issue(
    service: string,
    options: { printer?: string | null; via?: "mqtt" | "direct" } = {},
  ): Promise<Outcome> {
    const printer = options.printer === undefined ? KIOSK : options.printer;
    const args = { service, ...(printer ? { printer } : {}) };
    const outcome = await this.run({ scope: "desk", verb: "issue" }, args, options.via ?? "mqtt");
    if (outcome.ok) {
      const ticket = outcome.result.ticket as { id: string; number: string; service: string };
      this.ledger.issued(ticket, printer ?? undefined);
    } else {
      const voided = /^([A-Z]{1,2}\d+) was not printed/.exec(outcome.error.message)?.[1];
      if (voided) this.ledger.voided.add(voided);
    }
    return outcome;
  }

  /** A counter's verb; the ledger follows its ok replies. */
  async counter(
    counter: string,
    verb: string,
    args: Record<string, unknown> = {},
    via: "mqtt" | "direct" = "mqtt",
  ): Promise<Outcome> {
    const target = { scope: "counter", counter, verb } as RequestTarget;
    const outcome = await this.run(target, args, via);
    if (outcome.ok) this.ledger.counterReply(counter, verb, outcome.result);
    return outcome;
  }

  /** A customer presses a topic button and waits for what came of it. */
  async press(button: string): Promise<PressRecord> {
    const seen = this.presses.length;
    const control = this.office.simulated.panels.get(PANEL);
    if (!control) throw new Error("no simulated panel");
    await control.press(button);
    await until(() => this.presses.length > seen, `the outcome of a press on ${button}`);
    const record = this.presses[seen] as PressRecord;
    if (record.outcome === "issued" && record.ticket) {
      const ticket = this.office.queue.core.ticket(record.ticket);
      if (!ticket) throw new Error(`press issued ${record.ticket}, which the queue does not know`);
      this.ledger.issued(ticket, record.printer);
    } else if (record.outcome === "print_failed" && record.ticket) this.ledger.voided.add(record.ticket);
    return record;
  }

  panelLeds(): Record<string, string> {
    return this.office.simulated.panels.get(PANEL)?.leds() ?? {};
  }

  async stop(): Promise<void> {
    await this.dropClient();
    await this.retained.close().catch(() => {});
    await this.office.stop();
    if (this.ownsDataDir) rmSync(this.dataDir, { recursive: true, force: true });
  }
}
