// gpiomon / gpioget / gpiodetect / --version output of libgpiod v1 (1.6) and v2 (2.x), as the
// tools print it with the formats we ask for.
import { describe, expect, it } from "vitest";
import {
  GPIOMON_FORMAT,
  GpiomonOutputParser,
  parseGpiodetect,
  parseGpiogetOutput,
  parseGpiomonLine,
  parseLibgpiodVersion,
} from "../../../protocols/gpio/gpiomon-output.js";

describe("gpiomon event lines", () => {
  it("v1 '%o %e %s %n': 1 rising, 0 falling, nanoseconds unpadded", () => {
    expect(GPIOMON_FORMAT[1]).toBe("%o %e %s %n");
    expect(parseGpiomonLine("17 0 1712 5000", 1)).toEqual({
      offset: 17,
      level: 0,
      seconds: 1712,
      nanos: 5000,
    });
    expect(parseGpiomonLine("27 1 3 999999999", 1)).toEqual({
      offset: 27,
      level: 1,
      seconds: 3,
      nanos: 999999999,
    });
  });

  it("v2 '%o %E %S': rising/falling, seconds.nanoseconds", () => {
    expect(GPIOMON_FORMAT[2]).toBe("%o %E %S");
    expect(parseGpiomonLine("17 falling 8123.000005000", 2)).toEqual({
      offset: 17,
      level: 0,
      seconds: 8123,
      nanos: 5000,
    });
    expect(parseGpiomonLine("4 rising 1.5", 2)).toEqual({
      offset: 4,
      level: 1,
      seconds: 1,
      nanos: 500_000_000,
    });
  });

  it("rejects the other version's lines and anything else", () => {
    expect(parseGpiomonLine("17 falling 8123.000005000", 1)).toBeNull();
    expect(parseGpiomonLine("17 0 1712 5000", 2)).toBeNull();
    expect(parseGpiomonLine("event: FALLING EDGE offset: 17 timestamp: [1.0]", 1)).toBeNull();
    expect(parseGpiomonLine("17 2 1 1", 1)).toBeNull();
    expect(parseGpiomonLine("17 0 1 1000000000", 1)).toBeNull();
    expect(parseGpiomonLine("17 0 1 5\r", 1)).toEqual({ offset: 17, level: 0, seconds: 1, nanos: 5 });
  });

  it("joins lines split across chunks, skips and counts garbage", () => {
    const parser = new GpiomonOutputParser(2);
    expect(parser.push("17 fal")).toEqual([]);
    expect(parser.push("ling 1.000000001\n27 rising 2.0000")).toEqual([
      { offset: 17, level: 0, seconds: 1, nanos: 1 },
    ]);
    expect(parser.push("00002\nMonitoring lines...\n\n17 rising 3.0\n")).toEqual([
      { offset: 27, level: 1, seconds: 2, nanos: 2 },
      { offset: 17, level: 1, seconds: 3, nanos: 0 },
    ]);
    expect(parser.garbage).toBe(1);
    expect(parser.push("x".repeat(2000))).toEqual([]);
    expect(parser.garbage).toBe(2);
    expect(parser.push("\n17 falling 4.0\n")).toEqual([{ offset: 17, level: 0, seconds: 4, nanos: 0 }]);
  });
});

describe("gpioget output", () => {
  it("v1 and v2 --numeric: space-separated 0/1 in the order asked", () => {
    expect(parseGpiogetOutput("1 0 1\n", 3)).toEqual([1, 0, 1]);
  });

  it('v2 without --numeric: "id"=active|inactive, quoted or not', () => {
    expect(parseGpiogetOutput('"17"=active "27"=inactive\n', 2)).toEqual([1, 0]);
    expect(parseGpiogetOutput("17=inactive\n", 1)).toEqual([0]);
  });

  it("null on a count mismatch or noise", () => {
    expect(parseGpiogetOutput("1 0\n", 3)).toBeNull();
    expect(parseGpiogetOutput("1 x\n", 2)).toBeNull();
  });
});

describe("versions and chips", () => {
  it("reads the major version of both generations", () => {
    expect(parseLibgpiodVersion("gpiomon (libgpiod) v1.6.3\nCopyright (C) 2017-2018")).toEqual({
      major: 1,
      version: "1.6.3",
    });
    expect(parseLibgpiodVersion("gpiomon (libgpiod) v2.2.1\n")).toEqual({ major: 2, version: "2.2.1" });
    expect(parseLibgpiodVersion("gpiomon (libgpiod) v3.0\n")).toBeNull();
    expect(parseLibgpiodVersion("bash: gpiomon: not found")).toBeNull();
  });

  it("lists gpiodetect's chips with their labels (a Pi 5)", () => {
    const text =
      "gpiochip0 [gpio-brcmstb@107d508500] (32 lines)\ngpiochip4 [pinctrl-rp1] (54 lines)\nnoise\n";
    expect(parseGpiodetect(text)).toEqual([
      { name: "gpiochip0", label: "gpio-brcmstb@107d508500", lines: 32 },
      { name: "gpiochip4", label: "pinctrl-rp1", lines: 54 },
    ]);
  });
});
