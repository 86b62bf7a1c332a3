// A speaker's queue, with a play the test finishes by hand and an injected clock: calls that come
// while one plays all play, in order, none cut off; a recall already waiting is merged; a call
// that waited too long is dropped, not played late.
import { describe, expect, it } from "vitest";
import { type Announcement, SpeakerQueue } from "../../../controller/announcements/speaker-queue.js";

function harness(maxAgeMs = 60_000) {
  let now = 0;
  const started: string[] = [];
  const finishers: Array<() => void> = [];
  const dropped: string[] = [];
  const queue = new SpeakerQueue({
    clock: () => now,
    maxAgeMs,
    play: (_wav, a) => {
      started.push(a.label);
      return new Promise<void>((resolve) => finishers.push(resolve));
    },
    onDropped: (a, why) => dropped.push(`${a.label}:${why}`),
  });
  const call = (label: string, key = label): Announcement => ({
    key,
    at: now,
    label,
    render: () => new Uint8Array(44),
  });
  const finish = async () => {
    finishers.shift()?.();
    await new Promise((r) => setTimeout(r, 0));
  };
  return {
    queue,
    call,
    started,
    dropped,
    finish,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe("speaker queue", () => {
  it("plays each call to its end, then the next, in order", async () => {
    const h = harness();
    h.queue.enqueue(h.call("A001"));
    h.queue.enqueue(h.call("A002"));
    h.queue.enqueue(h.call("B001"));
    expect(h.started).toEqual(["A001"]); // A002 waits: nothing cuts A001 off
    await h.finish();
    expect(h.started).toEqual(["A001", "A002"]);
    await h.finish();
    await h.finish();
    expect(h.started).toEqual(["A001", "A002", "B001"]);
    expect(h.queue.stats).toEqual({ played: 3, merged: 0, stale: 0, failed: 0 });
    await h.queue.idle();
  });

  it("a recall of a call still waiting is not queued twice; one that comes while it plays is", async () => {
    const h = harness();
    h.queue.enqueue(h.call("A001", "A001@1"));
    h.queue.enqueue(h.call("A002", "A002@2"));
    h.queue.enqueue(h.call("A002 recall", "A002@2"));
    expect(h.queue.length).toBe(2);
    await h.finish();
    expect(h.started).toEqual(["A001", "A002"]);
    h.queue.enqueue(h.call("A002 recall", "A002@2")); // A002 is playing: staff recalled it again
    await h.finish();
    await h.finish();
    expect(h.started).toEqual(["A001", "A002", "A002 recall"]);
    expect(h.queue.stats.merged).toBe(1);
  });

  it("drops a call that waited longer than the limit instead of playing it late", async () => {
    const h = harness(30_000);
    h.queue.enqueue(h.call("A001"));
    h.queue.enqueue(h.call("A002"));
    h.advance(31_000);
    h.queue.enqueue(h.call("A003"));
    await h.finish();
    expect(h.dropped).toEqual(["A002:stale"]);
    expect(h.started).toEqual(["A001", "A003"]);
    await h.finish();
    expect(h.queue.stats).toMatchObject({ played: 2, stale: 1 });
  });

  it("a failed play is counted and the next one still plays", async () => {
    let calls = 0;
    const queue = new SpeakerQueue({
      clock: () => 0,
      maxAgeMs: 1000,
      play: async () => {
        calls++;
        if (calls === 1) throw new Error("no device");
      },
    });
    queue.enqueue({ key: "a", at: 0, label: "a", render: () => new Uint8Array() });
    queue.enqueue({ key: "b", at: 0, label: "b", render: () => new Uint8Array() });
    await queue.idle();
    expect(queue.stats).toEqual({ played: 1, merged: 0, stale: 0, failed: 1 });
  });
});

describe("the demo's simulated speaker", () => {
  it("keeps only its last sounds, so a long demo day does not keep every call's WAV", async () => {
    const { SimulatedSpeaker, KEPT_SOUNDS } = await import("../../../demo/speakers.js");
    const speaker = new SimulatedSpeaker("zone-x", { report() {}, raise() {}, clear() {} }, () => 0, 0);
    for (let i = 0; i < KEPT_SOUNDS + 5; i++) await speaker.play(new Uint8Array(44));
    expect(speaker.played).toHaveLength(KEPT_SOUNDS);
    expect(speaker.playCount).toBe(KEPT_SOUNDS + 5);
  });
});
