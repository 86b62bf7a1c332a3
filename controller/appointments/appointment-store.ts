// The booked visits, kept durably in the data folder (appointments.json, mode 0600, replaced
// atomically with fsync: a power cut leaves the old file or the new, never a mix).
//
// Why a small store of its own and not the queue's journal: appointments are not part of a
// business day's queue. They are booked days ahead, while the journal's day_started clears the
// day's state and its snapshots carry only that; folding them into the core would make every
// replay, snapshot and statistic carry bookings across days. The store is small (a few hundred
// bookings, forgotten keepDays after their time), so rewriting it whole on every change is cheap,
// and the only link to the queue is the ticket a check-in issues, whose appointmentAt the journal
// keeps (controller/queue/core). What is kept: the code, the service, the time and what became of
// it; never a name or a personal ID code.
import { existsSync, mkdirSync, readFileSync, renameSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { PRIVATE_DIR, writeFileAtomic } from "../queue/journal/atomic-file.js";
import { BOOKING_CODE } from "./appointment-schema.js";

export const APPOINTMENTS_FILE = "appointments.json";

export const APPOINTMENT_STATES = ["booked", "checked_in", "missed", "cancelled"] as const;
export type AppointmentState = (typeof APPOINTMENT_STATES)[number];

export interface Appointment {
  code: string;
  service: string;
  /** The appointment's time, epoch ms. */
  at: number;
  state: AppointmentState;
  /** When it last changed, epoch ms. */
  changedAt: number;
  /** checked_in: the ticket it was given (id and number). */
  ticket?: string;
  number?: string;
}

const fileSchema = z.object({
  version: z.literal(1),
  appointments: z.array(
    z.object({
      code: z.string().regex(BOOKING_CODE),
      service: z.string(),
      at: z.number(),
      state: z.enum(APPOINTMENT_STATES),
      changedAt: z.number(),
      ticket: z.string().optional(),
      number: z.string().optional(),
    }),
  ),
});

export class AppointmentStore {
  private readonly byCode = new Map<string, Appointment>();
  readonly path: string;

  private constructor(dataDir: string) {
    this.path = join(dataDir, APPOINTMENTS_FILE);
  }

  /**
   * Opens the store of `dataDir`. A file that cannot be read is set aside (`.unreadable-{ms}`)
   * and the store starts empty, so the queue still opens; `warn` says so.
   */
  static open(dataDir: string, warn: (message: string) => void = () => {}): AppointmentStore {
    mkdirSync(dataDir, { recursive: true, mode: PRIVATE_DIR });
    const store = new AppointmentStore(dataDir);
    if (!existsSync(store.path)) return store;
    try {
      const parsed = fileSchema.parse(JSON.parse(readFileSync(store.path, "utf8")));
      for (const a of parsed.appointments) store.byCode.set(a.code, { ...a } as Appointment);
    } catch (error) {
      const aside = `${store.path}.unreadable-${Date.now()}`;
      renameSync(store.path, aside);
      warn(
        `appointments: ${store.path} could not be read (${(error as Error).message}); set aside as ${aside}`,
      );
    }
    return store;
  }

  get(code: string): Appointment | undefined {
    const found = this.byCode.get(code);
    return found ? { ...found } : undefined;
  }

  all(): Appointment[] {
    return [...this.byCode.values()].map((a) => ({ ...a }));
  }

  /** Writes the changed appointments (whole file, atomically); nothing changes if it throws. */
  put(...changed: Appointment[]): void {
    const next = new Map(this.byCode);
    for (const a of changed) next.set(a.code, { ...a });
    this.write(next);
  }

  /** Forgets appointments that are over and whose time is before `before`. */
  prune(before: number): number {
    const next = new Map(this.byCode);
    for (const [code, a] of next) if (a.state !== "booked" && a.at < before) next.delete(code);
    const removed = this.byCode.size - next.size;
    if (removed > 0) this.write(next);
    return removed;
  }

  private write(next: Map<string, Appointment>): void {
    const body = { version: 1, appointments: [...next.values()] };
    writeFileAtomic(this.path, `${JSON.stringify(body, null, 1)}\n`);
    this.byCode.clear();
    for (const [code, a] of next) this.byCode.set(code, a);
  }
}
