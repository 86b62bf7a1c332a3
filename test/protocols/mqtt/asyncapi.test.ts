import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildAsyncApi } from "../../../protocols/mqtt/asyncapi.js";
import {
  counterRequestSchemas,
  deskRequestSchemas,
  EVENT_TYPES,
  requestEnvelopeSchema,
} from "../../../protocols/mqtt/schemas.js";
import {
  COUNTER_VERBS,
  DESK_VERBS,
  isAllowedReplyTopic,
  officeTopics,
  parseRequestTopic,
  SYSTEM_VERBS,
} from "../../../protocols/mqtt/topics.js";

// biome-ignore lint/suspicious/noExplicitAny: the test walks a free-form JSON document.
type Json = Record<string, any>;
const doc = buildAsyncApi() as Json;
const base = "vooru/v1/demo/";

/** Follows a local `#/a/b` reference within the document. */
function resolve(value: Json): Json {
  if (typeof value.$ref !== "string") return value;
  return (value.$ref as string)
    .slice(2)
    .split("/")
    .reduce((node: Json, key) => node[key], doc);
}

describe("docs/asyncapi.json", () => {
  it("is what buildAsyncApi() generates", () => {
    const committed = readFileSync(new URL("../../../docs/asyncapi.json", import.meta.url), "utf8");
    // Compared as data in key order: the writer lets biome lay the file out.
    const same = JSON.stringify(JSON.parse(committed)) === JSON.stringify(buildAsyncApi());
    expect(same, "docs/asyncapi.json is stale: run npm run asyncapi").toBe(true);
  });
});

describe("buildAsyncApi", () => {
  it("is an AsyncAPI 3.0.0 document, the same on every call", () => {
    expect(doc.asyncapi).toBe("3.0.0");
    expect(doc.info).toMatchObject({ title: "vooru MQTT contract", version: "1" });
    expect(doc.info.description).toContain("vooru/v1/{office}/");
    expect(JSON.stringify(buildAsyncApi())).toBe(JSON.stringify(doc));
  });

  it("has the embedded broker (TCP and WebSocket) and Mosquitto as servers", () => {
    expect(doc.servers.embedded).toMatchObject({ host: "localhost:1883", protocol: "mqtt" });
    expect(doc.servers.embedded_ws).toMatchObject({
      host: "localhost:8080",
      pathname: "/mqtt",
      protocol: "ws",
    });
    expect(doc.servers.mosquitto.protocol).toBe("mqtt");
  });

  it("has a request channel, a reply channel and operations for every verb", () => {
    const verbs = [
      ...COUNTER_VERBS.map((v) => ({ scope: "counters", verb: v, topic: `counters/{counter}/request/${v}` })),
      ...DESK_VERBS.map((v) => ({ scope: "desk", verb: v, topic: `desk/request/${v}` })),
      ...SYSTEM_VERBS.map((v) => ({ scope: "system", verb: v, topic: `system/request/${v}` })),
    ];
    for (const { scope, verb, topic } of verbs) {
      const request = doc.channels[`${scope}_request_${verb}`];
      expect(request?.address, verb).toBe(`vooru/v1/{office}/${topic}`);
      for (const name of Object.keys(request.parameters))
        expect(doc.components.parameters[name]).toBeDefined();
      const reply = doc.channels[`${scope}_reply_${verb}`];
      expect(reply.address).toBe(`vooru/v1/{office}/${topic.replace("/request/", "/reply/")}`);

      const receive = doc.operations[`receive_${scope}_request_${verb}`];
      expect(receive).toMatchObject({
        action: "receive",
        channel: { $ref: `#/channels/${scope}_request_${verb}` },
      });
      expect(receive.reply.channel).toEqual({ $ref: `#/channels/${scope}_reply_${verb}` });
      expect(receive.bindings.mqtt).toMatchObject({ qos: 1, retain: false });
      expect(doc.operations[`send_${scope}_reply_${verb}`].action).toBe("send");
      const payload = resolve(resolve(request.messages.request)).payload;
      expect(payload.required).toContain("requestId");
      expect(payload.additionalProperties).toBe(false);
    }
  });

  it("publishes state retained and events not retained, with one message per event type", () => {
    for (const id of ["status", "info", "services", "counters", "tickets", "devices", "alerts"]) {
      expect(doc.operations[`send_${id}`]).toMatchObject({
        action: "send",
        bindings: { mqtt: { qos: 1, retain: true } },
      });
    }
    expect(doc.channels.services.address).toBe("vooru/v1/{office}/services/{service}");
    expect(doc.channels.devices.address).toBe("vooru/v1/{office}/devices/{device}");
    expect(doc.operations.send_events.bindings.mqtt).toMatchObject({ qos: 1, retain: false });
    expect(doc.channels.events.address).toBe("vooru/v1/{office}/events/{type}");
    expect(doc.components.parameters.type.enum).toEqual([...EVENT_TYPES]);
    for (const type of EVENT_TYPES) {
      const message = doc.components.messages[`event_${type}`];
      expect(message?.payload.properties.type.const, type).toBe(type);
      expect(doc.channels.events.messages[`event_${type}`]).toBeDefined();
    }
  });

  it("gives every message with a payload a JSON Schema, and every reference resolves", () => {
    const schemas = [
      ...Object.values(doc.components.messages as Json)
        .filter((m) => m.payload !== undefined)
        .map((m) => m.payload),
      ...Object.values(doc.components.schemas as Json),
    ];
    expect(schemas.length).toBeGreaterThan(40);
    for (const schema of schemas) {
      expect(schema.$schema).toBeUndefined();
      const branches = schema.oneOf ?? [schema];
      for (const branch of branches)
        expect(branch).toMatchObject({ type: "object", properties: expect.any(Object) });
    }
    const text = JSON.stringify(doc);
    for (const [, pointer] of text.matchAll(/"\$ref":"([^"]+)"/g)) {
      expect(resolve({ $ref: pointer }), pointer).toBeDefined();
    }
  });

  it("keeps published objects open to added fields", () => {
    expect(doc.components.messages.status.payload.additionalProperties).toBeUndefined();
    expect(doc.components.schemas.Ticket.additionalProperties).toBeUndefined();
  });
});

