// The large office the load benches run (load-day.ts, load-peak.ts): 8 services with opening hours
// and weights, 20 counters with profiles, 4 kiosks (a simulated X-keys panel and a printer each),
// a desk printer, 20 counter boards on four Modbus buses and a main board on an Alpha bus, the
// embedded broker. The clock is injected: real time plus a skew the benches move forward, so a
// day passes in minutes while everything that times itself in real milliseconds (debounce, bus
// gaps, reply timeouts) still sees milliseconds go by.
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { officeConfigSchema } from "../controller/config/office-config.js";
import type { OfficeConfig } from "../controller/config/schema.js";
import { silentLogger } from "../controller/health/log.js";
import { ContractClient } from "../controller/mqtt/contract-client.js";
import { type DemoOffice, startDemoOffice } from "../demo/demo-office.js";
import type { Reply } from "../protocols/mqtt/schemas.js";
import type { RequestTarget } from "../protocols/mqtt/topics.js";
import { MINUTE } from "./queue-office.js";
import { benchDir } from "./support.js";

/** 00:00 in Tallinn (UTC+2 in November) on Tuesday 2026-11-24: a working day. */
export const MIDNIGHT = Date.UTC(2026, 10, 23, 22, 0);
/** A local time of that day, "09:30" -> epoch ms. */
export function at(hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number) as [number, number];
  return MIDNIGHT + (h * 60 + m) * MINUTE;
}

export interface LoadService {
  id: string;
  prefix: string;
  /** Share of the day's customers. */
  share: number;
  /** Mean minutes at the counter. */
  serviceMinutes: number;
  hours: string[];
  weight?: number;
  maxWaitMinutes: number;
}

// 3 000 customers at 20 counters in ten hours leave about three and a half minutes per customer;
// the means below average 2.4 minutes, about 3 with the walk to the counter, no-shows and the
// pause between customers, so the counters run near 80 % and above 100 % at the peaks.
export const SERVICES: readonly LoadService[] = [
  {
    id: "pensions",
    prefix: "A",
    share: 0.2,
    serviceMinutes: 2.9,
    hours: ["08:00-18:00"],
    maxWaitMinutes: 45,
  },
  {
    id: "benefits",
    prefix: "B",
    share: 0.18,
    serviceMinutes: 2.4,
    hours: ["08:00-18:00"],
    maxWaitMinutes: 45,
  },
  {
    id: "documents",
    prefix: "C",
    share: 0.16,
    serviceMinutes: 1.4,
    hours: ["08:00-18:00"],
    maxWaitMinutes: 45,
  },
  {
    id: "residency",
    prefix: "D",
    share: 0.12,
    serviceMinutes: 3.4,
    hours: ["09:00-17:00"],
    maxWaitMinutes: 45,
  },
  {
    id: "family",
    prefix: "E",
    share: 0.1,
    serviceMinutes: 2.4,
    hours: ["08:00-12:00", "13:00-18:00"],
    maxWaitMinutes: 45,
  },
  {
    id: "permits",
    prefix: "F",
    share: 0.06,
    serviceMinutes: 3.8,
    hours: ["10:00-16:00"],
    maxWaitMinutes: 60,
  },
  { id: "taxes", prefix: "G", share: 0.1, serviceMinutes: 1.9, hours: ["08:00-18:00"], maxWaitMinutes: 45 },
  {
    id: "info",
    prefix: "H",
    share: 0.08,
    serviceMinutes: 1,
    hours: ["08:00-18:00"],
    weight: 2,
    maxWaitMinutes: 30,
  },
];

type Profile = Array<string | { service: string; weight: number }>;
const w = (service: string, weight: number) => ({ service, weight });
/** Counter profiles: a main service (weight 2) and helpers; counter 20 is the floor manager's. */
function profileOf(n: number): Profile {
  if (n <= 4) return [w("pensions", 2), "benefits", "info"];
  if (n <= 7) return [w("benefits", 2), "pensions", "family"];
  if (n <= 10) return [w("documents", 2), "info", "taxes"];
  if (n <= 12) return [w("residency", 2), "documents", "permits"];
  if (n === 13) return [w("residency", 2), w("permits", 2)];
  if (n <= 15) return [w("family", 2), "benefits", "residency"];
  if (n === 16) return [w("permits", 2), "residency", "taxes"];
  if (n <= 18) return [w("taxes", 2), "documents", "pensions"];
  if (n === 19) return [w("info", 3), "documents", "taxes"];
  return SERVICES.map((s) => s.id);
}

