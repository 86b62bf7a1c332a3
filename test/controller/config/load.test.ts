import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import {
  ConfigError,
  formatIssuePath,
  loadOfficeConfig,
  parseOfficeConfig,
} from "../../../controller/config/load.js";

/** A valid minimal office as plain data; tests change one thing and stringify it to YAML. */
function office(): Record<string, unknown> & {
  services: Record<string, unknown>[];
  counters: Record<string, unknown>[];
} {
  return {
    office: { id: "t", name: { en: "Test" } },
    services: [
      { id: "a", prefix: "A", names: { en: "A" } },
      { id: "b", prefix: "B", names: { en: "B" } },
      { id: "c", prefix: "C", names: { en: "C" } },
    ],
    counters: [
      { id: "1", services: ["a"] },
      { id: "2", services: ["b", "c"] },
    ],
  };
}

/** The ConfigError a parse throws. */
function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

const problems = (data: unknown): string[] => configError(() => parseOfficeConfig(stringify(data))).problems;

describe("parseOfficeConfig", () => {
  it("applies the defaults", () => {
    const config = parseOfficeConfig(stringify(office()));
    expect(config.office.timeZone).toBe("Europe/Tallinn");
    expect(config.office.dailyReset).toBe("04:00");
    expect(config.office.languages).toEqual(["et", "en", "ru"]);
    expect(config.services[0]?.range).toEqual({ first: 1, last: 999 });
    expect(config.services[0]?.weight).toBe(1);
    expect(config.services[0]?.maxWaitMinutes).toBe(60);
    expect(config.services[0]?.hours).toBeUndefined();
    expect(config.counters[0]?.zone).toBe("main");
    expect(config.queue).toEqual({
      autoNoShowAfterRecalls: null,
      defaultServiceMinutes: 5,
      serviceTimeSmoothing: 0.2,
    });
    expect(config.journal).toEqual({ dataDir: "./data", snapshotEvery: 1000 });
  });

  it("reports a duplicate prefix with both places", () => {
    const data = office();
    (data.services[2] as { prefix: string }).prefix = "A";
    expect(problems(data)).toEqual(['services[2].prefix: "A" is already used by services[0]']);
  });

  it("reports a duplicate service id", () => {
    const data = office();
    (data.services[1] as { id: string }).id = "a";
    const found = problems(data);
    expect(found).toContain('services[1].id: "a" is already used by services[0]');
    // counter 2 still names "b", which is now gone
    expect(found).toContain('counters[1].services[0]: service "b" is not defined in services');
  });

  it("reports a counter that names an unknown service", () => {
    const data = office();
    data.counters[1] = { id: "2", services: ["x", "c"] };
    expect(problems(data)).toEqual(['counters[1].services[0]: service "x" is not defined in services']);
  });

  it("reports unknown keys where they are, with a suggestion for a near miss", () => {
    const data = office();
    data.office = { id: "t", name: { en: "Test" }, timezone: "Europe/Tallinn", lnaguages: ["et"] };
    data.extra = 1;
    expect(problems(data)).toEqual([
      'office: unknown key "timezone" (did you mean "timeZone"?)',
      'office: unknown key "lnaguages" (did you mean "languages"?)',
      '(root): unknown key "extra"',
    ]);
  });

  it("reports a missing required key at its own path", () => {
    const data = office();
    data.office = { name: { en: "Test" } };
    delete (data as { counters?: unknown }).counters;
    expect(problems(data)).toEqual(["office.id: is required", "counters: is required"]);
  });

  it("words wrong types for people", () => {
    const data = office();
    data.services[0] = { ...data.services[0], maxWaitMinutes: "ten", range: { first: 1.5 } };
    data.counters[0] = { id: 1, services: ["a"] };
    expect(problems(data)).toEqual([
      "services[0].range.first: must be a whole number, got 1.5",
      "services[0].maxWaitMinutes: expected a number, got string",
      'counters[0].id: expected a string, got number (write it in quotes: "1")',
    ]);
  });

  it("reports the matching alternative of a counter's service entry", () => {
    const data = office();
    data.counters[0] = { id: "1", services: [{ service: "a", weight: "x" }, 5] };
    expect(problems(data)).toEqual([
      "counters[0].services[0].weight: expected a number, got string",
      "counters[0].services[1]: expected a string or a mapping (key: value), got number",
    ]);
  });

  it("rejects an unknown time zone and a repeated language", () => {
    const data = office();
    data.office = { id: "t", name: { en: "Test" }, timeZone: "Europe/Atlantis", languages: ["et", "et"] };
    expect(problems(data)).toEqual([
      "office.timeZone: is not a known IANA time zone",
      "office.languages: lists a language more than once",
    ]);
  });

  it("checks opening hours", () => {
    const data = office();
    data.services[0] = { ...data.services[0], hours: { mon: ["17:00-08:00", "08:00-24:30", "9:00-10:00"] } };
    expect(problems(data)).toEqual([
      "services[0].hours.mon[0]: must end after it starts",
      'services[0].hours.mon[1]: must be "HH:MM-HH:MM", for example "08:30-17:00"',
      'services[0].hours.mon[2]: must be "HH:MM-HH:MM", for example "08:30-17:00"',
    ]);
    data.services[0] = { ...data.services[0], hours: { mon: ["12:00-24:00"] } };
    expect(parseOfficeConfig(stringify(data)).services[0]?.hours?.mon).toEqual(["12:00-24:00"]);
  });

  it("lists every problem at once under the file name", () => {
    const data = office();
    data.services[0] = { ...data.services[0], prefix: "a" };
    data.services[1] = { ...data.services[1], weight: -1 };
    const error = configError(() => parseOfficeConfig(stringify(data), "office.yaml"));
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.file).toBe("office.yaml");
    expect(error.message).toBe(
      [
        "office.yaml: invalid configuration",
        "  services[0].prefix: must be one or two capital letters A-Z",
        "  services[1].weight: must be at least 0",
      ].join("\n"),
    );
  });

  it("reports YAML syntax errors with line and column", () => {
    const text = "office:\n  id: t\n  name: { en: Test\nservices: []\n";
    const found = configError(() => parseOfficeConfig(text)).problems;
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]).toMatch(/^line \d+, column \d+: \S/);
    expect(configError(() => parseOfficeConfig("a: 1\na: 2\n")).problems).toEqual([
      "line 2, column 1: Map keys must be unique",
    ]);
  });

  it("refuses a file of several YAML documents", () => {
    const text = `${stringify(office())}---\n${stringify(office())}`;
    const found = configError(() => parseOfficeConfig(text)).problems;
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^line \d+, column 1: a second YAML document starts here/);
  });

  it("refuses an empty file and a top level that is not a mapping", () => {
    for (const text of ["", "   \n", "# nothing but a comment\n", "---\n"])
      expect(configError(() => parseOfficeConfig(text)).problems).toEqual([
        expect.stringMatching(/^the file is empty/),
      ]);
    expect(configError(() => parseOfficeConfig("- a\n- b\n")).problems).toEqual([
      "(root): expected a mapping (key: value), got list",
    ]);
    expect(configError(() => parseOfficeConfig("just text\n")).problems).toEqual([
      "(root): expected a mapping (key: value), got string",
    ]);
  });

  it("accepts anchors and merge keys", () => {
    const text = `${stringify({ ...office(), services: undefined })}services:
  - { id: a, prefix: A, names: { en: A }, hours: &week { mon: ["08:00-12:00"] } }
  - { id: b, prefix: B, names: { en: B }, hours: { <<: *week, sat: ["10:00-12:00"] } }
  - { id: c, prefix: C, names: { en: C }, hours: *week }
`;
    const config = parseOfficeConfig(text);
    expect(config.services[1]?.hours).toEqual({ mon: ["08:00-12:00"], sat: ["10:00-12:00"] });
    expect(config.services[2]?.hours).toEqual({ mon: ["08:00-12:00"] });
  });
});