describe("parseRequestTopic", () => {
  it("reads counter, desk and system verbs", () => {
    expect(parseRequestTopic(base, `${base}counters/4/request/call_next`)).toEqual({
      scope: "counter",
      counter: "4",
      verb: "call_next",
    });
    expect(parseRequestTopic(base, `${base}desk/request/issue`)).toEqual({ scope: "desk", verb: "issue" });
    expect(parseRequestTopic(base, `${base}system/request/resync`)).toEqual({
      scope: "system",
      verb: "resync",
    });
  });

  it("names an unknown verb and where its reply goes", () => {
    expect(parseRequestTopic(base, `${base}counters/4/request/dance`)).toEqual({
      unknownVerb: "dance",
      replyTopic: `${base}counters/4/reply/dance`,
    });
    expect(parseRequestTopic(base, `${base}desk/request/resync`)).toEqual({
      unknownVerb: "resync",
      replyTopic: `${base}desk/reply/resync`,
    });
    expect(parseRequestTopic(base, `${base}system/request/issue`)).toEqual({
      unknownVerb: "issue",
      replyTopic: `${base}system/reply/issue`,
    });
  });

  it("is null for topics that are not requests of this office", () => {
    for (const topic of [
      "vooru/v1/other/desk/request/issue",
      `${base}status`,
      `${base}counters/4`,
      `${base}counters/4/reply/call_next`,
      `${base}desk/request/`,
      `${base}desk/request/issue/more`,
      `${base}events/ticket_called`,
    ])
      expect(parseRequestTopic(base, topic), topic).toBeNull();
  });

  it("serves no counter id with slashes or outside the id alphabet, but answers the malformed ones", () => {
    expect(parseRequestTopic(base, `${base}counters/4/5/request/call_next`)).toBeNull();
    for (const bad of ["", "a.b", "x".repeat(33)])
      expect(parseRequestTopic(base, `${base}counters/${bad}/request/call_next`)).toEqual({
        badCounter: bad,
        verb: "call_next",
        replyTopic: `${base}counters/${bad}/reply/call_next`,
      });
  });

  it("matches the topics officeTopics builds", () => {
    const topics = officeTopics("demo");
    const target = { scope: "counter", counter: "4", verb: "park" } as const;
    expect(parseRequestTopic(topics.base, topics.request(target))).toEqual(target);
  });
});

