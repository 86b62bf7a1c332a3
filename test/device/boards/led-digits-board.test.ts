// The Led.Digits board driver through the real johnny-five, over the virtual IO plugin whose
// HT16K33 / MAX7219 chips decode what the display shows.
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import { LedDigitsBoard, type LedDigitsBoardOptions } from "../../../device/boards/led-digits-board.js";
import { importJohnnyFive } from "../../../device/boards/led-digits-five.js";
import { ht16k33DisplayRam, max7219Frames } from "../../../protocols/boards/led-digits.js";
import { VirtualLedWiring } from "../../../simulators/boards/virtual-io.js";
import { type RecordingHealthSink, recordingHealthSink, waitFor } from "../support/health.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "../../..");
const SPI = { data: 2, clock: 3, cs: 4 };

const running: LedDigitsBoard[] = [];
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(running.splice(0).map((b) => b.stop()));
});

function board(
  wiring: VirtualLedWiring,
  options: Partial<LedDigitsBoardOptions> & Pick<LedDigitsBoardOptions, "controller">,
): { b: LedDigitsBoard; health: RecordingHealthSink } {
  const health = recordingHealthSink();
  const b = new LedDigitsBoard({
    id: "counter-4",
    io: () => wiring.connect(),
    health,
    random: () => 0.5,
    backoffInitialMs: 20,
    backoffMaxMs: 80,
    ...(options.controller === "MAX7219" ? { pins: SPI, digits: 4 } : {}),
    ...options,
  });
  running.push(b);
  return { b, health };
}

async function opened(b: LedDigitsBoard): Promise<void> {
  await waitFor(() => b.status === "open", `${b.id} open`);
}

