// Booked visits at work: the booking system's add / update / cancel, the check-in (desk or a
// scanner at the kiosk) within its window, and missed appointments. The ticket a check-in gives
// goes through the desk's issue-and-print path (QueueService.issueAppointment).
import type { ContractAppointment } from "../../protocols/mqtt/appointment-schemas.js";
import type { AppointmentVerb } from "../../protocols/mqtt/topics.js";
import type { ServiceConfig } from "../config/schema.js";
import type { Logger } from "../health/log.js";
import type { ActionResult, QueueService, RequestArgs } from "../queue/queue-service.js";
import { type AppointmentsConfig, BOOKING_CODE } from "./appointment-schema.js";
import type { Appointment, AppointmentStore } from "./appointment-store.js";
import { checkInWindow, missedAfter, windowOpens } from "./check-in-window.js";

export type AppointmentEventType = "appointment_checked_in" | "appointment_missed";
export type AppointmentListener = (
  type: AppointmentEventType,
  appointment: ContractAppointment,
  ticket: string | undefined,
) => void;

export interface AppointmentServiceOptions {
  config: AppointmentsConfig;
  services: ReadonlyMap<string, ServiceConfig>;
  timeZone: string;
  store: AppointmentStore;
  queueService: Pick<QueueService, "issueAppointment">;
  clock: () => number;
  log: Logger;
}

type Failure = Extract<ActionResult, { ok: false }>;
const fail = (code: Failure["error"]["code"], message: string, path?: string): Failure => ({
  ok: false,
  error: { code, message, ...(path ? { issues: [{ path, message }] } : {}) },
});

export function contractAppointment(a: Appointment): ContractAppointment {
  return {
    code: a.code,
    service: a.service,
    at: new Date(a.at).toISOString(),
    state: a.state,
    ...(a.number !== undefined ? { ticket: a.number } : {}),
  };
}

export class AppointmentService {
  private readonly listeners = new Set<AppointmentListener>();
  /** Codes being checked in now: a second scan while the first prints is refused. */
  private readonly inFlight = new Set<string>();

  constructor(private readonly options: AppointmentServiceOptions) {}

