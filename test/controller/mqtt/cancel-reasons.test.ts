// Cancel reasons are configured codes: an unknown one is refused naming `reason`, only the code is
// published, and the free note staff may add reaches the journal but no topic the controller
// publishes on (every topic of the office is watched).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ContractClient } from "../../../controller/mqtt/contract-client.js";
import { infoSchema } from "../../../protocols/mqtt/schemas.js";
import { type Harness, startHarness, type Watcher } from "../../support/office-harness.js";

/** Everything the journal folder holds, as one text. */
function journalText(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(join(entry.parentPath, entry.name), "utf8"))
    .join("\n");
}

describe("cancel reasons over MQTT", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "vooru-reasons-"));
  let h: Harness;
  let desk: ContractClient;
  let all: Watcher;

  beforeAll(async () => {
    h = await startHarness({ config: { journal: { dataDir } } });
    // Everything a reader of the office may subscribe to (outside vooru/ the controller publishes nothing).
    all = await h.watch({ filter: `${h.base}#` });
    desk = await h.client();
  });
  afterAll(async () => {
    await h.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const issue = async (service: string): Promise<string> => {
    const reply = await desk.request({ scope: "desk", verb: "issue" }, { service });
    if (!reply.ok) throw new Error(JSON.stringify(reply));
    return (reply.result as { ticket: { number: string } }).ticket.number;
  };
  const cancelled = (number: string) =>
    all.waitFor((m) => {
      if (m.topic !== `${h.base}events/ticket_cancelled`) return false;
      return (JSON.parse(m.payload.toString()) as { ticket: { number: string } }).ticket.number === number;
    });
  /**
   * What the controller (and anyone) published, but the requests themselves: a request carries its
   * note to the controller, so only those topics may hold it (who may read them is the broker's ACL).
   */
  const published = () =>
    all.messages
      .filter((m) => !/\/desk\/request\//.test(m.topic.slice(h.base.length - 1)))
      .map((m) => `${m.topic} ${m.payload.toString()}`)
      .join("\n");

  it("lists the reasons with their texts in info", async () => {
    const info = infoSchema.parse(
      JSON.parse((await all.waitFor((m) => m.topic === `${h.base}info`)).payload.toString()),
    );
    expect(info.cancelReasons?.map((r) => r.code)).toEqual(["wrong_service", "duplicate", "left", "other"]);
    expect(info.cancelReasons?.[0]?.names).toEqual({
      et: "vale teenus",
      en: "wrong service",
      ru: "не та услуга",
    });
  });

  it("refuses an unknown code naming reason, and leaves the ticket waiting", async () => {
    const number = await issue("pensions");
    for (const verb of ["cancel", "reissue"] as const) {
      const reply = await desk.request(
        { scope: "desk", verb },
        { ticket: number, reason: "maarjamaa", ...(verb === "reissue" ? { service: "benefits" } : {}) },
      );
      expect(reply).toMatchObject({
        ok: false,
        error: { code: "VALIDATION_FAILED", issues: [{ path: "reason" }] },
      });
      // A mistyped code may be a name: the reply (itself on MQTT) does not repeat it.
      expect(JSON.stringify(reply)).not.toContain("maarjamaa");
      expect(JSON.stringify(reply)).toContain("wrong_service");
    }
    const tickets = h.office.queue.core.openTickets().map((t) => t.number);
    expect(tickets).toContain(number);
  });

  it("journals the note but publishes only the code, on no topic at all", async () => {
    const number = await issue("pensions");
    const note = "Mari Maasikas 49001010000";
    const reply = await desk.request(
      { scope: "desk", verb: "cancel" },
      { ticket: number, reason: "duplicate", note },
    );
    expect(reply).toMatchObject({ ok: true, result: { ticket: { number, state: "cancelled" } } });
    const event = JSON.parse((await cancelled(number)).payload.toString());
    expect(event.reason).toBe("duplicate");
    expect(event).not.toHaveProperty("note");
    // Give the retained state time to go out too, then look at every message the broker carried.
    await desk.request({ scope: "system", verb: "resync" });
    expect(published()).not.toContain("Maasikas");
    expect(published()).not.toContain("49001010000");
    expect(journalText(dataDir)).toContain(note);
  });

  it("a reissue takes a code and a note the same way; without a reason it is 'reissued'", async () => {
    const first = await issue("documents");
    const withReason = await desk.request(
      { scope: "desk", verb: "reissue" },
      { ticket: first, service: "benefits", reason: "wrong_service", note: "Jaan Tamm asked twice" },
    );
    expect(withReason.ok).toBe(true);
    expect(JSON.parse((await cancelled(first)).payload.toString())).toMatchObject({
      reason: "wrong_service",
    });
    const second = await issue("documents");
    expect(
      (await desk.request({ scope: "desk", verb: "reissue" }, { ticket: second, service: "pensions" })).ok,
    ).toBe(true);
    expect(JSON.parse((await cancelled(second)).payload.toString())).toMatchObject({ reason: "reissued" });
    await desk.request({ scope: "system", verb: "resync" });
    expect(published()).not.toContain("Tamm");
    expect(journalText(dataDir)).toContain("Jaan Tamm asked twice");
  });

  it("an older client's free text is taken as other, the text kept in the journal only, with a warning", async () => {
    const number = await issue("benefits");
    const reply = await desk.request(
      { scope: "desk", verb: "cancel" },
      { ticket: number, reason: "Wrong topic, Peeter Pikk" },
    );
    expect(reply.ok).toBe(true);
    expect(JSON.parse((await cancelled(number)).payload.toString())).toMatchObject({ reason: "other" });
    await desk.request({ scope: "system", verb: "resync" });
    expect(published()).not.toContain("Pikk");
    expect(journalText(dataDir)).toContain("Wrong topic, Peeter Pikk");
    const warning = h.log.lines.find((l) => l.startsWith("warn:") && l.includes("free-text reason"));
    expect(warning).toContain('"other"');
    // Nor does the log repeat it.
    expect(h.log.lines.join("\n")).not.toContain("Pikk");
  });
});

describe("an office whose reasons have no 'other'", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ config: { cancelReasons: [{ code: "left", names: { en: "Left" } }] } });
  });
  afterAll(async () => {
    await h.stop();
  });

  it("refuses free text naming reason, and takes its own code", async () => {
    const desk = await h.client();
    const issued = await desk.request({ scope: "desk", verb: "issue" }, { service: "pensions" });
    const number = (issued as { result: { ticket: { number: string } } }).result.ticket.number;
    const free = await desk.request(
      { scope: "desk", verb: "cancel" },
      { ticket: number, reason: "went home" },
    );
    expect(free).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED", issues: [{ path: "reason" }] },
    });
    const known = await desk.request({ scope: "desk", verb: "cancel" }, { ticket: number, reason: "left" });
    expect(known.ok).toBe(true);
  });
});