describe("LedDigitsBoard on an HT16K33 (I2C) through johnny-five", () => {
  it("shows A123: the display RAM holds the segment codes of hardware.md, the colon stays dark", async () => {
    const wiring = new VirtualLedWiring({ ht16k33: [0x70] });
    const { b, health } = board(wiring, { controller: "HT16K33" });
    b.start();
    await opened(b);
    expect(await b.show("A123")).toEqual({ ok: true });

    const chip = wiring.ht16k33(0x70);
    expect(chip.view()).toMatchObject({ text: "A123", lit: true, shown: "A123" });
    // A = 0x77, 1 = 0x06, (colon position 2), 2 = 0x5B, 3 = 0x4F, from register 0
    expect([chip.ram[0], chip.ram[2], chip.ram[4], chip.ram[6], chip.ram[8]]).toEqual([
      0x77, 0x06, 0, 0x5b, 0x4f,
    ]);
    expect(chip.colon).toBe(false);
    expect(chip).toMatchObject({ oscillator: true, displayOn: true, blinkRate: 0, dimming: 15 });
    const io = wiring.live[0]!;
    expect(io.i2cConfigured).toBe(true);
    expect(io.i2cWrites.at(-1)).toEqual({
      address: 0x70,
      bytes: [0x00, 0x77, 0, 0x06, 0, 0, 0, 0x5b, 0, 0x4f, 0, 0, 0, 0, 0, 0, 0],
    });
    expect(health.last()).toEqual({ status: "ok", faults: [] });
    expect(health.active.size).toBe(0);
  });

  it("cuts and pads to the cells, lights decimal points, blanks what it cannot draw", async () => {
    const wiring = new VirtualLedWiring({ ht16k33: [0x70] });
    const { b } = board(wiring, { controller: "HT16K33" });
    b.start();
    await opened(b);
    await b.show("A123");
    await b.show("7");
    expect(wiring.ht16k33().view().text).toBe("7   ");
    await b.show("1.5-9");
    expect(wiring.ht16k33().view().text).toBe("1.5-9");
    await b.show("C04217");
    expect(wiring.ht16k33().view().text).toBe("C042");
    await b.show("K1W2");
    expect(wiring.ht16k33().view().text).toBe(" 1 2");
  });

  it("uses the project's font, not johnny-five's: B and D do not read as 8 and 0", async () => {
    // Plain digit-per-row layout, so the RAM compares with the codec's ht16k33DisplayRam.
    const wiring = new VirtualLedWiring({ ht16k33: [0x70] });
    const { b } = board(wiring, { controller: "HT16K33", positions: [0, 1, 2, 3] });
    b.start();
    await opened(b);
    await b.show("B012");
    const chip = wiring.ht16k33();
    expect(chip.view([0, 1, 2, 3]).text).toBe("B012");
    expect(chip.ram).toEqual([...ht16k33DisplayRam("B012", { digits: 4 })]);
    await b.show("D.O5");
    expect(chip.view([0, 1, 2, 3]).text).toBe("D.O5 ");
  });

  it("blinks by switching the display off and on every blinkMs for blinkFor, then stays lit", async () => {
    const wiring = new VirtualLedWiring({ ht16k33: [0x70] });
    const { b } = board(wiring, { controller: "HT16K33", blinkMs: 500, blinkFor: 3000 });
    b.start();
    await opened(b);
    vi.useFakeTimers();
    const chip = wiring.ht16k33();
    expect(await b.show("A123", { blink: true })).toEqual({ ok: true });
    const seen: string[] = [chip.view().shown];
    for (let i = 0; i < 8; i++) {
      vi.advanceTimersByTime(500);
      seen.push(chip.view().shown);
    }
    expect(seen).toEqual(["A123", "    ", "A123", "    ", "A123", "    ", "A123", "A123", "A123"]);
    expect(chip.view().text).toBe("A123"); // the RAM kept the text all along: only standby toggled
    expect(chip.blinkRate).toBe(0); // emulated, not the chip's own blink

    // A newer show stops a running blink and is lit at once.
    await b.show("A124", { blink: true });
    vi.advanceTimersByTime(500);
    expect(chip.view().shown).toBe("    ");
    await b.show("A125");
    expect(chip.view().shown).toBe("A125");
    vi.advanceTimersByTime(5000);
    expect(chip.view().shown).toBe("A125");
  });

  it("IO plugin error -> offline with an alert -> reconnects on backoff with a new plugin and shows the last text", async () => {
    const wiring = new VirtualLedWiring({ ht16k33: [0x70] });
    const { b, health } = board(wiring, { controller: "HT16K33" });
    b.start();
    await opened(b);
    await b.show("A123");
    const first = wiring.live[0]!;

    first.fail("I2C bus error");
    expect(b.status).toBe("backoff");
    expect(health.last()).toEqual({ status: "offline", faults: ["bus_unreachable"] });
    expect(health.active.get("BOARD_OFFLINE")).toBe("critical");
    const raised = health.calls.find((c) => c.kind === "raise");
    expect(raised).toMatchObject({ message: expect.stringContaining("I2C bus error") });

    // A call meanwhile is remembered and shown once the board is back.
    expect(await b.show("C042")).toEqual({
      ok: false,
      detail: "board counter-4 is unreachable; shown when it is back",
    });
    await opened(b);
    expect(wiring.live).toHaveLength(1);
    expect(wiring.live[0]).not.toBe(first);
    expect(wiring.ht16k33().view()).toMatchObject({ shown: "C042" });
    expect(health.last()).toEqual({ status: "ok", faults: [] });
    expect(health.active.size).toBe(0);
    expect(b.stats()).toMatchObject({ failures: 1, reconnects: 1 });
  });

  it("unplugged: refused attempts back off (one alert), and it comes back when plugged in again", async () => {
    const wiring = new VirtualLedWiring({ ht16k33: [0x70] });
    const { b, health } = board(wiring, { controller: "HT16K33" });
    b.start();
    await opened(b);
    await b.show("A123");

    wiring.unplug("USB cable pulled");
    expect(health.last()).toEqual({ status: "offline", faults: ["bus_unreachable"] });
    await waitFor(() => wiring.attempts >= 4, "several refused attempts");
    expect(health.calls.filter((c) => c.kind === "raise")).toHaveLength(1);
    expect(b.status).not.toBe("open");

    wiring.plug();
    await opened(b);
    expect(wiring.ht16k33().view().shown).toBe("A123");
    expect(health.active.size).toBe(0);
  });

  it("a write the plugin throws on takes the board offline; the show says so", async () => {
    const wiring = new VirtualLedWiring({ ht16k33: [0x70] });
    const { b, health } = board(wiring, { controller: "HT16K33" });
    b.start();
    await opened(b);
    wiring.live[0]!.throwOnWrite = new Error("EREMOTEIO");
    const result = await b.show("A123");
    expect(result).toEqual({ ok: false, detail: "write failed: EREMOTEIO" });
    expect(health.last()?.status).toBe("offline");
    await opened(b);
    expect(wiring.ht16k33().view().shown).toBe("A123");
  });

  it("a plugin that never gets ready times out and is retried", async () => {
    const wiring = new VirtualLedWiring({ ht16k33: [0x70] });
    let n = 0;
    const { b, health } = board(wiring, {
      controller: "HT16K33",
      readyTimeoutMs: 50,
      io: () => wiring.connect({ neverReady: n++ === 0 }),
    });
    b.start();
    await opened(b);
    expect(health.calls.find((c) => c.kind === "raise")).toMatchObject({
      message: expect.stringContaining("not ready after 50 ms"),
    });
    expect(health.last()).toEqual({ status: "ok", faults: [] });
  });

  it("one HT16K33 address per process: a second board at 0x70 is refused while the first runs, and a later one reuses it", async () => {
    const wiring = new VirtualLedWiring({ ht16k33: [0x70] });
    const { b: first } = board(wiring, { controller: "HT16K33" });
    first.start();
    await opened(first);
    const { b: second, health } = board(wiring, { controller: "HT16K33", id: "counter-5" });
    second.start();
    await waitFor(() => health.last() !== undefined, "second board's report");
    expect(health.last()).toEqual({ status: "offline", faults: ["address_in_use"] });
    await second.stop();

    await first.stop();
    const { b: third } = board(wiring, { controller: "HT16K33", id: "counter-6" });
    third.start();
    await opened(third);
    expect(await third.show("A007")).toEqual({ ok: true });
    expect(wiring.ht16k33().view().text).toBe("A007");
  });

  it("an IO failure during johnny-five's own Led.Digits set-up does not lose the address for good", async () => {
    // Led.Digits takes its HT16K33 address before it writes to the chip; were its constructor to
    // throw there, every later attempt would fail with "Invalid HT16K33 controller address".
    const wiring = new VirtualLedWiring({ ht16k33: [0x71] });
    let n = 0;
    const { b, health } = board(wiring, {
      controller: "HT16K33",
      address: 0x71,
      io: () => {
        const io = wiring.connect();
        if (n++ === 0) io.throwOnWrite = new Error("I2C write failed, errno 121");
        return io;
      },
    });
    b.start();
    await opened(b);
    expect(health.calls.find((c) => c.kind === "raise")).toMatchObject({
      message: expect.stringContaining("errno 121"),
    });
    await b.show("A123");
    expect(wiring.ht16k33(0x71).view().shown).toBe("A123");
  });

  it("johnny-five missing: offline with its own fault, retried", async () => {
    const wiring = new VirtualLedWiring({ ht16k33: [0x70] });
    let calls = 0;
    const { b, health } = board(wiring, {
      controller: "HT16K33",
      loadJohnnyFive: () => {
        calls++;
        return calls < 3
          ? Promise.reject(new Error("Cannot find package 'johnny-five'"))
          : importJohnnyFive();
      },
    });
    b.start();
    await waitFor(() => health.last() !== undefined, "a report");
    expect(health.last()).toEqual({ status: "offline", faults: ["johnny_five_missing"] });
    await opened(b);
    expect(calls).toBe(3);
  });
});

