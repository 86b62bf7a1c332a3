// The `vooru` command. Exit codes: 0 done, 1 the office could not run (journal, lock), 2 bad usage
// or configuration.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { SimulatedPanelControl } from "../../demo/panels/simulated-panel.js";
import { startTraffic, type Traffic } from "../../demo/traffic.js";
import { systemClockSyncSource } from "../clock/clock-sync.js";
import { demoOfficeConfig, packageRoot } from "../config/demo.js";
import { ConfigError, loadOfficeConfig } from "../config/load.js";
import type { OfficeConfig } from "../config/schema.js";
import { runCheckDevices, runDevices } from "../discovery/cli-devices.js";
import { consoleLogger, type Logger } from "../health/log.js";
import { RequestTimeoutError } from "../mqtt/contract-client.js";
import { MosquittoConfigError, writeMosquittoFiles } from "../mqtt/mosquitto-config.js";
import { runNode } from "../nodes/node-cli.js";
import { startOffice } from "../office.js";
import { isOpenAt } from "../queue/core/calendar.js";
import { JournalError } from "../queue/journal/errors.js";
import { SystemdNotifier } from "../systemd/notify.js";
import { REQUEST_USAGE, RequestUsageError, runRequestCommand } from "./request-commands.js";

const USAGE = `usage:
  vooru start [--config office.yaml] [--data-dir DIR] [--mqtt-port N] [--http-port N] [--traffic N]
      run the office; without --config, the demo office (always open, journal in ./data);
      ports also from VOORU_MQTT_PORT and VOORU_HTTP_PORT
  vooru check --config office.yaml [--try-devices] [--test-ticket PRINTER] [--json]
      validate a configuration file and print what it defines; --try-devices tries every
      configured device once (exit 1 when one fails); --test-ticket prints a test ticket there
  vooru devices [--json]
      list serial ports, HID devices, USB printers, GPIO chips and I2C buses, with config snippets
  vooru mosquitto-config --config office.yaml --out DIR [--dir /etc/mosquitto/vooru]
      write vooru.conf, acl and passwd for Mosquitto from the office config (mqtt.users, and
      mqtt.broker.username/password for the controller itself); --dir is where they will live;
      with mqtt.bridge also the bridge, and central-acl/central-passwd for the central broker
  vooru node --config node.yaml
      run a device node: a second Pi whose printers, panels and boards serve the office's queue
      over MQTT (the office config names them with {type: node, node: <id>})
${REQUEST_USAGE}
  vooru --version`;

export class UsageError extends Error {
  readonly code = "USAGE";
}

function version(): string {
  const pkg = JSON.parse(readFileSync(`${packageRoot()}/package.json`, "utf8")) as { version: string };
  return pkg.version;
}

/** `--traffic N`: N simulated customers a minute at the simulated panels (none without it). */
function startDemoTraffic(
  option: string | undefined,
  office: { panels: { simulated: ReadonlyMap<string, SimulatedPanelControl> } },
  log: Logger,
): Traffic | null {
  if (option === undefined) return null;
  const perMinute = Number(option);
  if (!Number.isFinite(perMinute) || perMinute <= 0 || perMinute > 600)
    throw new UsageError(`--traffic takes customers per minute, 1-600, not "${option}"`);
  if (office.panels.simulated.size === 0) {
    log.warn("--traffic: this office has no simulated panel to press; no traffic");
    return null;
  }
  log.info(`traffic: about ${perMinute} simulated customers a minute at the simulated panels`);
  return startTraffic({ panels: office.panels.simulated, perMinute, log });
}

function portOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new UsageError(`${name} must be a port number 0-65535`);
  return port;
}

function loadConfig(path: string | undefined): { config: OfficeConfig; source: string } {
  if (path === undefined)
    return { config: demoOfficeConfig(), source: "the demo office (no --config given)" };
  return { config: loadOfficeConfig(path), source: path };
}

