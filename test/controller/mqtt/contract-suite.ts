// The MQTT contract, as a client sees it. Run against the embedded broker and a real Mosquitto.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  counterStateSchema,
  eventSchema,
  infoSchema,
  replySchema,
  serviceStateSchema,
  statusSchema,
  ticketsSchema,
} from "../../../protocols/mqtt/schemas.js";
import type { Harness } from "../../support/office-harness.js";

export function contractSuite(
  name: string,
  start: () => Promise<Harness>,
  options: { mqtt5: boolean },
): void {
  describe(`MQTT contract v1 (${name})`, () => {
    let h: Harness;
    beforeEach(async () => {
      h = await start();
    });
    afterEach(async () => {
      await h.stop();
    });

    it("publishes the whole retained state, valid against the schemas", async () => {
      const w = await h.watch();
      // Retained messages come in the broker's order, not the publisher's: wait for each.
      for (const topic of [
        "tickets",
        "devices/journal",
        "info",
        "status",
        "services/documents",
        "counters/3",
      ])
        await w.waitFor((m) => m.topic === `${h.base}${topic}`);
      expect(statusSchema.parse(w.json(`${h.base}status`))).toMatchObject({
        state: "online",
        version: "test",
      });
      const info = infoSchema.parse(w.json(`${h.base}info`));
      expect(info.services.map((s) => s.id)).toEqual(["pensions", "benefits", "documents"]);
      expect(info.devices).toEqual([
        { id: "clock", kind: "clock" },
        { id: "journal", kind: "journal" },
      ]);
      for (const service of ["pensions", "benefits", "documents"])
        expect(serviceStateSchema.parse(w.json(`${h.base}services/${service}`))).toMatchObject({
          waiting: 0,
          open: true,
        });
      for (const counter of ["1", "2", "3"])
        expect(counterStateSchema.parse(w.json(`${h.base}counters/${counter}`))).toMatchObject({
          status: "closed",
          ticket: null,
        });
      expect(ticketsSchema.parse(w.json(`${h.base}tickets`)).tickets).toEqual([]);
      expect(w.json(`${h.base}devices/journal`)).toMatchObject({ kind: "journal", status: "ok", faults: [] });
      // Everything retained: a late subscriber gets it all with the retain flag.
      const late = await h.watch();
      const status = await late.waitFor((m) => m.topic === `${h.base}status`);
      expect(status.retain).toBe(true);
    });

    it("issue -> call -> start -> finish: replies, events with epoch and seq, retained state follows", async () => {
      const w = await h.watch();
      const client = await h.client();
      expect((await client.request({ scope: "counter", counter: "1", verb: "open" })).ok).toBe(true);
      const issued = await client.request(
        { scope: "desk", verb: "issue" },
        { service: "pensions", requestId: "r-issue" },
      );
      expect(issued).toMatchObject({
        requestId: "r-issue",
        verb: "issue",
        ok: true,
        result: { ticket: { number: "A001", state: "waiting", ahead: 0 } },
      });
      const called = await client.request({ scope: "counter", counter: "1", verb: "call_next" });
      expect(called).toMatchObject({
        ok: true,
        result: { ticket: { number: "A001", state: "called", counter: "1" } },
      });
      await client.request({ scope: "counter", counter: "1", verb: "start" });
      await client.request({ scope: "counter", counter: "1", verb: "finish" });
      await w.waitFor((m) => m.topic === `${h.base}events/ticket_finished`);
      const events = w.messages
        .filter((m) => m.topic.startsWith(`${h.base}events/`))
        .map((m) => eventSchema.parse(JSON.parse(m.payload.toString())));
      expect(events.map((e) => e.type)).toEqual([
        "counter_opened",
        "ticket_issued",
        "ticket_called",
        "ticket_started",
        "ticket_finished",
      ]);
      expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
      expect(new Set(events.map((e) => e.epoch)).size).toBe(1);
      expect(events[1]).toMatchObject({ requestId: "r-issue", ticket: { number: "A001", state: "waiting" } });
      expect(events[2]).toMatchObject({ counter: "1", ticket: { state: "called" } });
      await w.waitFor(
        (m) =>
          m.topic === `${h.base}counters/1` &&
          JSON.parse(m.payload.toString()).ticket === null &&
          JSON.parse(m.payload.toString()).seq === 5,
      );
      expect(w.json(`${h.base}services/pensions`)).toMatchObject({
        lastCalled: "A001",
        waiting: 0,
        nextNumber: "A002",
      });
    });

    it("a repeated requestId gets the first reply again and changes nothing", async () => {
      const client = await h.client();
      const first = await client.request(
        { scope: "desk", verb: "issue" },
        { service: "benefits", requestId: "dup-1" },
      );
      const second = await client.request(
        { scope: "desk", verb: "issue" },
        { service: "benefits", requestId: "dup-1" },
      );
      expect(second).toEqual(first);
      expect(h.office.queue.core.openTickets().map((t) => t.number)).toEqual(["B001"]);
    });

    it("an expired request is refused with EXPIRED and changes nothing", async () => {
      const client = await h.client();
      const reply = await client.request(
        { scope: "desk", verb: "issue" },
        { service: "pensions", expiresAt: new Date(Date.now() - 1000).toISOString() },
      );
      expect(reply).toMatchObject({ ok: false, error: { code: "EXPIRED" } });
      const inTime = await client.request(
        { scope: "desk", verb: "issue" },
        { service: "pensions", expiresAt: Date.now() + 60_000 },
      );
      expect(inTime.ok).toBe(true);
      expect(h.office.queue.core.openTickets()).toHaveLength(1);
    });

    it("malformed requests get VALIDATION_FAILED naming the bad field, on the default reply topic", async () => {
      const w = await h.watch();
      const raw = await h.raw();
      const topic = `${h.base}counters/1/request/call`;
      await raw.publish(topic, "{not json");
      await raw.publish(topic, JSON.stringify({ requestId: "v1" }));
      await raw.publish(topic, JSON.stringify({ requestId: "v2", ticket: 5 }));
      await raw.publish(topic, JSON.stringify({ requestId: "v3", ticket: "A001", tiket: "x" }));
      await raw.publish(`${h.base}counters/1/request/explode`, JSON.stringify({ requestId: "v4" }));
      await raw.publish(
        topic,
        JSON.stringify({ requestId: "v5", ticket: "A001", replyTo: `${h.base}status` }),
      );
      await w.waitFor((m) => m.topic.endsWith("/reply/call") && m.payload.toString().includes('"v5"'));
      const replies = w.messages
        .filter((m) => m.topic.includes("/reply/"))
        .map((m) => replySchema.parse(JSON.parse(m.payload.toString())));
      // Replies may come in any order; each carries its requestId.
      replies.sort((a, b) => String(a.requestId).localeCompare(String(b.requestId)));
      expect(
        replies.map((r) => [
          r.requestId,
          r.ok ? "ok" : r.error.code,
          r.ok ? [] : r.error.issues?.map((i) => i.path),
        ]),
      ).toEqual([
        [null, "VALIDATION_FAILED", ["(payload)"]],
        ["v1", "VALIDATION_FAILED", ["ticket"]],
        ["v2", "VALIDATION_FAILED", ["ticket"]],
        ["v3", "VALIDATION_FAILED", ["tiket"]],
        ["v4", "VALIDATION_FAILED", undefined],
        ["v5", "VALIDATION_FAILED", ["replyTo"]],
      ]);
      const unknownField = replies.find((r) => r.requestId === "v3");
      expect(unknownField?.ok === false && unknownField.error.issues?.[0]?.message).toBe("unknown field");
      const v4 = w.messages.find((m) => m.topic.includes("/reply/") && m.payload.toString().includes('"v4"'));
      expect(v4?.topic).toBe(`${h.base}counters/1/reply/explode`);
    });

    it("a retained request is never run, and does not stay on the broker", async () => {
      const topic = `${h.base}counters/1/request/open`;
      const raw = await h.raw({ protocolVersion: options.mqtt5 ? 5 : 4 });
      await raw.publish(topic, JSON.stringify({ requestId: "ret-1" }), { retain: true });
      const client = await h.client();
      expect((await client.request({ scope: "counter", counter: "2", verb: "open" })).ok).toBe(true);
      expect(h.office.queue.core.view.counters.get("1")?.status).toBe("closed");
      // A new subscriber to the request topic gets no stored request: retained messages come right
      // after the subscription, before the marker this connection sends itself.
      const marker = `${h.base}replies/anonymous/marker`;
      const w = await h.watch({ filter: [topic, marker] });
      await w.connection.publish(marker, "m");
      await w.waitFor((m) => m.topic === marker);
      expect(w.messages.filter((m) => m.topic === topic)).toEqual([]);
    });

    it("resync republishes the retained state and answers epoch and seq", async () => {
      const client = await h.client();
      await client.request({ scope: "counter", counter: "2", verb: "open" });
      const w = await h.watch({ filter: `${h.base}status` });
      await w.waitFor(() => true);
      const reply = await client.request({ scope: "system", verb: "resync" });
      expect(reply).toMatchObject({ ok: true, result: { epoch: expect.any(String), seq: 1 } });
      await w.waitFor((m) => !m.retain);
    });

    it("1000 fuzzed payloads: each gets an error reply and nothing changes", async () => {
      const client = await h.client();
      await client.request({ scope: "counter", counter: "1", verb: "open" });
      await client.request({ scope: "desk", verb: "issue" }, { service: "pensions" });
      const before = JSON.stringify(h.office.queue.core.toJson());
      const w = await h.watch({ filter: `${h.base}+/+/reply/#` });
      const deskW = await h.watch({ filter: `${h.base}desk/reply/#` });
      const raw = await h.raw();
      const payloads = fuzzPayloads(1000);
      for (const [i, p] of payloads.entries()) {
        const topic = i % 2 ? `${h.base}counters/1/request/call` : `${h.base}desk/request/cancel`;
        await raw.publish(topic, p);
      }
      const total = () => w.messages.length + deskW.messages.length;
      for (let waited = 0; total() < payloads.length && waited < 20_000; waited += 50)
        await new Promise((r) => setTimeout(r, 50));
      const replies = [...w.messages, ...deskW.messages].map((m) =>
        replySchema.parse(JSON.parse(m.payload.toString())),
      );
      expect(replies).toHaveLength(1000);
      expect(replies.every((r) => !r.ok)).toBe(true);
      expect(JSON.stringify(h.office.queue.core.toJson())).toBe(before);
      expect(h.log.lines.filter((l) => l.startsWith("error:"))).toEqual([]);
    });
  });
}