describe("LedDigitsBoard on a MAX7219 (bit-banged SPI) through johnny-five", () => {
  it("shows A123: 16-bit frames register/data, leftmost cell in the highest digit register", async () => {
    const wiring = new VirtualLedWiring({ max7219: [{ pins: SPI, digits: 4 }] });
    const { b, health } = board(wiring, { controller: "MAX7219" });
    b.start();
    await opened(b);
    const io = wiring.live[0]!;
    io.spiFrames.length = 0;
    expect(await b.show("A123")).toEqual({ ok: true });

    // No-decode segment codes (dp a b c d e f g): A = 0x77, 1 = 0x30, 2 = 0x6D, 3 = 0x79.
    expect(io.spiFrames).toEqual([[0x0477], [0x0330], [0x026d], [0x0179]]);
    const chip = wiring.max7219(SPI.cs);
    expect(chip.view()).toMatchObject({ text: "A123", lit: true, shown: "A123" });
    expect(chip).toMatchObject({
      decodeMode: 0,
      scanLimit: 3,
      shutdown: false,
      displayTest: false,
      intensity: 3,
    });
    expect(io.pins[2]?.mode).toBe(io.MODES.OUTPUT);
    expect(health.last()).toEqual({ status: "ok", faults: [] });
  });

  it("sends the digit frames of the codec's max7219Frames; B and D stay letters", async () => {
    const wiring = new VirtualLedWiring({ max7219: [{ pins: SPI, digits: 4 }] });
    const { b } = board(wiring, { controller: "MAX7219" });
    b.start();
    await opened(b);
    const io = wiring.live[0]!;
    io.spiFrames.length = 0;
    await b.show("B0D7");
    const digitFrames = max7219Frames("B0D7", { digits: 4 }).filter(([register]) => register <= 8);
    // johnny-five writes left to right: DIG3 first
    expect(io.spiFrames.map(([w]) => [w! >> 8, w! & 0xff]).sort()).toEqual(digitFrames.sort());
    expect(wiring.max7219(SPI.cs).view().text).toBe("B0D7");
  });

  it("an 8-digit module shows the text from its leftmost digit; decimal points", async () => {
    const wiring = new VirtualLedWiring({ max7219: [{ pins: SPI, digits: 8 }] });
    const { b } = board(wiring, { controller: "MAX7219", digits: 8, brightness: 100 });
    b.start();
    await opened(b);
    await b.show("A123");
    expect(wiring.max7219(SPI.cs).view().text).toBe("A123    ");
    await b.show("12.5");
    expect(wiring.max7219(SPI.cs).view().text).toBe("12.5     ");
    expect(wiring.max7219(SPI.cs).intensity).toBe(15);
  });

  it("blinks with the shutdown register; the digits keep the text", async () => {
    const wiring = new VirtualLedWiring({ max7219: [{ pins: SPI, digits: 4 }] });
    const { b } = board(wiring, { controller: "MAX7219", blinkMs: 100, blinkFor: 400 });
    b.start();
    await opened(b);
    vi.useFakeTimers();
    const chip = wiring.max7219(SPI.cs);
    await b.show("A123", { blink: true });
    const seen = [chip.view().shown];
    for (let i = 0; i < 5; i++) {
      vi.advanceTimersByTime(100);
      seen.push(chip.view().shown);
    }
    expect(seen).toEqual(["A123", "    ", "A123", "    ", "A123", "A123"]);
  });

  it("IO plugin closes -> offline -> back, set up again (the module may have lost power)", async () => {
    const wiring = new VirtualLedWiring({ max7219: [{ pins: SPI, digits: 4 }] });
    const { b, health } = board(wiring, { controller: "MAX7219" });
    b.start();
    await opened(b);
    await b.show("A123");
    const chip = wiring.max7219(SPI.cs);
    wiring.live[0]!.disconnect("firmata port closed");
    expect(health.last()).toEqual({ status: "offline", faults: ["bus_unreachable"] });
    chip.frame(0x0c00); // the module browned out meanwhile: shut down
    await opened(b);
    expect(chip.view()).toMatchObject({ shown: "A123", lit: true });
    expect(health.active.size).toBe(0);
  });
});