  onEvent(listener: AppointmentListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** appointments/request/{verb}; the args are validated by the contract's schemas. */
  async request(verb: AppointmentVerb, args: RequestArgs, by?: string): Promise<ActionResult> {
    try {
      switch (verb) {
        case "add":
          return this.add(String(args.code), String(args.service), Date.parse(String(args.at)));
        case "update":
          return this.update(
            String(args.code),
            args.service === undefined ? undefined : String(args.service),
            args.at === undefined ? undefined : Date.parse(String(args.at)),
          );
        case "cancel":
          return this.cancel(String(args.code));
        case "check_in":
          return await this.checkIn(
            String(args.code),
            args.printer === undefined ? undefined : String(args.printer),
            by,
          );
      }
    } catch (error) {
      // The store could not be written (disk full): nothing changed.
      this.options.log.error(`appointments: ${verb} failed: ${(error as Error).message}`);
      return fail("JOURNAL_UNAVAILABLE", `appointments cannot be written: ${(error as Error).message}`);
    }
  }

  add(code: string, service: string, at: number): ActionResult {
    const bad = this.checkService(service);
    if (bad) return bad;
    const existing = this.options.store.get(code);
    if (existing && existing.state !== "cancelled") {
      // The same booking sent again (a retried import): nothing to do.
      if (existing.service === service && existing.at === at)
        return { ok: true, result: { appointment: contractAppointment(existing), unchanged: true } };
      return fail(
        "INVALID_STATE",
        `appointment ${code} exists (${existing.state}): send update to change it`,
      );
    }
    const appointment: Appointment = { code, service, at, state: "booked", changedAt: this.options.clock() };
    this.options.store.put(appointment);
    return { ok: true, result: { appointment: contractAppointment(appointment) } };
  }

  update(code: string, service: string | undefined, at: number | undefined): ActionResult {
    const existing = this.options.store.get(code);
    if (!existing) return fail("APPOINTMENT_NOT_FOUND", `no appointment ${code}`, "code");
    if (existing.state !== "booked")
      return fail("INVALID_STATE", `appointment ${code} is ${existing.state}: only a booked one changes`);
    if (service !== undefined) {
      const bad = this.checkService(service);
      if (bad) return bad;
    }
    const next: Appointment = {
      ...existing,
      ...(service !== undefined ? { service } : {}),
      ...(at !== undefined ? { at } : {}),
      changedAt: this.options.clock(),
    };
    this.options.store.put(next);
    return { ok: true, result: { appointment: contractAppointment(next) } };
  }

  cancel(code: string): ActionResult {
    const existing = this.options.store.get(code);
    if (!existing) return fail("APPOINTMENT_NOT_FOUND", `no appointment ${code}`, "code");
    if (existing.state !== "booked")
      return fail(
        "INVALID_STATE",
        `appointment ${code} is ${existing.state}: only a booked one is cancelled`,
      );
    const next: Appointment = { ...existing, state: "cancelled", changedAt: this.options.clock() };
    this.options.store.put(next);
    return { ok: true, result: { appointment: contractAppointment(next) } };
  }

  /**
   * A customer says "I'm here" with their code: in the window, a ticket of the booked service
   * called at the appointment's time; outside it, outsideWindow decides (a walk-in ticket of the
   * booked service, or a refusal saying why). Either ticket uses the booking up.
   */
  async checkIn(rawCode: string, printer: string | undefined, by?: string): Promise<ActionResult> {
    const code = rawCode.trim().toUpperCase();
    if (!BOOKING_CODE.test(code)) return fail("VALIDATION_FAILED", "not a booking code", "code");
    const appointment = this.options.store.get(code);
    if (!appointment) return fail("APPOINTMENT_NOT_FOUND", `no appointment ${code}`, "code");
    if (appointment.state === "cancelled") return fail("INVALID_STATE", `appointment ${code} was cancelled`);
    if (appointment.state === "checked_in")
      return fail(
        "INVALID_STATE",
        `appointment ${code} is already checked in as ${appointment.number ?? "a ticket"}`,
      );
    if (this.inFlight.has(code)) return fail("INVALID_STATE", `appointment ${code} is being checked in`);
    const { config, timeZone } = this.options;
    const now = this.options.clock();
    const window = appointment.state === "missed" ? "late" : checkInWindow(appointment.at, now, config);
    if (window !== "in_window" && config.outsideWindow === "refuse") {
      const message =
        window === "early"
          ? `too early: appointment ${code} is at ${hhmm(appointment.at, timeZone)}; check in from ${hhmm(windowOpens(appointment.at, config), timeZone)}`
          : `too late: appointment ${code} was at ${hhmm(appointment.at, timeZone)} (check-in until ${hhmm(missedAfter(appointment.at, config), timeZone)}); ask at the desk`;
      return fail("OUTSIDE_WINDOW", message);
    }
    this.inFlight.add(code);
    try {
      const issued = await this.options.queueService.issueAppointment(
        appointment.service,
        window === "in_window" ? appointment.at : undefined,
        printer,
        by,
      );
      if (!issued.ok) return issued;
      const ticket = issued.result.ticket as { id: string; number: string } | null;
      const next: Appointment = {
        ...appointment,
        state: "checked_in",
        changedAt: this.options.clock(),
        ...(ticket ? { ticket: ticket.id, number: ticket.number } : {}),
      };
      try {
        this.options.store.put(next);
      } catch (error) {
        // The customer holds the ticket: it stands, though the booking could not be marked.
        this.options.log.error(
          `appointments: ${code} checked in but not recorded: ${(error as Error).message}`,
        );
      }
      this.emit("appointment_checked_in", next, ticket?.id);
      return {
        ok: true,
        result: {
          ...issued.result,
          appointment: contractAppointment(next),
          window,
          walkIn: window !== "in_window",
        },
      };
    } finally {
      this.inFlight.delete(code);
    }
  }

  /** Marks booked appointments whose window has ended as missed, and forgets old ones. */
  tick(): void {
    const now = this.options.clock();
    const missed: Appointment[] = [];
    for (const a of this.options.store.all())
      if (a.state === "booked" && now > missedAfter(a.at, this.options.config) && !this.inFlight.has(a.code))
        missed.push({ ...a, state: "missed", changedAt: now });
    try {
      if (missed.length > 0) this.options.store.put(...missed);
      this.options.store.prune(now - this.options.config.keepDays * 86_400_000);
    } catch (error) {
      this.options.log.error(`appointments: cannot be written: ${(error as Error).message}`);
      return;
    }
    for (const a of missed) this.emit("appointment_missed", a, undefined);
  }

  private checkService(service: string): Failure | null {
    return this.options.services.has(service)
      ? null
      : fail("SERVICE_NOT_FOUND", `no service ${service}`, "service");
  }

  private emit(type: AppointmentEventType, appointment: Appointment, ticket: string | undefined): void {
    for (const listener of this.listeners) {
      try {
        listener(type, contractAppointment(appointment), ticket);
      } catch (error) {
        this.options.log.warn(`appointments: a listener failed: ${(error as Error).message}`);
      }
    }
  }
}

function hhmm(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit" }).format(ms);
}
