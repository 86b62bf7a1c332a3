// The libgpiod command-line backend against fake v1 and v2 tools: the exact arguments each
// generation takes, initial levels, edges, outputs held by gpioset, chips by label, missing tools,
// and a gpiomon that dies. Real child processes, so real time (waitFor polls).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { GpioChipBackend, GpioEdgeEvent } from "../../../device/gpio/gpio-chip-backend.js";
import { libgpiodCliBackend } from "../../../device/gpio/libgpiod-cli.js";
import { waitFor } from "../support/health.js";
import { type FakeLibgpiod, fakeLibgpiod } from "./fake-libgpiod.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function setup(major: 1 | 2, chip = "gpiochip4"): { fake: FakeLibgpiod; backend: GpioChipBackend } {
  const fake = fakeLibgpiod(major);
  const backend = libgpiodCliBackend({ chip, toolDir: fake.dir, settleMs: 150 });
  cleanups.push(() => fake.remove());
  cleanups.push(() => backend.close());
  return { fake, backend };
}

const EXPECTED = {
  1: {
    get: [["-B", "pull-up", "gpiochip4", "17", "22"]],
    mon: [["-B", "pull-up", "-b", "-F", "%o %e %s %n", "gpiochip4", "17", "22"]],
    set: [
      ["--mode=signal", "gpiochip4", "5=1"],
      ["--mode=signal", "gpiochip4", "5=1", "6=1"],
    ],
  },
  2: {
    get: [["-c", "gpiochip4", "-b", "pull-up", "17", "22"]],
    mon: [["-c", "gpiochip4", "-b", "pull-up", "-F", "%o %E %S", "17", "22"]],
    set: [
      ["-c", "gpiochip4", "5=1"],
      ["-c", "gpiochip4", "5=1", "6=1"],
    ],
  },
} as const;