describe("loadOfficeConfig", () => {
  const dir = mkdtempSync(join(tmpdir(), "vooru-config-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("names the path and the OS reason when the file cannot be read", () => {
    const path = join(dir, "missing.yaml");
    const error = configError(() => loadOfficeConfig(path));
    expect(error.file).toBe(path);
    expect(error.message).toContain(path);
    expect(error.message).toContain("cannot read the configuration");
    expect(error.message).not.toContain("invalid configuration");
    expect(error.problems[0]).toBe("no such file or directory (ENOENT)");
    expect(error.problems[1]).toMatch(/^no such file: give the path/);
    expect(configError(() => loadOfficeConfig(dir)).problems[0]).toMatch(/\(EISDIR\)$/);
  });

  it("resolves journal.dataDir from the config file's folder; an absolute one stays", () => {
    mkdirSync(join(dir, "etc"), { recursive: true });
    const relative = join(dir, "etc", "office.yaml");
    writeFileSync(relative, stringify({ ...office(), journal: { dataDir: "../var/queue" } }));
    expect(loadOfficeConfig(relative).journal.dataDir).toBe(join(dir, "var", "queue"));

    const absolute = join(dir, "etc", "absolute.yaml");
    writeFileSync(absolute, stringify({ ...office(), journal: { dataDir: "/srv/vooru" } }));
    expect(loadOfficeConfig(absolute).journal.dataDir).toBe("/srv/vooru");

    const defaulted = join(dir, "etc", "default.yaml");
    writeFileSync(defaulted, stringify(office()));
    expect(loadOfficeConfig(defaulted).journal.dataDir).toBe(join(dir, "etc", "data"));
  });

  it("reports problems under the path it was given", () => {
    const path = join(dir, "bad.yaml");
    writeFileSync(path, "office: [\n");
    const error = configError(() => loadOfficeConfig(path));
    expect(error.message.split("\n")[0]).toBe(`${path}: invalid configuration`);
    expect(error.problems[0]).toMatch(/^line \d+, column \d+: /);
  });
});

describe("formatIssuePath", () => {
  it("writes paths as in code", () => {
    expect(formatIssuePath([])).toBe("(root)");
    expect(formatIssuePath(["services", 2, "prefix"])).toBe("services[2].prefix");
    expect(formatIssuePath([0, "a"])).toBe("[0].a");
    expect(formatIssuePath(["hours", "odd key"])).toBe('hours["odd key"]');
    expect(formatIssuePath([Symbol("s")])).toBe("[Symbol(s)]");
  });
});
