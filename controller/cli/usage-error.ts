// Bad usage of the `vooru` command: one line saying what is wrong, then the usage of the command
// it concerns (or of vooru itself), and exit 2.
export class UsageError extends Error {
  readonly code = "USAGE";
  constructor(
    message: string,
    /** The command whose usage to show; none: the overview of every command. */
    readonly command?: string,
  ) {
    super(message);
  }
}

/** node:util parseArgs throws TypeErrors with these codes for unknown options and the like. */
export function isParseArgsError(error: unknown): error is Error & { code: string } {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("ERR_PARSE_ARGS_");
}
