// The commands about an office's configuration and machine: check, devices, mosquitto-config.
import { readFileSync } from "node:fs";
import { ConfigError, loadOfficeConfig } from "../config/load.js";
import { auditOffice } from "../config/password-audit.js";
import { listenError, portFree } from "../config/port-error.js";
import type { OfficeConfig } from "../config/schema.js";
import { runCheckDevices, runDevices } from "../discovery/cli-devices.js";
import { writeMosquittoFiles } from "../mqtt/mosquitto-config.js";
import { isOpenAt } from "../queue/core/calendar.js";
import type { Command } from "./command.js";
import { UsageError } from "./usage-error.js";

/** What a configuration defines, a line each: printed by check and at start. */
export function describeOffice(config: OfficeConfig, now: number): string[] {
  const { office } = config;
  const name = office.name.en ?? office.name.et ?? office.name.ru;
  const lines = [
    `office ${office.id} (${name}), time zone ${office.timeZone}, daily reset ${office.dailyReset}`,
  ];
  for (const s of config.services) {
    const open = isOpenAt(s.hours, now, office.timeZone) ? "open now" : "closed now";
    const names = office.languages
      .map((l) => s.names[l])
      .filter(Boolean)
      .join(" / ");
    lines.push(`  service ${s.prefix} ${s.id}: ${names} (${s.range.first}..${s.range.last}, ${open})`);
  }
  for (const c of config.counters) {
    const services = c.services.map((e) =>
      typeof e === "string" ? e : `${e.service}×${e.weight ?? "default"}`,
    );
    lines.push(`  counter ${c.id}${c.name ? ` (${c.name})` : ""}, zone ${c.zone}: ${services.join(", ")}`);
  }
  return lines;
}

const requireConfig = (command: string, path: string | boolean | undefined): string => {
  if (typeof path !== "string") throw new UsageError(`${command} needs --config FILE`, command);
  return path;
};

export const checkCommand: Command = {
  name: "check",
  usage: `usage: vooru check --config office.yaml [--data-dir DIR] [--try-devices] [--test-ticket PRINTER] [--json]
  Validates the configuration and prints what it defines (exit 2 with the path and the reason when
  it is not valid, or a password is a published example). Warns about passwords in plain text and
  about office.yaml or the data folder being open to other users.
  --data-dir DIR       the data folder the office uses, when not journal.dataDir (vooru start --data-dir)
  --try-devices        tries every configured device once with its real driver (exit 1 when one fails)
  --test-ticket P      also prints a test ticket on printer P
  --json               the result as JSON`,
  options: {
    config: { type: "string", short: "c" },
    "data-dir": { type: "string" },
    "try-devices": { type: "boolean" },
    "test-ticket": { type: "string" },
    json: { type: "boolean" },
  },
  async run({ values }, { log }) {
    const path = requireConfig("check", values.config);
    const config = loadOfficeConfig(path);
    const dataDir = typeof values["data-dir"] === "string" ? values["data-dir"] : config.journal.dataDir;
    const audit = await auditOffice(path, config, { dataDir });
    for (const warning of audit.warnings) log.warn(warning);
    for (const warning of await portWarnings(config)) log.warn(warning);
    if (audit.problems.length > 0) throw new ConfigError(path, audit.problems);
    const testTicket = typeof values["test-ticket"] === "string" ? values["test-ticket"] : undefined;
    const tryThem = values["try-devices"] === true || testTicket !== undefined;
    const json = values.json === true;
    if (!json) {
      for (const line of describeOffice(config, Date.now())) console.log(line);
      console.log(`${path}: valid`);
    }
    if (!tryThem) {
      if (json) console.log(JSON.stringify({ valid: true }));
      return 0;
    }
    return runCheckDevices(config, { testTicket, json, log });
  },
};

export const devicesCommand: Command = {
  name: "devices",
  usage: `usage: vooru devices [--json]
  Lists serial ports (with their /dev/serial/by-id names), HID devices, USB printers, GPIO chips and
  I2C buses on this machine, each with a configuration snippet to paste.`,
  options: { json: { type: "boolean" } },
  run: ({ values }) => runDevices({ json: values.json === true }),
};

export const mosquittoConfigCommand: Command = {
  name: "mosquitto-config",
  usage: `usage: vooru mosquitto-config --config office.yaml --out DIR [--dir /etc/mosquitto/vooru]
  Writes vooru.conf, acl and passwd for Mosquitto from the office config (mqtt.users, and
  mqtt.broker.username/password for the controller itself). --dir is where they will live. With
  mqtt.bridge also the bridge, and central-acl/central-passwd for the central broker.`,
  options: {
    config: { type: "string", short: "c" },
    out: { type: "string" },
    dir: { type: "string" },
  },
  async run({ values }) {
    const path = requireConfig("mosquitto-config", values.config);
    if (typeof values.out !== "string")
      throw new UsageError("mosquitto-config needs --out DIR", "mosquitto-config");
    const config = loadOfficeConfig(path);
    const broker = config.mqtt.broker;
    if (!broker?.username || !broker.password)
      throw new UsageError(
        "set mqtt.broker.username and mqtt.broker.password: the controller logs in to Mosquitto with them",
        "mosquitto-config",
      );
    const written = await writeMosquittoFiles(config, values.out, {
      controllerUser: broker.username,
      controllerPassword: broker.password,
      ...(typeof values.dir === "string" ? { dir: values.dir } : {}),
    });
    for (const file of written) console.log(`wrote ${file}`);
    const centralAcl = written.find((f) => f.endsWith("/central-acl"));
    if (centralAcl) {
      // The central broker's part is done by hand there: show it.
      console.log("\nOn the central broker, append central-acl to its acl_file (and central-passwd, if");
      console.log("written, to its password_file), then reload it (SIGHUP). central-acl:\n");
      console.log(readFileSync(centralAcl, "utf8").trimEnd());
    }
    return 0;
  },
};

/**
 * The embedded broker's ports that another program holds now (on a Pi, Debian's Mosquitto takes
 * 1883): said before a start fails on them. A running vooru of this office holds them too.
 */
async function portWarnings(config: OfficeConfig): Promise<string[]> {
  if (config.mqtt.broker) return [];
  const { host, port, httpPort } = config.mqtt.embedded;
  const warnings: string[] = [];
  for (const [what, at, setting] of [
    ["the embedded MQTT broker", port, "mqtt.embedded.port"],
    ["the web server", httpPort, "mqtt.embedded.httpPort"],
  ] as const) {
    if (at === 0) continue;
    const error = await portFree(host, at);
    if (error)
      warnings.push(
        (listenError(error, { what, host, port: at, setting }) as Error).message +
          " (if it is this office's own vooru already running, all is well)",
      );
  }
  return warnings;
}
