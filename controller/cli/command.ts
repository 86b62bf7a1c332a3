// One `vooru` command: its usage (printed by `vooru <command> --help`), its options as
// node:util parseArgs takes them, and what it does. Exit codes: 0 done, 1 the office or a device
// could not do it, 2 bad usage or configuration.
import type { ParseArgsConfig } from "node:util";
import type { Logger } from "../health/log.js";
import type { LoadDemo } from "./demo-composition.js";

export interface CliContext {
  log: Logger;
  version: string;
  env: Readonly<Record<string, string | undefined>>;
  /** The demo composition, for a start that names simulated devices (bin/vooru.js passes it). */
  loadDemo?: LoadDemo;
}

export interface Command {
  name: string;
  /** The whole usage, first line `usage: vooru <name> ...`. */
  usage: string;
  options: NonNullable<ParseArgsConfig["options"]>;
  positionals?: boolean;
  run(
    args: { values: Record<string, string | boolean | undefined>; positionals: string[] },
    context: CliContext,
  ): Promise<number>;
}