/** Payloads that must each be refused: garbage bytes, wrong JSON shapes, and valid requests with one field broken. */
export function fuzzPayloads(count: number): Buffer[] {
  let seed = 12345;
  const random = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)] as T;
  const weird: unknown[] = [
    null,
    true,
    0,
    -1,
    1e308,
    "",
    "x".repeat(300),
    [],
    {},
    [1, 2],
    { a: { b: {} } },
    "A001",
    "\u0000",
  ];
  const out: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    switch (i % 5) {
      case 0:
        out.push(
          Buffer.from(
            Array.from({ length: 1 + Math.floor(random() * 64) }, () => Math.floor(random() * 256)),
          ),
        );
        break;
      case 1:
        out.push(Buffer.from(JSON.stringify(pick(weird))));
        break;
      case 2: // valid shape, but the ticket is of the wrong type
        out.push(
          Buffer.from(
            JSON.stringify({
              requestId: `f${i}`,
              ticket: pick(weird.filter((v) => typeof v !== "string")),
              reason: "r",
            }),
          ),
        );
        break;
      case 3: // an unknown field
        out.push(
          Buffer.from(
            JSON.stringify({ requestId: `f${i}`, ticket: "A001", reason: "r", [`x${i}`]: pick(weird) }),
          ),
        );
        break;
      default: // requestId broken
        out.push(
          Buffer.from(
            JSON.stringify({
              requestId: pick([null, 5, "", [], "y".repeat(200)]),
              ticket: "A001",
              reason: "r",
            }),
          ),
        );
    }
  }
  return out;
}