export const COUNTERS = Array.from({ length: 20 }, (_, i) => String(i + 1));
export const KIOSKS = ["kiosk-1", "kiosk-2", "kiosk-3", "kiosk-4"];
/** X-keys key index of each service's button: the first two columns of an XK-24. */
export const BUTTONS = ["0", "1", "2", "3", "4", "5", "8", "9"];
export const DESK_PRINTER = "desk-1";
const BUSES = 4;
const PER_BUS = COUNTERS.length / BUSES;

export function buttonOf(service: string): string {
  return BUTTONS[SERVICES.findIndex((s) => s.id === service)] as string;
}

export function loadOfficeConfig(dataDir: string): OfficeConfig {
  const hours = (list: string[]) => ({ mon: list, tue: list, wed: list, thu: list, fri: list });
  return officeConfigSchema.parse({
    office: { id: "load", name: { en: "Load office" } },
    services: SERVICES.map((s) => ({
      id: s.id,
      prefix: s.prefix,
      names: { en: s.id },
      range: { first: 1, last: 999 },
      maxWaitMinutes: s.maxWaitMinutes,
      hours: hours(s.hours),
      ...(s.weight ? { weight: s.weight } : {}),
    })),
    counters: COUNTERS.map((id) => ({ id, services: profileOf(Number(id)) })),
    journal: { dataDir },
    // The clock is the bench's: nothing to wait for.
    clock: { requireSync: "never" },
    mqtt: { embedded: { host: "127.0.0.1", port: 0, httpPort: 0, allowAnonymousLoopback: true } },
    desk: { printer: DESK_PRINTER },
    devices: {
      printers: [...KIOSKS, DESK_PRINTER].map((id) => ({
        id,
        profile: "epson-tm-t20iii",
        transport: { type: "simulated" },
      })),
      panels: KIOSKS.map((printer, k) => ({
        id: `panel-${k + 1}`,
        kind: "xkeys",
        printer,
        io: { type: "simulated" },
        buttons: SERVICES.map((s) => ({ button: buttonOf(s.id), service: s.id, led: true })),
      })),
      boardBuses: [
        ...Array.from({ length: BUSES }, (_, b) => ({
          id: `bus-${b + 1}`,
          protocol: "modbus-7seg",
          transport: { type: "simulated" },
          boards: Array.from({ length: PER_BUS }, (_, i) => ({
            id: `board-${b * PER_BUS + i + 1}`,
            address: i + 1,
            counter: String(b * PER_BUS + i + 1),
          })),
        })),
        {
          id: "main-bus",
          protocol: "alpha",
          transport: { type: "simulated" },
          boards: [{ id: "main", address: 1, zone: "main", lines: 3 }],
        },
      ],
      // No blink: a blink is five seconds of real frames per call, and a day compressed into
      // minutes would fill the buses with them, a load no office has.
      boardTexts: { blinkSeconds: 0 },
    },
  });
}

/** Real time plus a skew that only grows: jumpTo() skips the idle minutes of a simulated day. */
export class VirtualClock {
  private skew: number;
  constructor(start: number) {
    this.skew = start - Date.now();
  }
  readonly now = (): number => Date.now() + this.skew;
  jumpTo(t: number): void {
    const now = this.now();
    if (t > now) this.skew += t - now;
  }
}

export async function startLoadOffice(clock: VirtualClock, prefix: string) {
  const dataDir = mkdtempSync(join(benchDir(), `vooru-bench-${prefix}-`));
  const config = loadOfficeConfig(dataDir);
  const office = await startDemoOffice({
    config,
    log: silentLogger,
    version: "bench",
    clock: clock.now,
    tickMs: 2000,
  });
  await until(
    () =>
      office.health
        .devices()
        .every((d) => d.status === "ok" && (d.kind !== "printer" || d.lastSeen !== null)),
    "every printer, panel and board online",
  );
  return { office, dataDir };
}

/** MQTT clients on 3.1.1 as counter panels are; answered once the bridge has subscribed. */
export async function connectClient(office: DemoOffice): Promise<ContractClient> {
  const client = ContractClient.connect({
    url: office.mqttUrl,
    office: office.config.office.id,
    protocolVersion: 4,
  });
  for (let attempt = 1; ; attempt++) {
    try {
      await client.request({ scope: "system", verb: "resync" }, {}, 500);
      return client;
    } catch (error) {
      if (attempt >= 20) throw error;
    }
  }
}

/** A request timed from publish to reply. */
export async function timed(
  client: ContractClient,
  target: RequestTarget,
  args: Record<string, unknown>,
  into: number[],
): Promise<Reply> {
  const t0 = performance.now();
  const reply = await client.request(target, args);
  into.push(performance.now() - t0);
  return reply;
}

export async function until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const started = performance.now();
  while (!check()) {
    if (performance.now() - started > timeoutMs) throw new Error(`bench load: timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
