// Booked visits over MQTT (docs/appointments.md): the booking system's add / update / cancel, the
// desk's check_in within its window (an injected clock, edges exact), refusals naming the field,
// UNAUTHORIZED for counter users, the events, and the call order that follows.
import { statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APPOINTMENTS_FILE } from "../../../controller/appointments/appointment-store.js";
import type { ContractClient } from "../../../controller/mqtt/contract-client.js";
import type { MqttUser } from "../../../controller/mqtt/mqtt-schema.js";
import { MINUTE, T0 } from "../../support/office.js";
import { type Harness, startHarness, type Watcher } from "../../support/office-harness.js";

const USERS: MqttUser[] = [
  { username: "booking", password: "booking-password", role: "desk" },
  { username: "counter1", password: "counter1-password", role: "counter", counter: "1" },
];

let h: Harness;
let now = T0;
let booking: ContractClient;
let counter1: ContractClient;
let events: Watcher;
const iso = (ms: number) => new Date(ms).toISOString();
const ask = (
  client: ContractClient,
  verb: "add" | "update" | "cancel" | "check_in",
  args: Record<string, unknown>,
) => client.request({ scope: "appointments", verb }, args);

beforeAll(async () => {
  h = await startHarness({
    clock: () => now,
    config: {
      mqtt: {
        embedded: { host: "127.0.0.1", port: 0, httpPort: 0, allowAnonymousLoopback: false },
        users: USERS,
      },
      appointments: { earlyMinutes: 15, lateMinutes: 10, outsideWindow: "refuse" },
    },
  });
  booking = await h.client({ username: "booking", password: "booking-password" });
  counter1 = await h.client({ username: "counter1", password: "counter1-password" });
  events = await h.watch({ filter: `${h.base}events/+`, username: "booking", password: "booking-password" });
});

afterAll(async () => {
  await h?.stop();
});