describe("lazy loading", () => {
  it("johnny-five is loaded only when a board connects, and adds no SIGINT handler", () => {
    const code = `
      import { createRequire } from "node:module";
      const require = createRequire(import.meta.url);
      const loaded = () => Object.keys(require.cache).some((k) => k.includes("/node_modules/johnny-five/"));
      const { LedDigitsBoard } = await import(${JSON.stringify(join(root, "device/boards/led-digits-board.ts"))});
      const { VirtualLedWiring } = await import(${JSON.stringify(join(root, "simulators/boards/virtual-io.ts"))});
      const wiring = new VirtualLedWiring({ ht16k33: [0x70] });
      const b = new LedDigitsBoard({ id: "x", controller: "HT16K33", io: () => wiring.connect() });
      const before = loaded();
      b.start();
      while (b.status !== "open") await new Promise((r) => setTimeout(r, 5));
      const shown = (await b.show("A123")).ok && wiring.ht16k33().view().text;
      const after = loaded();
      const sigint = process.listenerCount("SIGINT");
      await b.stop();
      console.log(JSON.stringify({ before, after, shown, sigint }));
    `;
    const out = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], {
      cwd: root,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(JSON.parse(out.trim().split("\n").at(-1) ?? "{}")).toEqual({
      before: false,
      after: true,
      shown: "A123",
      sigint: 0,
    });
  });
});
