// The `vooru` command: finds the command, parses its options, runs it, and turns every expected
// failure into one line and an exit code (0 done, 1 the office or a device could not do it, 2 bad
// usage or configuration). `vooru <command> --help` prints that command's usage and exits 0.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { packageRoot } from "../config/package-root.js";
import { consoleLogger, type Logger } from "../health/log.js";
import type { Command } from "./command.js";
import type { LoadDemo } from "./demo-composition.js";
import { ENVIRONMENT_USAGE } from "./environment.js";
import { isParseArgsError, UsageError } from "./usage-error.js";

/**
 * Each command is loaded only when it runs: `vooru report` need not load the broker, the device
 * drivers and the web server of `vooru start` (half a second and 30 MB on a Pi).
 */
interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<Command>;
}

const request = async (scope: string) =>
  (await import("./request-commands.js")).requestCommands.find((c) => c.name === scope) as Command;

const COMMANDS: CommandEntry[] = [
  {
    name: "start",
    summary: "run the office (without --config: the demo office)",
    load: async () => (await import("./start-commands.js")).startCommand,
  },
  {
    name: "check",
    summary: "validate a configuration file; --try-devices opens every device once",
    load: async () => (await import("./office-commands.js")).checkCommand,
  },
  {
    name: "devices",
    summary: "list serial ports, HID devices, USB printers, GPIO chips and I2C buses",
    load: async () => (await import("./office-commands.js")).devicesCommand,
  },
  {
    name: "mosquitto-config",
    summary: "write Mosquitto's conf, ACL and passwd files from the office config",
    load: async () => (await import("./office-commands.js")).mosquittoConfigCommand,
  },
  {
    name: "passwd",
    summary: "set a user's password in office.yaml, stored as a hash (--generate: a random one)",
    load: async () => (await import("./passwd-command.js")).passwdCommand,
  },
  {
    name: "node",
    summary: "run a device node: a second Pi's printers, panels and boards for the office",
    load: async () => (await import("./start-commands.js")).nodeCommand,
  },
  {
    name: "announce",
    summary: "write (--out) or play the announcement of a call, from the clip set",
    load: async () => (await import("./announce-command.js")).announceCommand,
  },
  {
    name: "report",
    summary: "the manager's figures over a range of days (waits, service level, no-shows, wrong tickets)",
    load: async () => (await import("./report-command.js")).reportCommand,
  },
  {
    name: "appointments",
    summary: "import booked visits from a CSV or iCalendar file into the running office",
    load: async () => (await import("./appointments-command.js")).appointmentsCommand,
  },
  {
    name: "counter",
    summary: "act as a counter: open, call-next, recall, start, finish, no-show, ...",
    load: () => request("counter"),
  },
  {
    name: "desk",
    summary: "act as the desk: issue, cancel, reissue, reprint",
    load: () => request("desk"),
  },
  {
    name: "system",
    summary: "ask the controller to republish its retained state (resync)",
    load: () => request("system"),
  },
];

export const USAGE = `usage: vooru <command> [options]   (vooru <command> --help: that command's usage)
commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(17)}${c.summary}`).join("\n")}
  --version        print the version
${ENVIRONMENT_USAGE}`;

export interface CliOptions {
  /** The demo composition (bin/vooru.js passes demo/index.js), for simulated devices. */
  loadDemo?: LoadDemo;
  env?: Readonly<Record<string, string | undefined>>;
}

function version(): string {
  const pkg = JSON.parse(readFileSync(`${packageRoot()}/package.json`, "utf8")) as { version: string };
  return pkg.version;
}

const isHelp = (word: string | undefined) => word === "--help" || word === "-h" || word === "help";

/** parseArgs's messages carry advice for programmers ("To specify a positional argument..."). */
function firstSentence(message: string): string {
  return message.split(/\. (?=[A-Z])/)[0]?.replace(/\.$/, "") ?? message;
}

export async function main(
  argv: string[],
  log: Logger = consoleLogger,
  options: CliOptions = {},
): Promise<number> {
  const [name, ...rest] = argv;
  if (name === "--version" || name === "-v") {
    console.log(version());
    return 0;
  }
  if (name === undefined || isHelp(name)) {
    // `vooru help start` reads as `vooru start --help`.
    const topic = COMMANDS.find((c) => c.name === rest[0]);
    console.log(topic ? (await topic.load()).usage : USAGE);
    return name === undefined ? 2 : 0;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  try {
    if (!entry) throw new UsageError(`unknown command "${name}"`);
    const command = await entry.load();
    if (rest.some((word) => word === "--help" || word === "-h")) {
      console.log(command.usage);
      return 0;
    }
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs({
        args: rest,
        options: command.options,
        allowPositionals: command.positionals === true,
        strict: true,
      });
    } catch (error) {
      if (isParseArgsError(error)) throw new UsageError(firstSentence(error.message), command.name);
      throw error;
    }
    return await command.run(
      {
        values: parsed.values as Record<string, string | boolean | undefined>,
        positionals: parsed.positionals,
      },
      {
        log,
        version: version(),
        env: options.env ?? process.env,
        ...(options.loadDemo ? { loadDemo: options.loadDemo } : {}),
      },
    );
  } catch (error) {
    return await failed(error, log);
  }
}

async function failed(error: unknown, log: Logger): Promise<number> {
  if (error instanceof UsageError) {
    const entry = COMMANDS.find((c) => c.name === error.command);
    const usage = entry ? (await entry.load()).usage : USAGE;
    log.error(`${error.message}\n${usage}`);
    return 2;
  }
  // The error classes come with the commands that throw them: loaded here, once something failed.
  const [
    { ConfigError },
    { SetupError },
    { MosquittoConfigError },
    { BrokerUnreachableError, RequestTimeoutError },
    { JournalError },
  ] = await Promise.all([
    import("../config/load.js"),
    import("../config/setup-error.js"),
    import("../mqtt/mosquitto-config.js"),
    import("../mqtt/contract-client.js"),
    import("../queue/journal/errors.js"),
  ]);
  if (error instanceof ConfigError || error instanceof MosquittoConfigError || error instanceof SetupError) {
    log.error(error.message);
    return 2;
  }
  if (error instanceof RequestTimeoutError || error instanceof BrokerUnreachableError) {
    log.error(error.message);
    return 1;
  }
  if (error instanceof JournalError) {
    log.error(`${error.code}: ${error.message}`);
    return 1;
  }
  // Anything else is a fault of vooru: one line, and the stack only when asked for.
  log.error(`${(error as Error)?.message ?? String(error)} (VOORU_DEBUG=1 shows where)`);
  if (process.env.VOORU_DEBUG) log.error((error as Error)?.stack ?? "");
  return 1;
}