function describeOffice(config: OfficeConfig, now: number): string[] {
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

/** The pages `vooru start` announces, each on its own line so a terminal makes them clickable. */
export function webLines(httpUrl: string): string[] {
  return [
    `web pages: ${httpUrl}/`,
    `  counter:      ${httpUrl}/counter.html?counter=1`,
    `  desk:         ${httpUrl}/desk.html`,
    `  kiosk:        ${httpUrl}/kiosk.html`,
    `  waiting room: ${httpUrl}/board.html`,
    `MQTT over WebSocket: ${httpUrl.replace(/^http/, "ws")}/mqtt`,
  ];
}

export async function main(argv: string[], log: Logger = consoleLogger): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === "--version" || command === "-v") {
      console.log(version());
      return 0;
    }
    if (command === undefined || command === "help" || command === "--help" || command === "-h") {
      console.log(USAGE);
      return command === undefined ? 2 : 0;
    }
    if (command === "counter" || command === "desk" || command === "system")
      return await runRequestCommand(command, rest);
    const { values } = parseArgs({
      args: rest,
      options: {
        config: { type: "string", short: "c" },
        "data-dir": { type: "string" },
        "mqtt-port": { type: "string" },
        "http-port": { type: "string" },
        out: { type: "string" },
        dir: { type: "string" },
        json: { type: "boolean" },
        "try-devices": { type: "boolean" },
        "test-ticket": { type: "string" },
        traffic: { type: "string" },
      },
      strict: true,
    });
    if (command === "check") {
      if (values.config === undefined) throw new UsageError("check needs --config FILE");
      const { config } = loadConfig(values.config);
      const tryThem = values["try-devices"] === true || values["test-ticket"] !== undefined;
      if (!values.json) {
        for (const line of describeOffice(config, Date.now())) console.log(line);
        console.log(`${values.config}: valid`);
      }
      if (!tryThem) {
        if (values.json) console.log(JSON.stringify({ valid: true }));
        return 0;
      }
      return await runCheckDevices(config, {
        testTicket: values["test-ticket"],
        json: values.json === true,
        log,
      });
    }
    if (command === "devices") return await runDevices({ json: values.json === true });
    if (command === "node") {
      if (values.config === undefined)
        throw new UsageError("node needs --config FILE (see examples/node.yaml)");
      return await runNode(values.config, log, version());
    }
    if (command === "mosquitto-config") {
      if (values.config === undefined || values.out === undefined)
        throw new UsageError("mosquitto-config needs --config FILE and --out DIR");
      const { config } = loadConfig(values.config);
      const broker = config.mqtt.broker;
      if (!broker?.username || !broker.password)
        throw new UsageError(
          "set mqtt.broker.username and mqtt.broker.password: the controller logs in to Mosquitto with them",
        );
      const written = await writeMosquittoFiles(config, values.out, {
        controllerUser: broker.username,
        controllerPassword: broker.password,
        ...(values.dir ? { dir: values.dir } : {}),
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
    }
    if (command === "start") {
      // First of all: it takes NOTIFY_SOCKET out of the environment before any child is spawned.
      const notifier = SystemdNotifier.fromEnvironment({ log });
      const { config, source } = loadConfig(values.config);
      log.info(`vooru ${version()} starting with ${source}`);
      for (const line of describeOffice(config, Date.now())) log.info(line);
      const office = await startOffice({
        config,
        dataDir: values["data-dir"],
        mqttPort: portOption("--mqtt-port", values["mqtt-port"] ?? process.env.VOORU_MQTT_PORT),
        httpPort: portOption("--http-port", values["http-port"] ?? process.env.VOORU_HTTP_PORT),
        log,
        version: version(),
        clockSync: systemClockSyncSource(),
      });
      const { core } = office.queue;
      log.info(
        `journal ${office.dataDir}: seq ${core.seq}, day ${core.day}, ${core.openTickets().length} open tickets`,
      );
      log.info(`MQTT: ${office.mqttUrl} (office topics under ${office.bridge.topics.base})`);
      if (office.httpUrl) for (const line of webLines(office.httpUrl)) log.info(line);
      const traffic = startDemoTraffic(values.traffic, office, log);
      log.info("running; stop with Ctrl+C");
      await notifier?.ready({ dataDir: office.dataDir, status: `office ${config.office.id} running` });
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          log.info(`${signal}: stopping`);
          traffic?.stop();
          Promise.all([notifier?.stopping(), office.stop()]).then(() => resolve(), resolve);
        };
        process.once("SIGINT", () => stop("SIGINT"));
        process.once("SIGTERM", () => stop("SIGTERM"));
      });
      return 0;
    }
    throw new UsageError(`unknown command "${command}"`);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof MosquittoConfigError) {
      log.error(error.message);
      return 2;
    }
    if (
      error instanceof RequestTimeoutError ||
      (error as Error).message?.startsWith("cannot reach the broker")
    ) {
      log.error((error as Error).message);
      return 1;
    }
    if (
      error instanceof UsageError ||
      error instanceof RequestUsageError ||
      (error as { code?: string }).code === "ERR_PARSE_ARGS_UNKNOWN_OPTION"
    ) {
      log.error(`${(error as Error).message}\n${USAGE}`);
      return 2;
    }
    if (error instanceof JournalError) {
      log.error(`${error.code}: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