describe.each([1, 2] as const)("libgpiod v%i tools", (major) => {
  it("reads initial levels with gpioget, then reports gpiomon's edges", async () => {
    const { fake, backend } = setup(major);
    fake.setLevels({ 22: 0 }); // button on 22 held down at start
    const edges: GpioEdgeEvent[] = [];
    backend.onEdge((e) => edges.push(e));
    await backend.open();
    const levels = await backend.watch([
      { offset: 17, bias: "pull-up" },
      { offset: 22, bias: "pull-up" },
    ]);
    expect([...levels]).toEqual([
      [17, 1],
      [22, 0],
    ]);
    await waitFor(() => fake.held().length === 2, "gpiomon holding its lines");
    expect(fake.calls("gpiomon").filter((a) => a[0] !== "--version")).toEqual(EXPECTED[major].mon);
    expect(fake.calls("gpioget")).toEqual(EXPECTED[major].get);
    expect(fake.held()).toEqual(["gpiochip4-17", "gpiochip4-22"]);
    fake.edge(17, 0);
    fake.edge(17, 1);
    fake.edge(3, 0); // not watched
    fake.edge(22, 1);
    await waitFor(() => edges.length === 3, "three edges");
    expect(edges.map(({ offset, level }) => [offset, level])).toEqual([
      [17, 0],
      [17, 1],
      [22, 1],
    ]);
    expect(edges[0]?.seconds).toBeTypeOf("number");
  });

  it("groups lines by bias: one gpioget and one gpiomon per bias", async () => {
    const { fake, backend } = setup(major);
    await backend.open();
    const levels = await backend.watch([
      { offset: 17, bias: "pull-up" },
      { offset: 27, bias: "pull-down" },
      { offset: 4, bias: "disabled" },
    ]);
    expect([...levels].sort()).toEqual([
      [17, 1],
      [27, 0],
      [4, 0],
    ]);
    const biasWord = major === 1 ? "disable" : "disabled";
    const flag = major === 1 ? "-B" : "-b";
    // the fake tools are node scripts: slower to start than the real ones, so wait for them
    await waitFor(() => fake.held().length === 3, "three monitors");
    const biases = fake.calls("gpiomon").flatMap((a) => (a.includes(flag) ? [a[a.indexOf(flag) + 1]] : []));
    expect(biases.sort()).toEqual([biasWord, "pull-down", "pull-up"]);
    // watching again restarts the monitors: the old ones let their lines go first (else busy)
    await backend.watch([{ offset: 17, bias: "pull-up" }]);
    await waitFor(() => fake.held().join() === "gpiochip4-17", "one monitor");
  });

  it("drives outputs with one gpioset holding every output line", async () => {
    const { fake, backend } = setup(major);
    await backend.open();
    await backend.set(5, 1);
    await waitFor(() => fake.outputs()?.["5"] === 1, "5=1");
    await backend.set(6, 1);
    await waitFor(() => fake.outputs()?.["6"] === 1, "6=1");
    expect(fake.outputs()).toEqual({ 5: 1, 6: 1 });
    expect(fake.calls("gpioset")).toEqual(EXPECTED[major].set);
    // a burst of changes: each lands, the last one is what the lines show
    await Promise.all([backend.set(5, 0), backend.set(6, 0), backend.set(5, 1)]);
    await waitFor(() => JSON.stringify(fake.outputs()) === JSON.stringify({ 5: 1, 6: 0 }), "5=1 6=0");
    await backend.close();
    await waitFor(() => fake.held().length === 0, "lines released");
  });

  it("finds the Pi 5's header chip by its label through gpiodetect", async () => {
    const { fake, backend } = setup(major, "pinctrl-rp1");
    await backend.open();
    await backend.watch([{ offset: 17, bias: "pull-up" }]);
    expect(fake.calls("gpiodetect")).toEqual([[]]);
    await waitFor(() => fake.held().join() === "gpiochip4-17", "gpiochip4 line 17 held");
  });

  it("an unknown label: GPIO_CHIP_NOT_FOUND naming the chips there are", async () => {
    const { backend } = setup(major, "pinctrl-bcm2711");
    await expect(backend.open()).rejects.toMatchObject({
      code: "GPIO_CHIP_NOT_FOUND",
      message: expect.stringContaining("gpiochip4 [pinctrl-rp1]"),
    });
  });

  it("a busy line fails the watch with the tool's own message", async () => {
    const { fake, backend } = setup(major);
    await backend.open();
    await backend.set(17, 1); // 17 held as an output
    await waitFor(() => fake.outputs()?.["17"] === 1, "17 held");
    await expect(backend.watch([{ offset: 17, bias: "pull-up" }])).rejects.toMatchObject({
      code: "GPIO_TOOL_FAILED",
      message: expect.stringContaining("Device or resource busy"),
    });
  });

  it("gpiomon dying (chip gone) loses the backend once, with its stderr", async () => {
    const { fake, backend } = setup(major);
    const lost: Error[] = [];
    backend.onLost((e) => lost.push(e));
    await backend.open();
    await backend.watch([{ offset: 17, bias: "pull-up" }]);
    await waitFor(() => fake.held().length === 1, "gpiomon up");
    fake.killMonitor();
    await waitFor(() => lost.length > 0, "lost");
    expect(lost[0]).toMatchObject({ code: "GPIO_LOST", message: expect.stringContaining("No such device") });
    await expect(backend.watch([{ offset: 17, bias: "pull-up" }])).rejects.toMatchObject({
      code: "GPIO_LOST",
    });
    await waitFor(() => fake.held().length === 0, "lines released");
    expect(lost).toHaveLength(1);
  });
});

describe("libgpiod tools missing", () => {
  it("open() rejects with GPIO_TOOLS_MISSING and says which package to install", async () => {
    const empty = mkdtempSync(join(tmpdir(), "vooru-no-gpiod-"));
    cleanups.push(() => rmSync(empty, { recursive: true, force: true }));
    const backend = libgpiodCliBackend({ chip: "gpiochip0", toolDir: empty });
    await expect(backend.open()).rejects.toMatchObject({
      code: "GPIO_TOOLS_MISSING",
      message: expect.stringContaining("apt install gpiod"),
    });
  });
});