describe("appointments over MQTT", () => {
  it("adds, updates and cancels; the store is private", async () => {
    const added = await ask(booking, "add", {
      code: "ab-1234",
      service: "pensions",
      at: iso(T0 + 60 * MINUTE),
    });
    expect(added).toMatchObject({
      ok: true,
      result: {
        appointment: { code: "AB-1234", service: "pensions", at: iso(T0 + 60 * MINUTE), state: "booked" },
      },
    });
    // The same booking again (a retried import) changes nothing; a different one must be an update.
    expect(
      await ask(booking, "add", { code: "AB-1234", service: "pensions", at: iso(T0 + 60 * MINUTE) }),
    ).toMatchObject({
      ok: true,
      result: { unchanged: true },
    });
    expect(await ask(booking, "add", { code: "AB-1234", service: "benefits", at: iso(T0) })).toMatchObject({
      ok: false,
      error: { code: "INVALID_STATE" },
    });
    expect(await ask(booking, "update", { code: "AB-1234", at: iso(T0 + 30 * MINUTE) })).toMatchObject({
      ok: true,
      result: { appointment: { at: iso(T0 + 30 * MINUTE) } },
    });
    await ask(booking, "add", { code: "GONE-1", service: "benefits", at: iso(T0) });
    expect(await ask(booking, "cancel", { code: "GONE-1" })).toMatchObject({
      ok: true,
      result: { appointment: { state: "cancelled" } },
    });
    expect(await ask(booking, "check_in", { code: "GONE-1" })).toMatchObject({
      ok: false,
      error: { code: "INVALID_STATE" },
    });
    expect(statSync(join(h.office.dataDir, APPOINTMENTS_FILE)).mode & 0o777).toBe(0o600);
  });

  it("refuses a bad code, time or service naming the field", async () => {
    expect(await ask(booking, "add", { code: "Jaan Tamm", service: "pensions", at: iso(T0) })).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED", issues: [{ path: "code" }] },
    });
    expect(await ask(booking, "add", { code: "CODE-2", service: "pensions", at: "tomorrow" })).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED", issues: [{ path: "at" }] },
    });
    expect(await ask(booking, "add", { code: "CODE-2", service: "taxes", at: iso(T0) })).toMatchObject({
      ok: false,
      error: { code: "SERVICE_NOT_FOUND", issues: [{ path: "service" }] },
    });
    expect(
      await ask(booking, "add", { code: "CODE-2", service: "pensions", at: iso(T0), name: "Jaan" }),
    ).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED", issues: [{ path: "name" }] },
    });
    expect(await ask(booking, "check_in", { code: "NOPE-1" })).toMatchObject({
      ok: false,
      error: { code: "APPOINTMENT_NOT_FOUND" },
    });
  });

  it("refuses counter users: UNAUTHORIZED", async () => {
    for (const verb of ["add", "update", "cancel", "check_in"] as const)
      expect(await ask(counter1, verb, { code: "AB-1234", service: "pensions", at: iso(T0) })).toMatchObject({
        ok: false,
        error: { code: "UNAUTHORIZED" },
      });
  });

  it("checks in within the window only, edges exact (refuse outside)", async () => {
    const at = T0 + 30 * MINUTE; // AB-1234
    now = at - 15 * MINUTE - 1;
    const early = await ask(booking, "check_in", { code: "AB-1234" });
    expect(early).toMatchObject({ ok: false, error: { code: "OUTSIDE_WINDOW" } });
    expect(early.ok ? "" : early.error.message).toContain("too early");
    // A walk-in arrives meanwhile.
    const walkIn = await booking.request({ scope: "desk", verb: "issue" }, { service: "pensions" });
    expect(walkIn.ok).toBe(true);
    now = at - 15 * MINUTE;
    const checked = await ask(booking, "check_in", { code: "ab-1234" });
    expect(checked).toMatchObject({
      ok: true,
      result: {
        window: "in_window",
        walkIn: false,
        ticket: { service: "pensions", appointmentAt: iso(at) },
        appointment: { state: "checked_in" },
      },
    });
    const event = await events.waitFor((m) => m.topic.endsWith("events/appointment_checked_in"));
    expect(JSON.parse(event.payload.toString())).toMatchObject({
      type: "appointment_checked_in",
      appointment: { code: "AB-1234", state: "checked_in" },
      ticket: { appointmentAt: iso(at) },
    });
    expect(await ask(booking, "check_in", { code: "AB-1234" })).toMatchObject({
      ok: false,
      error: { code: "INVALID_STATE" },
    });
    // At its time it is called before the walk-in who came earlier.
    now = at;
    await booking.request({ scope: "counter", counter: "1", verb: "open" }, {});
    const called = await booking.request({ scope: "counter", counter: "1", verb: "call_next" }, {});
    expect(called).toMatchObject({ ok: true, result: { ticket: { appointmentAt: iso(at) } } });

    // The late edge: at + 10 min is in, one ms later is out.
    await ask(booking, "add", { code: "LATE-1", service: "benefits", at: iso(at) });
    await ask(booking, "add", { code: "LATE-2", service: "benefits", at: iso(at) });
    now = at + 10 * MINUTE;
    expect(await ask(booking, "check_in", { code: "LATE-1" })).toMatchObject({
      ok: true,
      result: { window: "in_window" },
    });
    now = at + 10 * MINUTE + 1;
    const late = await ask(booking, "check_in", { code: "LATE-2" });
    expect(late).toMatchObject({ ok: false, error: { code: "OUTSIDE_WINDOW" } });
    expect(late.ok ? "" : late.error.message).toContain("too late");
  });

  it("marks an unused booking missed at the end of its window, with an event", async () => {
    now += MINUTE;
    h.office.appointments.service.tick();
    const event = await events.waitFor((m) => m.topic.endsWith("events/appointment_missed"));
    expect(JSON.parse(event.payload.toString())).toMatchObject({
      type: "appointment_missed",
      ticket: null,
      appointment: { code: "LATE-2", state: "missed" },
    });
  });
});
