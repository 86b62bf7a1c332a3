// A request for a counter that cannot exist (an id no config may hold) is answered with
// COUNTER_NOT_FOUND on its reply topic, like one for a counter this office does not have; it used
// to get no reply at all.
import { afterEach, describe, expect, it } from "vitest";
import { parseRequestTopic } from "../../../protocols/mqtt/topics.js";
import { type Harness, startHarness } from "../../support/office-harness.js";

describe("requests for a counter that does not exist", () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it("names the bad counter in the parsed topic", () => {
    const base = "vooru/v1/demo/";
    expect(parseRequestTopic(base, `${base}counters/a.b/request/open`)).toEqual({
      badCounter: "a.b",
      verb: "open",
      replyTopic: `${base}counters/a.b/reply/open`,
    });
    expect(parseRequestTopic(base, `${base}counters/1/request/open`)).toEqual({
      scope: "counter",
      counter: "1",
      verb: "open",
    });
  });

  it("answers COUNTER_NOT_FOUND for an unknown and for a malformed id", async () => {
    h = await startHarness();
    const client = await h.client();
    for (const counter of ["99", "a.b", "x".repeat(40)]) {
      const reply = await client.request({ scope: "counter", counter, verb: "open" }, {}, 10_000);
      expect(reply, counter).toMatchObject({ ok: false, verb: "open", error: { code: "COUNTER_NOT_FOUND" } });
    }
  });
});
