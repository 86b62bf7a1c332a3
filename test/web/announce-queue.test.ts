// The TV display's spoken calls in turn: a new call waits for the one being played, a recall of a
// waiting ticket is not queued twice, and a call that waited too long is dropped, not played late.
import { describe, expect, it } from "vitest";
import { AnnounceQueue, MAX_ANNOUNCEMENT_AGE_MS } from "../../web/lib/announce-queue.js";

describe("the display's announcement queue", () => {
  it("plays calls in the order they came, one at a time", () => {
    const queue = new AnnounceQueue<string>();
    expect(queue.offer("A001", "call A001", 0)).toBe(true);
    expect(queue.offer("A002", "call A002", 10)).toBe(true);
    expect(queue.next(20).next?.item).toBe("call A001");
    // A third call while A001 plays: it waits, and nothing else starts.
    expect(queue.offer("B001", "call B001", 30)).toBe(true);
    expect(queue.next(40)).toEqual({ next: null, dropped: [] });
    expect(queue.tickets()).toEqual(["A001", "A002", "B001"]);
    queue.finish();
    expect(queue.next(50).next?.item).toBe("call A002");
    queue.finish();
    expect(queue.next(60).next?.item).toBe("call B001");
    queue.finish();
    expect(queue.next(70)).toEqual({ next: null, dropped: [] });
    expect(queue.tickets()).toEqual([]);
  });

  it("does not queue a recall of a ticket that is already waiting", () => {
    const queue = new AnnounceQueue<string>();
    queue.offer("A001", "call A001", 0);
    queue.next(0);
    queue.offer("A002", "call A002 to 1", 100);
    queue.offer("A003", "call A003", 200);
    // Recalled (to another counter, say) while it waits: it keeps its place, with the newer text.
    expect(queue.offer("A002", "call A002 to 2", 300)).toBe(false);
    expect(queue.tickets()).toEqual(["A001", "A002", "A003"]);
    queue.finish();
    expect(queue.next(400).next).toEqual({ ticket: "A002", item: "call A002 to 2", queuedAt: 300 });
  });

  it("queues a recall made while its call is being spoken, once, after it", () => {
    const queue = new AnnounceQueue<string>();
    queue.offer("A001", "call A001", 0);
    queue.next(0);
    // Staff recalled after hearing it start: it is said again, but not cut off.
    expect(queue.offer("A001", "recall A001", 500)).toBe(true);
    expect(queue.offer("A001", "recall A001", 600)).toBe(false);
    expect(queue.tickets()).toEqual(["A001", "A001"]);
    expect(queue.next(700).next).toBeNull();
    queue.finish();
    expect(queue.next(9_000).next?.item).toBe("recall A001");
    queue.finish();
    expect(queue.next(9_100).next).toBeNull();
  });

  it("drops a call that waited more than 30 s instead of playing it late", () => {
    expect(MAX_ANNOUNCEMENT_AGE_MS).toBe(30_000);
    const queue = new AnnounceQueue<string>();
    queue.offer("A001", "call A001", 0);
    queue.next(0); // a long announcement, or the audio hung
    queue.offer("A002", "call A002", 1_000);
    queue.offer("A003", "call A003", 20_000);
    queue.finish();
    const { next, dropped } = queue.next(31_001);
    expect(dropped.map((d) => d.ticket)).toEqual(["A002"]);
    expect(next?.ticket).toBe("A003");
    queue.finish();
    // Exactly 30 s is still in time.
    queue.offer("A004", "call A004", 40_000);
    expect(queue.next(70_000).next?.ticket).toBe("A004");
  });

  it("a recall refreshes the wait of a queued call", () => {
    const queue = new AnnounceQueue<string>(30_000);
    queue.offer("A001", "call A001", 0);
    queue.next(0);
    queue.offer("A002", "call A002", 1_000);
    queue.offer("A002", "recall A002", 25_000);
    queue.finish();
    expect(queue.next(40_000).next?.item).toBe("recall A002");
  });

  it("clear() empties the waiting calls but lets the one playing end", () => {
    const queue = new AnnounceQueue<string>();
    queue.offer("A001", "call A001", 0);
    queue.offer("A002", "call A002", 0);
    queue.next(0);
    queue.clear();
    expect(queue.tickets()).toEqual(["A001"]);
    expect(queue.playing?.ticket).toBe("A001");
    queue.finish();
    expect(queue.next(1).next).toBeNull();
  });
});
