// A stored retained copy that arrives after a newer live message on its topic is dropped; after a
// new subscription the stored copies count again.
import { describe, expect, it } from "vitest";
import { RetainedOrder } from "../../../protocols/mqtt/retained-order.js";

describe("RetainedOrder", () => {
  it("takes stored copies until a live message overtakes them on that topic", () => {
    const order = new RetainedOrder();
    expect(order.accept("devices/kiosk-1", true)).toBe(true);
    expect(order.accept("devices/kiosk-1", false)).toBe(true);
    // The broker's stored copy, sent after the SUBACK, comes after the live change: older.
    expect(order.accept("devices/kiosk-1", true)).toBe(false);
    // Other topics are not affected.
    expect(order.accept("devices/desk-printer", true)).toBe(true);
  });

  it("a reconnect makes stored copies current again", () => {
    const order = new RetainedOrder();
    order.accept("boards/board-1", false);
    order.reset();
    expect(order.accept("boards/board-1", true)).toBe(true);
  });
});
