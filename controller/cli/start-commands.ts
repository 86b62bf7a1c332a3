// `vooru start` (an office) and `vooru node` (a device node): they run until SIGINT or SIGTERM.
// A configuration that names simulated devices, or none at all (the demo office), runs in the
// demo composition, which the program's entry hands in; a real office never loads it.
import { systemClockSyncSource } from "../clock/clock-sync.js";
import { ConfigError, loadOfficeConfig } from "../config/load.js";
import { auditOffice } from "../config/password-audit.js";
import type { OfficeConfig } from "../config/schema.js";
import { SetupError } from "../config/setup-error.js";
import { followSchema } from "../follow/follow-schema.js";
import { hasSimulatedDevices } from "../mqtt/mosquitto-config.js";
import { runNode } from "../nodes/node-cli.js";
import type { NodeConfig } from "../nodes/node-config.js";
import { startNode } from "../nodes/node-runtime.js";
import { startOffice } from "../office.js";
import { SystemdNotifier } from "../systemd/notify.js";
import type { CliContext, Command } from "./command.js";
import type { DemoComposition } from "./demo-composition.js";
import { ENVIRONMENT_USAGE, portFrom } from "./environment.js";
import { describeOffice } from "./office-commands.js";
import { UsageError } from "./usage-error.js";

/** The pages `vooru start` announces, each on its own line so a terminal makes them clickable. */
export function webLines(httpUrl: string): string[] {
  return [
    `web pages: ${httpUrl}/`,
    `  counter:      ${httpUrl}/counter.html?counter=1`,
    `  desk:         ${httpUrl}/desk.html`,
    `  kiosk:        ${httpUrl}/kiosk.html`,
    `  waiting room: ${httpUrl}/board.html`,
    `  TV display:   ${httpUrl}/display (?zone=<zone>&sound=on)`,
    `  statistics:   ${httpUrl}/stats.html`,
    `MQTT over WebSocket: ${httpUrl.replace(/^http/, "ws")}/mqtt`,
  ];
}

async function demoOf(context: CliContext, why: string): Promise<DemoComposition> {
  if (!context.loadDemo)
    throw new SetupError(
      "SIMULATED_WITHOUT_DEMO",
      `${why}, and this vooru was started without the demo composition`,
    );
  return context.loadDemo();
}

function trafficOption(value: string | boolean | undefined): number | undefined {
  if (value === undefined) return undefined;
  const perMinute = Number(value);
  if (!Number.isFinite(perMinute) || perMinute <= 0 || perMinute > 600)
    throw new UsageError(`--traffic takes customers per minute, 1-600, not "${String(value)}"`, "start");
  return perMinute;
}

/** Resolves on the first SIGINT or SIGTERM, after `stop` finished. */
function untilSignal(log: CliContext["log"], stop: () => Promise<unknown>): Promise<void> {
  return new Promise<void>((resolve) => {
    const onSignal = (signal: string) => {
      log.info(`${signal}: stopping`);
      stop().then(() => resolve(), resolve);
    };
    process.once("SIGINT", () => onSignal("SIGINT"));
    process.once("SIGTERM", () => onSignal("SIGTERM"));
  });
}

