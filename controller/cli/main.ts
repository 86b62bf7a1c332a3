// The `vooru` command: finds the command, parses its options, runs it, and turns every expected
// failure into one line and an exit code (0 done, 1 the office or a device could not do it, 2 bad
// usage or configuration). `vooru <command> --help` prints that command's usage and exits 0.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { ConfigError } from "../config/load.js";
import { packageRoot } from "../config/package-root.js";
import { SetupError } from "../config/setup-error.js";
import { consoleLogger, type Logger } from "../health/log.js";
import { BrokerUnreachableError, RequestTimeoutError } from "../mqtt/contract-client.js";
import { MosquittoConfigError } from "../mqtt/mosquitto-config.js";
import { JournalError } from "../queue/journal/errors.js";
import { announceCommand } from "./announce-command.js";
import type { Command } from "./command.js";
import type { LoadDemo } from "./demo-composition.js";
import { ENVIRONMENT_USAGE } from "./environment.js";
import { checkCommand, devicesCommand, mosquittoConfigCommand } from "./office-commands.js";
import { reportCommand } from "./report-command.js";
import { requestCommands } from "./request-commands.js";
import { nodeCommand, startCommand } from "./start-commands.js";
import { isParseArgsError, UsageError } from "./usage-error.js";

const COMMANDS: Command[] = [
  startCommand,
  checkCommand,
  devicesCommand,
  mosquittoConfigCommand,
  nodeCommand,
  announceCommand,
  reportCommand,
  ...requestCommands,
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
    console.log(topic ? topic.usage : USAGE);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  try {
    if (!command) throw new UsageError(`unknown command "${name}"`);
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
    return failed(error, log);
  }
}

function failed(error: unknown, log: Logger): number {
  if (error instanceof UsageError) {
    const usage = COMMANDS.find((c) => c.name === error.command)?.usage ?? USAGE;
    log.error(`${error.message}\n${usage}`);
    return 2;
  }
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
