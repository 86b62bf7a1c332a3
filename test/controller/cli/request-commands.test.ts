// `vooru counter` and `vooru desk` against a running office: what a person types, and what they read.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "../../../controller/cli/main.js";
import { describeReply, parseRequestCommand } from "../../../controller/cli/request-commands.js";
import { exampleConfigPath } from "../../../controller/config/package-root.js";
import { memoryLogger } from "../../../controller/health/log.js";
import { freePort } from "../../support/mosquitto.js";
import { type Harness, startHarness } from "../../support/office-harness.js";

describe("vooru counter / desk", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.stop();
  });

  async function run(...argv: string[]): Promise<{ code: number; out: string[]; log: string[] }> {
    const out: string[] = [];
    const spy = vi.spyOn(console, "log").mockImplementation((line: unknown) => void out.push(String(line)));
    const log = memoryLogger();
    try {
      const code = await main([...argv, "--url", h.office.mqttUrl, "--office", "test"], log);
      return { code, out, log: log.lines };
    } finally {
      spy.mockRestore();
    }
  }

  it("reads the broker and office from the environment that vooru start reads (VOORU_MQTT_PORT)", async () => {
    const port = new URL(h.office.mqttUrl).port;
    const out: string[] = [];
    const spy = vi.spyOn(console, "log").mockImplementation((line: unknown) => void out.push(String(line)));
    try {
      const env = { VOORU_MQTT_PORT: port, VOORU_OFFICE: "test" };
      const log = memoryLogger();
      expect(await main(["counter", "3", "open"], log, { env }), log.lines.join("\n")).toBe(0);
      // VOORU_MQTT_URL wins over the port; --url over both.
      const url = { VOORU_MQTT_URL: h.office.mqttUrl, VOORU_MQTT_PORT: "1", VOORU_OFFICE: "test" };
      expect(await main(["counter", "3", "close"], memoryLogger(), { env: url })).toBe(0);
    } finally {
      spy.mockRestore();
    }
    expect(out).toEqual(["open; counter 3 is open", "close; counter 3 is closed"]);
  });

  it("a counter's day from the shell; errors exit 1 with the code and message", async () => {
    expect(await run("counter", "2", "open")).toMatchObject({ code: 0, out: ["open; counter 2 is open"] });
    expect(await run("desk", "issue", "benefits")).toMatchObject({
      code: 0,
      out: ["issue: B001 (benefits) is waiting, 0 ahead"],
    });
    expect(await run("counter", "2", "call-next")).toMatchObject({
      code: 0,
      out: ["call next: B001 (benefits) is called at counter 2; counter 2 is open"],
    });
    expect(await run("counter", "2", "call-next")).toMatchObject({
      code: 1,
      out: ["INVALID_STATE: counter 2 still holds B001: finish it first"],
    });
    expect((await run("counter", "2", "transfer", "documents")).out).toEqual([
      "transfer: B001 (documents) is waiting, 0 ahead; counter 2 is open",
    ]);
    // The reason is one of the office's codes; an unknown one is refused, naming the field.
    const unknown = await run("desk", "cancel", "B001", "--reason", "wrong_topic");
    expect(unknown.code).toBe(1);
    expect(unknown.out[0]).toMatch(
      /^VALIDATION_FAILED: .*wrong_service, duplicate, left, other\n {2}reason: /,
    );
    expect(
      (await run("desk", "cancel", "B001", "--reason", "wrong_service", "--note", "asked twice")).out,
    ).toEqual(["cancel: B001 (documents) is cancelled"]);
    const json = await run("desk", "issue", "nope", "--json");
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out[0] ?? "")).toMatchObject({ ok: false, error: { code: "SERVICE_NOT_FOUND" } });
    expect((await run("system", "resync")).out[0]).toMatch(/^resync: epoch \S+, seq \d+$/);
  });

  it("usage mistakes exit 2 before anything is sent", async () => {
    expect((await run("counter", "2", "call")).code).toBe(2);
    expect((await run("counter", "2", "fly")).code).toBe(2);
    expect((await run("desk", "cancel", "A001")).code).toBe(2);
    expect(() => parseRequestCommand("counter", ["1", "open", "extra"], {})).toThrow(
      "too many arguments for open",
    );
    expect(parseRequestCommand("counter", ["4", "no-show"], {})).toEqual({
      target: { scope: "counter", counter: "4", verb: "no_show" },
      args: {},
    });
    expect(parseRequestCommand("desk", ["reissue", "A001", "benefits"], { printer: "desk" })).toEqual({
      target: { scope: "desk", verb: "reissue" },
      args: { ticket: "A001", service: "benefits", printer: "desk" },
    });
    expect(parseRequestCommand("desk", ["cancel", "A001"], { reason: "left", note: "came back" })).toEqual({
      target: { scope: "desk", verb: "cancel" },
      args: { ticket: "A001", reason: "left", note: "came back" },
    });
  });

  it("no broker: a clear error and exit 1", async () => {
    const port = await freePort();
    const log = memoryLogger();
    const code = await main(
      ["counter", "1", "open", "--url", `mqtt://127.0.0.1:${port}`, "--timeout", "5"],
      log,
    );
    expect(code).toBe(1);
    expect(log.lines[0]).toMatch(/^error: cannot reach the broker: .*ECONNREFUSED/);
  });

  it("describes validation errors with their fields", () => {
    expect(
      describeReply({
        requestId: "r",
        verb: "call",
        ok: false,
        error: {
          code: "VALIDATION_FAILED",
          message: "invalid call request",
          issues: [{ path: "ticket", message: "is required" }],
        },
      }),
    ).toBe("VALIDATION_FAILED: invalid call request\n  ticket: is required");
  });
});

describe("vooru mosquitto-config", () => {
  it("writes the three files from an office config with a broker login", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vooru-mqcfg-"));
    try {
      const config = join(dir, "office.yaml");
      const example = readFileSync(exampleConfigPath(), "utf8").replace(
        "  # broker:\n  #   url: mqtt://127.0.0.1:1883      # mqtts://... for TLS\n  #   username: vooru                 # the controller's own login\n  #   password: change-this-password",
        "  broker:\n    url: mqtt://127.0.0.1:1883\n    username: vooru\n    password: change-this-password",
      );
      expect(example).toContain("  broker:\n    url:");
      writeFileSync(config, example);
      const out = join(dir, "out");
      const spy = vi.spyOn(console, "log").mockImplementation(() => {});
      expect(await main(["mosquitto-config", "--config", config, "--out", out], memoryLogger())).toBe(0);
      spy.mockRestore();
      expect(readFileSync(join(out, "acl"), "utf8")).toContain("user counter4");
      expect(readFileSync(join(out, "passwd"), "utf8")).toMatch(/^vooru:\$7\$101\$/m);
      expect(statSync(join(out, "passwd")).mode & 0o777).toBe(0o600);
      const log = memoryLogger();
      expect(await main(["mosquitto-config", "--config", exampleConfigPath(), "--out", out], log)).toBe(2);
      expect(log.lines[0]).toContain("set mqtt.broker.username and mqtt.broker.password");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