describe("isAllowedReplyTopic", () => {
  it("allows the office's replies/ prefix, its reply topics and topics outside vooru/", () => {
    for (const topic of [
      `${base}replies/kiosk-1`,
      `${base}counters/4/reply/call_next`,
      `${base}desk/reply/issue`,
      `${base}system/reply/resync`,
      "clients/kiosk-1/replies",
    ])
      expect(isAllowedReplyTopic(base, topic), topic).toBe(true);
  });

  it("refuses wildcards, empty or long topics, and the office's own state, event and request topics", () => {
    for (const topic of [
      "",
      "clients/+/replies",
      "clients/#",
      "clients/a\u0000b",
      `clients/${"x".repeat(250)}`,
      `${base}status`,
      `${base}counters/4`,
      `${base}events/ticket_called`,
      `${base}counters/4/request/call_next`,
      `${base}desk/request/issue`,
      `${base}counters/4/reply/call_next/more`,
      "vooru/v1/other/replies/x",
      "$SYS/broker/clients",
    ])
      expect(isAllowedReplyTopic(base, topic), topic).toBe(false);
  });
});

describe("request schemas", () => {
  it("accepts a valid call request", () => {
    const request = { requestId: "r-1", replyTo: `${base}replies/panel-4`, ticket: "A023" };
    expect(counterRequestSchemas.call.parse(request)).toEqual(request);
    expect(
      deskRequestSchemas.issue.safeParse({ requestId: "r-2", service: "passports", priority: 2 }).success,
    ).toBe(true);
  });

  it("refuses an unknown field and names it", () => {
    const result = counterRequestSchemas.call.safeParse({ requestId: "r-1", ticket: "A023", tiket: "A024" });
    expect(result.success).toBe(false);
    // zod 4 reports unknown keys on the object itself (path []) and names them in `keys`.
    expect(result.error?.issues).toEqual([
      expect.objectContaining({ code: "unrecognized_keys", keys: ["tiket"] }),
    ]);
  });

  it("names the path of a missing or wrong argument", () => {
    const result = deskRequestSchemas.cancel.safeParse({ requestId: "r-1", ticket: "A023", reason: 5 });
    expect(result.error?.issues.map((i) => i.path)).toEqual([["reason"]]);
  });

  it("takes expiresAt as ISO time with an offset or epoch milliseconds, nothing else", () => {
    for (const expiresAt of ["2026-11-25T10:00:00Z", "2026-11-25T12:00:00.250+02:00", 1_764_064_800_000])
      expect(requestEnvelopeSchema.safeParse({ requestId: "r", expiresAt }).success, String(expiresAt)).toBe(
        true,
      );
    // 1_764_064_800 is seconds, not milliseconds: refused rather than taken as 1970.
    for (const expiresAt of [
      "tomorrow",
      "2026-11-25",
      "2026-13-25T10:00:00Z",
      "",
      -1,
      1.5,
      null,
      true,
      0,
      1_764_064_800,
    ]) {
      const result = requestEnvelopeSchema.safeParse({ requestId: "r", expiresAt });
      expect(result.success, String(expiresAt)).toBe(false);
      expect(result.error?.issues[0]?.path).toEqual(["expiresAt"]);
    }
  });
});
