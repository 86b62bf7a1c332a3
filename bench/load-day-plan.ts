// The plan of the simulated day (load-day.ts): when customers arrive and for what, the counters'
// shifts, service times, and the agenda of timed events. Pure and seeded: the same seed gives the
// same day.
import { at, COUNTERS, SERVICES } from "./load-office.js";
import { MINUTE } from "./queue-office.js";

/**
 * Customers per minute, relative: a base, a morning peak around 10:00 and an after-lunch peak
 * around 14:00, fewer over lunch.
 */
function intensity(minuteOfDay: number): number {
  const peak = (centre: number, width: number, height: number) =>
    height * Math.exp(-(((minuteOfDay - centre) / width) ** 2));
  const lunch = minuteOfDay >= 12 * 60 && minuteOfDay < 13 * 60 ? 0.7 : 1;
  return (1 + peak(10 * 60, 50, 1.6) + peak(14 * 60, 45, 1.3)) * lunch;
}

/** `n` arrivals between 08:00 and 18:00 on the intensity curve, each for a service open then. */
export function arrivals(
  n: number,
  random: () => number,
  isOpen: (service: string, now: number) => boolean,
): Array<{ at: number; service: string }> {
  const first = 8 * 60;
  const minutes = Array.from({ length: 10 * 60 }, (_, i) => intensity(first + i));
  const cumulative: number[] = [];
  let total = 0;
  for (const m of minutes) {
    total += m;
    cumulative.push(total);
  }
  const out: Array<{ at: number; service: string }> = [];
  for (let i = 0; i < n; i++) {
    const u = random() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] as number) < u) lo = mid + 1;
      else hi = mid;
    }
    const t = at("08:00") + (lo + random()) * MINUTE;
    // A customer only comes for a service whose button is lit: the shares of the open ones.
    const open = SERVICES.filter((s) => isOpen(s.id, t));
    const sum = open.reduce((a, s) => a + s.share, 0);
    const pick = random() * sum;
    let below = 0;
    const service =
      open.find((s) => {
        below += s.share;
        return pick < below;
      }) ?? open.at(-1);
    if (service) out.push({ at: t, service: service.id });
  }
  return out.sort((a, b) => a.at - b.at);
}

/** Minutes at the counter: exponential around the service's mean, cut to 0.15x..4x of it. */
export function drawMinutes(service: string | undefined, random: () => number): number {
  const mean = SERVICES.find((s) => s.id === service)?.serviceMinutes ?? 3;
  return mean * Math.min(4, Math.max(0.15, -Math.log(1 - random())));
}

export interface CounterPlan {
  id: string;
  opensAt: number;
  lunchAt: number;
  lunchMinutes: number;
  /** After this the counter closes as soon as nothing waits for it. */
  endsAt: number;
  phase: "closed" | "idle" | "called" | "serving" | "lunch" | "done";
  lunched: boolean;
  service?: string;
  recalls: number;
  noShow: boolean;
  /** Idle with nothing to call: a ticket for one of its services wakes it. */
  watching: boolean;
  /** Bumped by every wake: only the newest scheduled step runs. */
  gen: number;
}

/** Shifts: most counters open at 08:00, every third at 08:30; lunches staggered 11:00-12:40. */
export function counterPlans(): CounterPlan[] {
  return COUNTERS.map((id) => {
    const n = Number(id);
    return {
      id,
      opensAt: n % 3 === 0 ? at("08:30") : at("08:00"),
      lunchAt: at("11:00") + (n % 6) * 20 * MINUTE,
      lunchMinutes: 30,
      endsAt: n % 2 === 1 ? at("17:30") : at("18:00"),
      phase: "closed",
      lunched: false,
      recalls: 0,
      noShow: false,
      watching: false,
      gen: 0,
    };
  });
}

type Event = () => Promise<void>;

/** Timed events, earliest first (ties in the order added): a binary heap. */
export class Agenda {
  private readonly heap: Array<{ at: number; n: number; event: Event }> = [];
  private added = 0;

  get size(): number {
    return this.heap.length;
  }

  add(at: number, event: Event): void {
    const heap = this.heap;
    heap.push({ at, n: this.added++, event });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  nextAt(): number {
    return this.heap[0]?.at ?? Number.POSITIVE_INFINITY;
  }

  /** Removes and returns every event due at or before `t`, earliest first. */
  takeUntil(t: number): Event[] {
    const out: Event[] = [];
    while (this.heap.length > 0 && (this.heap[0]?.at as number) <= t) out.push(this.pop());
    return out;
  }

  private pop(): Event {
    const heap = this.heap;
    const top = heap[0] as { event: Event };
    const last = heap.pop() as (typeof heap)[number];
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && this.before(l, m)) m = l;
        if (r < heap.length && this.before(r, m)) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    return top.event;
  }

  private before(a: number, b: number): boolean {
    const x = this.heap[a] as { at: number; n: number };
    const y = this.heap[b] as { at: number; n: number };
    return x.at < y.at || (x.at === y.at && x.n < y.n);
  }

  private swap(a: number, b: number): void {
    const heap = this.heap;
    [heap[a], heap[b]] = [heap[b] as (typeof heap)[number], heap[a] as (typeof heap)[number]];
  }
}