export const startCommand: Command = {
  name: "start",
  usage: `usage: vooru start [--config office.yaml] [--data-dir DIR] [--mqtt-port N] [--http-port N] [--follow-port N] [--traffic N]
  Runs the office until Ctrl+C (SIGINT) or SIGTERM. Without --config: the demo office (the example
  configuration, always open, simulated devices, journal in ./data).
  --data-dir DIR     the journal's folder (overrides journal.dataDir)
  --mqtt-port N      the embedded broker's MQTT port (also VOORU_MQTT_PORT; 0: any free port)
  --http-port N      the web pages' port (also VOORU_HTTP_PORT; 0: any free port)
  --follow-port N    the customer's follow page's port (follow.port); a config without follow
                     gets the page on this machine only (127.0.0.1), to try it
  --traffic N        N simulated customers a minute at the simulated panels (none without it)
${ENVIRONMENT_USAGE}`,
  options: {
    config: { type: "string", short: "c" },
    "data-dir": { type: "string" },
    "mqtt-port": { type: "string" },
    "http-port": { type: "string" },
    "follow-port": { type: "string" },
    traffic: { type: "string" },
  },
  async run({ values }, context) {
    const { log, env, version } = context;
    // First of all: it takes NOTIFY_SOCKET out of the environment before any child is spawned.
    const notifier = SystemdNotifier.fromEnvironment({ log });
    const trafficPerMinute = trafficOption(values.traffic);
    const configPath = typeof values.config === "string" ? values.config : undefined;
    let config: OfficeConfig;
    let demo: DemoComposition | null = null;
    let warnings: string[] = [];
    if (configPath === undefined) {
      demo = await demoOf(context, "no --config was given (the demo office)");
      config = demo.demoOfficeConfig();
    } else {
      config = loadOfficeConfig(configPath);
      if (hasSimulatedDevices(config)) demo = await demoOf(context, `${configPath} names simulated devices`);
      // The demo office (no file) has the published passwords and lets only this machine in.
      const dataDir = typeof values["data-dir"] === "string" ? values["data-dir"] : config.journal.dataDir;
      const audit = await auditOffice(configPath, config, { dataDir, dataDirMadePrivate: true });
      if (audit.problems.length > 0) throw new ConfigError(configPath, audit.problems);
      warnings = audit.warnings;
    }
    const followPort = portFrom("--follow-port", values["follow-port"] as string | undefined);
    if (followPort !== undefined && !config.follow)
      config = { ...config, follow: followSchema.parse({ port: followPort, host: "127.0.0.1" }) };
    log.info(`vooru ${version} starting with ${configPath ?? "the demo office (no --config given)"}`);
    for (const warning of warnings) log.warn(warning);
    for (const line of describeOffice(config, Date.now())) log.info(line);
    const options = {
      config,
      dataDir: typeof values["data-dir"] === "string" ? values["data-dir"] : undefined,
      mqttPort: portFrom("--mqtt-port", (values["mqtt-port"] as string | undefined) ?? env.VOORU_MQTT_PORT),
      httpPort: portFrom("--http-port", (values["http-port"] as string | undefined) ?? env.VOORU_HTTP_PORT),
      ...(followPort !== undefined ? { followPort } : {}),
      log,
      version,
      clockSync: systemClockSyncSource(),
    };
    if (!demo && trafficPerMinute !== undefined)
      log.warn("--traffic: this office has no simulated panel to press; no traffic");
    const office = demo
      ? await demo.startDemoOffice({ ...options, ...(trafficPerMinute ? { trafficPerMinute } : {}) })
      : await startOffice(options);
    const { core } = office.queue;
    log.info(
      `journal ${office.dataDir}: seq ${core.seq}, day ${core.day}, ${core.openTickets().length} open tickets`,
    );
    log.info(`MQTT: ${office.mqttUrl} (office topics under ${office.bridge.topics.base})`);
    if (office.httpUrl) for (const line of webLines(office.httpUrl)) log.info(line);
    log.info("running; stop with Ctrl+C");
    await notifier?.ready({ dataDir: office.dataDir, status: `office ${config.office.id} running` });
    await untilSignal(log, () => Promise.all([notifier?.stopping(), office.stop()]));
    return 0;
  },
};

function nodeHasSimulatedDevices(config: NodeConfig): boolean {
  const { devices } = config;
  return (
    devices.printers.some((p) => p.transport.type === "simulated") ||
    devices.boardBuses.some((b) => b.transport.type === "simulated") ||
    devices.panels.some((p) => p.io.type === "simulated")
  );
}

export const nodeCommand: Command = {
  name: "node",
  usage: `usage: vooru node --config node.yaml
  Runs a device node until Ctrl+C: a second Pi whose printers, panels and boards serve the office's
  queue over MQTT (the office config names them with {type: node, node: <id>}; see examples/node.yaml).`,
  options: { config: { type: "string", short: "c" } },
  async run({ values }, context) {
    if (typeof values.config !== "string")
      throw new UsageError("node needs --config FILE (see examples/node.yaml)", "node");
    const path = values.config;
    return runNode(path, context.log, context.version, async (options) => {
      if (!nodeHasSimulatedDevices(options.config)) return startNode(options);
      const demo = await demoOf(context, `${path} names simulated devices`);
      return demo.startDemoNode(options);
    });
  },
};
