// Two offices bridged to a central Mosquitto, every broker a real process on loopback: each office
// is its own Mosquitto running the generated vooru.conf (bridge included) and a vooru controller.
// The central broker is killed and started again while both offices keep serving customers.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ContractClient } from "../../../controller/mqtt/contract-client.js";
import { connectMqtt, type MqttMessage } from "../../../controller/mqtt/transport.js";
import { type ContractEvent, replySchema } from "../../../protocols/mqtt/schemas.js";
import {
  type BridgedOffice,
  bridgedConfig,
  bridgeUser,
  CENTRAL_ADMIN,
  type Central,
  DESK,
  durableConsumer,
  eventually,
  lastOf,
  type Recorder,
  record,
  startBridgedOffice,
  startCentral,
} from "../../support/bridged-offices.js";
import { freePort, mosquittoAvailable } from "../../support/mosquitto.js";

const IDS = ["north", "south"] as const;
const base = (id: string) => `vooru/v1/${id}/`;
const notification = (id: string) => `vooru/bridges/${id}/central`;
const events = (messages: MqttMessage[], id: string, type?: string) =>
  messages
    .filter((m) => m.topic.startsWith(`${base(id)}events/${type ?? ""}`))
    .map((m) => JSON.parse(m.payload.toString()) as ContractEvent);

