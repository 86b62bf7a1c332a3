// The pages keep the newest retained state: a stored copy delivered after a newer live message
// (aedes sends stored retained messages after the SUBACK) must not roll a counter back.
import { describe, expect, it } from "vitest";
import type { OfficeConnection } from "../../web/lib/connection.js";
import { isNewer, trackOffice } from "../../web/lib/office-state.js";

function fakeConnection() {
  let deliver: (path: string, text: string) => void = () => {};
  const connection = {
    onMessage(handler: (path: string, text: string) => void) {
      deliver = handler;
    },
  } as unknown as OfficeConnection;
  return { connection, deliver: (path: string, body: unknown) => deliver(path, JSON.stringify(body)) };
}

const counter = (epoch: string, seq: number, status: "open" | "closed") => ({
  epoch,
  seq,
  status,
  ticket: null,
});

describe("the pages' office state", () => {
  it("orders by seq within an epoch, and prefers the controller's current epoch", () => {
    expect(isNewer(undefined, { epoch: "a", seq: 0 }, null)).toBe(true);
    expect(isNewer({ epoch: "a", seq: 5 }, { epoch: "a", seq: 4 }, "a")).toBe(false);
    expect(isNewer({ epoch: "a", seq: 5 }, { epoch: "a", seq: 5 }, "a")).toBe(true);
    // A restart: the new epoch's state replaces the old one's...
    expect(isNewer({ epoch: "old", seq: 90 }, { epoch: "new", seq: 1 }, "new")).toBe(true);
    // ...and a late copy from the old epoch does not come back.
    expect(isNewer({ epoch: "new", seq: 1 }, { epoch: "old", seq: 90 }, "new")).toBe(false);
  });

  it("a stale stored copy after a newer live one is ignored", () => {
    const { connection, deliver } = fakeConnection();
    const state = trackOffice(connection, () => {});
    deliver("status", { state: "online", epoch: "e1", version: "t", ts: "2026-11-25T08:00:00.000Z" });
    deliver("counters/1", counter("e1", 1, "open"));
    deliver("counters/1", counter("e1", 0, "closed"));
    expect(state.counters.get("1")?.status).toBe("open");
    deliver("tickets", { epoch: "e1", seq: 3, tickets: [] });
    deliver("tickets", {
      epoch: "e1",
      seq: 2,
      tickets: [
        {
          id: "2026-11-25-A001",
          number: "A001",
          service: "pensions",
          state: "waiting",
          priority: 0,
          issuedAt: "2026-11-25T08:00:00.000Z",
          arrivedAt: "2026-11-25T08:00:00.000Z",
          recalls: 0,
        },
      ],
    });
    expect(state.tickets).toEqual([]);
  });
});
