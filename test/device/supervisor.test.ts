import { afterEach, describe, expect, it, vi } from "vitest";
import { type SupervisorHooks, supervisionDefaults, TransportSupervisor } from "../../device/supervisor.js";

// With random() = 1 the delay is the ceiling: min(max, initial * 2^attempt).
function harness(connect: (sup: TransportSupervisor, session: number) => Promise<void>) {
  const calls: string[] = [];
  const sessions: number[] = [];
  const settings = supervisionDefaults({ random: () => 1, backoffInitialMs: 100, backoffMaxMs: 1000 });
  const hooks: SupervisorHooks = {
    connect: (session) => {
      sessions.push(session);
      return connect(sup, session);
    },
    onConnectError: (error) => calls.push(`error ${error.message}`),
    onLost: (reason, close) => calls.push(`lost ${reason} ${close}`),
    onFailed: (reason, fault) => calls.push(`failed ${reason}${fault ? ` ${fault}` : ""}`),
  };
  const sup = new TransportSupervisor(settings, hooks);
  return { sup, calls, sessions };
}

describe("TransportSupervisor", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("backs off doubling up to the maximum while attempts fail", async () => {
    vi.useFakeTimers();
    const { sup, calls, sessions } = harness(async (s, session) => s.failed(session, "refused"));
    sup.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(sup.phase).toBe("backoff");
    const times: number[] = [];
    for (const delay of [100, 200, 400, 800, 1000, 1000]) {
      await vi.advanceTimersByTimeAsync(delay - 1);
      times.push(sessions.length);
      await vi.advanceTimersByTimeAsync(1);
    }
    expect(times).toEqual([1, 2, 3, 4, 5, 6]);
    expect(sessions).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(sup.reconnects).toBe(6);
    expect(calls).toEqual(Array(7).fill("failed refused"));
    sup.stop();
  });

  it("starts the backoff from the bottom again once reset", async () => {
    vi.useFakeTimers();
    const { sup, sessions } = harness(async (s) => s.opened());
    sup.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(sup.phase).toBe("open");
    sup.lose("gone");
    await vi.advanceTimersByTimeAsync(100);
    sup.lose("gone");
    await vi.advanceTimersByTimeAsync(199);
    expect(sessions).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(sessions).toHaveLength(3);
    sup.resetBackoff();
    sup.lose("gone");
    await vi.advanceTimersByTimeAsync(100);
    expect(sessions).toHaveLength(4);
    sup.stop();
  });

  it("stop() cancels a pending reopen and ends the session", async () => {
    vi.useFakeTimers();
    const { sup, sessions } = harness(async (s, session) => s.failed(session, "refused"));
    sup.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(sup.phase).toBe("backoff");
    const session = sup.session;
    expect(sup.stop()).toBe("backoff");
    expect(sup.isCurrent(session)).toBe(false);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(sessions).toEqual([1]);
    expect(sup.phase).toBe("stopped");
    expect(sup.stop()).toBe("stopped");
  });

  it("ignores a loss while backing off, and a stale or stopped attempt's failure", async () => {
    vi.useFakeTimers();
    const { sup, calls } = harness(async (s) => s.opened());
    sup.start();
    await vi.advanceTimersByTimeAsync(0);
    sup.lose("cable", true);
    expect(calls).toEqual(["lost cable true"]);
    expect(sup.phase).toBe("backoff");
    sup.lose("again");
    sup.failed(1, "late");
    expect(calls).toEqual(["lost cable true"]);
    await vi.advanceTimersByTimeAsync(100);
    expect(sup.phase).toBe("open");
    expect(sup.reconnects).toBe(1);
    const session = sup.session;
    sup.stop();
    sup.lose("after stop");
    sup.failed(session, "after stop");
    expect(calls).toEqual(["lost cable true"]);
  });

  it("caps the backoff at the transport's reopenCapMs (a serial port: a replug seen within seconds)", async () => {
    vi.useFakeTimers();
    const transport = {
      description: "serial /dev/ttyACM0",
      reopenCapMs: 300,
      open: async () => {
        throw new Error("no serial port /dev/ttyACM0");
      },
      write: async () => {},
      close: async () => {},
      onData: () => {},
      onClose: () => {},
    };
    const { sup, sessions } = harness(async (s, session) => s.openTransport(session, transport, () => {}));
    sup.start();
    await vi.advanceTimersByTimeAsync(0);
    const times: number[] = [];
    for (const delay of [100, 200, 300, 300, 300]) {
      await vi.advanceTimersByTimeAsync(delay - 1);
      times.push(sessions.length);
      await vi.advanceTimersByTimeAsync(1);
    }
    // Without the cap the waits would have grown to 400, 800 and 1000 ms.
    expect(times).toEqual([1, 2, 3, 4, 5]);
    expect(sessions).toHaveLength(6);
    sup.stop();
  });

  it("hands a throwing connect to onConnectError", async () => {
    const { sup, calls } = harness(async () => {
      throw new Error("bug");
    });
    sup.start();
    await Promise.resolve();
    await Promise.resolve();
    expect(calls).toEqual(["error bug"]);
    expect(sup.phase).toBe("connecting");
    sup.stop();
  });
});