describe.skipIf(!mosquittoAvailable())("offices bridged to a central Mosquitto", () => {
  let central: Central;
  const offices = new Map<string, BridgedOffice>();
  const cleanups: Array<() => Promise<void> | void> = [];
  /** A central archive: a durable session, so it gets what arrived while it was away. */
  let archive: Awaited<ReturnType<typeof durableConsumer>>;
  const atCentral = (): MqttMessage[] => archive.messages;
  const centralUntil = (p: (m: MqttMessage) => boolean, what: string) => archive.until(p, what);
  const locals = new Map<string, Recorder>();
  const desks = new Map<string, ContractClient>();

  beforeAll(async () => {
    const ports = [await freePort(), await freePort()];
    const dataDirs = IDS.map(() => mkdtempSync(join(tmpdir(), "vooru-bridged-office-")));
    // The central ACL does not depend on any port: generate it before the ports are known.
    central = await startCentral(IDS.map((id, i) => bridgedConfig(id, ports[i]!, 1, dataDirs[i]!)));
    for (const [i, id] of IDS.entries()) {
      const office = await startBridgedOffice(id, ports[i]!, central.broker.port, dataDirs[i]!);
      offices.set(id, office);
      cleanups.push(() => office.stop());
      const desk = ContractClient.connect({ url: office.url, office: id, ...DESK });
      cleanups.push(() => desk.close());
      desks.set(id, desk);
      const local = await record(office.url, DESK, [`${base(id)}#`, notification(id)]);
      cleanups.push(() => local.connection.end(true));
      locals.set(id, local);
    }
    archive = await durableConsumer(central, "central-archive");
    cleanups.push(() => archive.end());
  });

  afterAll(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    await central?.stop();
  });

  async function issue(id: string, service = "pensions") {
    const reply = await desks.get(id)!.request({ scope: "desk", verb: "issue" }, { service }, 30_000);
    expect(reply).toMatchObject({ ok: true });
    return (reply as { result: { ticket: { id: string; number: string } } }).result.ticket;
  }

  it("the central broker sees both offices' retained state and events", async () => {
    for (const id of IDS) {
      await centralUntil(
        (m) => m.topic === notification(id) && m.payload.toString() === "1",
        `${id}'s bridge up`,
      );
      await centralUntil(
        (m) => m.topic === `${base(id)}status` && JSON.parse(m.payload.toString()).state === "online",
        `${id} online at the central broker`,
      );
    }
    const north = await issue("north");
    const south = await issue("south", "benefits");
    await centralUntil(
      (m) => m.topic === `${base("north")}events/ticket_issued` && m.payload.includes(north.id),
      "north's ticket_issued",
    );
    await centralUntil(
      (m) => m.topic === `${base("south")}events/ticket_issued` && m.payload.includes(south.id),
      "south's ticket_issued",
    );
    // Each office's events arrive under its own id only.
    expect(events(atCentral(), "north").some((e) => e.ticket?.id === south.id)).toBe(false);
    expect(north.number).toBe("A001");
    expect(south.number).toBe("B001");
  });

  it("a request sent at the central broker is run once by the office and answered back through the bridge", async () => {
    const remote = ContractClient.connect({ url: central.broker.url, office: "north", ...CENTRAL_ADMIN });
    cleanups.push(() => remote.close());
    const reply = replySchema.parse(
      await remote.request(
        { scope: "desk", verb: "issue" },
        { service: "documents", requestId: "from-central" },
        30_000,
      ),
    );
    expect(reply).toMatchObject({ ok: true, requestId: "from-central" });
    const local = locals.get("north")!;
    await local.until(
      (m) => m.topic.endsWith("/events/ticket_issued") && m.payload.includes('"requestId":"from-central"'),
      "the event at the office",
    );
    // The request came in once and did not loop back out and in again.
    // Under by/{the central user}/: the central broker's ACL vouches for who sent it.
    const seen = local.messages.filter(
      (m) => m.topic === `${base("north")}by/${CENTRAL_ADMIN.username}/desk/request/issue`,
    );
    expect(seen.filter((m) => m.payload.includes("from-central"))).toHaveLength(1);
    expect(
      events(local.messages, "north", "ticket_issued").filter((e) => e.requestId === "from-central"),
    ).toHaveLength(1);
  });

  it("an office's bridge user cannot publish into another office's topics at the central broker", async () => {
    const impostor = connectMqtt({ url: central.broker.url, ...bridgeUser("north"), protocolVersion: 5 });
    cleanups.push(() => impostor.end(true));
    await new Promise<void>((resolve) => impostor.onConnect(resolve));
    await expect(
      impostor.publish(
        `${base("south")}desk/request/issue`,
        JSON.stringify({ requestId: "x", service: "pensions" }),
      ),
    ).rejects.toMatchObject({ code: 135 });
    await expect(impostor.publish(`${base("south")}tickets`, "{}", { retain: true })).rejects.toMatchObject({
      code: 135,
    });
    await expect(impostor.publish(notification("south"), "0", { retain: true })).rejects.toMatchObject({
      code: 135,
    });
    // Its own office's tree is allowed (the reply topic of a client that is not listening).
    await expect(impostor.publish(`${base("north")}replies/nobody/1`, "{}")).resolves.toBeUndefined();
  });

  it("offices keep working while the central broker is down, and it catches up when it is back", async () => {
    for (const id of IDS)
      await centralUntil(
        (m) => m.topic === notification(id) && m.payload.toString() === "1",
        `${id}'s bridge up`,
      );
    // Every event an office publishes from now on, at the office: the central broker must get them all.
    const eventsBefore = new Map(IDS.map((id) => [id, events(locals.get(id)!.messages, id).length]));
    central.broker.kill();
    // Each office's broker notices and says so locally (retained 0 on the notification topic).
    for (const id of IDS)
      await locals
        .get(id)!
        .until(
          (m) => m.topic === notification(id) && m.payload.toString() === "0",
          `${id} sees its bridge down`,
        );

    // Customers and counters go on: requests over the office's own broker get their replies.
    const during = new Map<string, string[]>();
    for (const id of IDS) {
      const desk = desks.get(id)!;
      const tickets = [await issue(id), await issue(id), await issue(id)];
      expect((await desk.request({ scope: "counter", counter: "1", verb: "open" }, {}, 30_000)).ok).toBe(
        true,
      );
      const called = await desk.request({ scope: "counter", counter: "1", verb: "call_next" }, {}, 30_000);
      expect(called).toMatchObject({ ok: true });
      during.set(
        id,
        tickets.map((t) => t.id),
      );
    }
    // The local retained state is right meanwhile.
    for (const id of IDS) {
      const local = locals.get(id)!;
      await eventually(() => {
        const counter = local.last(`${base(id)}counters/1`);
        return counter !== undefined && JSON.parse(counter).ticket?.state === "called";
      }, `${id}'s counter 1 shows its called ticket`);
      await local.until((m) => m.topic === `${base(id)}events/ticket_called`, `${id}'s ticket_called`);
    }
    const eventsDuring = new Map(
      IDS.map((id) => [id, events(locals.get(id)!.messages, id).slice(eventsBefore.get(id))]),
    );

    await central.broker.restart();

    for (const id of IDS) {
      // Every event queued in the office's broker while the central one was down reaches the
      // durable consumer there (QoS 1, at least once: duplicates are allowed, gaps are not).
      const seqs = new Set(events(atCentral(), id).map((e) => `${e.epoch}/${e.seq}`));
      await eventually(() => {
        for (const e of events(atCentral(), id)) seqs.add(`${e.epoch}/${e.seq}`);
        return eventsDuring.get(id)!.every((e) => seqs.has(`${e.epoch}/${e.seq}`));
      }, `${id}'s events from the outage at the central broker`);
      expect(eventsDuring.get(id)!.length).toBeGreaterThanOrEqual(5);
    }

    // The retained state at the central broker is the office's current state, topic by topic.
    const fresh = await record(central.broker.url, CENTRAL_ADMIN, ["vooru/#"]);
    cleanups.push(() => fresh.connection.end(true));
    for (const id of IDS) {
      await fresh.until(
        (m) => m.topic === notification(id) && m.payload.toString() === "1",
        `${id}'s bridge up again`,
      );
      const local = locals.get(id)!;
      for (const topic of ["tickets", "counters/1", "services/pensions", "status"].map(
        (t) => `${base(id)}${t}`,
      ))
        await eventually(
          () => fresh.last(topic) !== undefined && fresh.last(topic) === local.last(topic),
          `${topic} at the central broker equals the office's`,
        );
    }
    const tickets = JSON.parse(fresh.last(`${base("north")}tickets`)!).tickets as Array<{ id: string }>;
    expect(tickets.map((t) => t.id)).toEqual(expect.arrayContaining(during.get("north")!));
    expect(lastOf(fresh.messages)(`${base("south")}info`)).toBeDefined();
  });
});
