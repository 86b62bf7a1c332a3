// Reading the office configuration: YAML text -> validated OfficeConfig, or one ConfigError that
// lists every problem at once, so a person fixing the file does not have to restart per mistake.
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { LineCounter, parseAllDocuments } from "yaml";
import { formatIssues, friendlyErrorMap } from "./issues.js";
import { officeConfigSchema } from "./office-config.js";
import type { OfficeConfig } from "./schema.js";

export { formatIssuePath, formatIssues, friendlyErrorMap } from "./issues.js";

export class ConfigError extends Error {
  readonly code = "CONFIG_INVALID";
  readonly file: string;
  readonly problems: string[];

  /** `unreadable`: the file could not be read at all (missing, no permission), not invalid. */
  constructor(file: string, problems: string[], unreadable = false) {
    super(
      `${file}: ${unreadable ? "cannot read the configuration" : "invalid configuration"}${problems.map((p) => `\n  ${p}`).join("")}`,
    );
    this.name = "ConfigError";
    this.file = file;
    this.problems = problems;
  }
}

const EMPTY = "the file is empty: it should hold the office configuration (see examples/office.yaml)";

/** Parses and validates the YAML text of an office configuration; `file` only names it in errors. */
export function parseOfficeConfig(text: string, file = "<config>"): OfficeConfig {
  const lineCounter = new LineCounter();
  // merge: lets a template share blocks with "<<: *anchor" (YAML 1.1 merge keys).
  const docs = parseAllDocuments(text, { prettyErrors: false, lineCounter, merge: true });
  if (docs.length === 0) throw new ConfigError(file, [EMPTY]);
  const at = (offset: number): string => {
    const { line, col } = lineCounter.linePos(offset);
    return `line ${line}, column ${col}`;
  };
  const syntax = docs.flatMap((doc) => doc.errors.map((e) => `${at(e.pos[0])}: ${e.message}`));
  if (syntax.length > 0) throw new ConfigError(file, syntax);
  const [doc, second] = docs;
  // A second document would be silently ignored by a reader that takes the first one.
  if (second)
    throw new ConfigError(file, [
      `${at(second.range[0])}: a second YAML document starts here ("---"); the configuration must be one document`,
    ]);
  let data: unknown;
  try {
    data = doc?.toJS();
  } catch (error) {
    // e.g. an alias to an anchor that is defined later or not at all.
    throw new ConfigError(file, [error instanceof Error ? error.message : String(error)]);
  }
  if (data === null || data === undefined) throw new ConfigError(file, [EMPTY]);
  const result = officeConfigSchema.safeParse(data, { error: friendlyErrorMap });
  if (!result.success) throw new ConfigError(file, formatIssues(result.error.issues));
  return result.data;
}

/** "ENOENT: no such file or directory, open 'x'" -> "no such file or directory (ENOENT)". */
export function osReason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  const match = /^[A-Z0-9_]+: (.+?)(?:, \w+(?: '.*')?)?$/s.exec(error.message);
  if (code && match?.[1]) return `${match[1]} (${code})`;
  return error.message;
}

/**
 * Reads and validates the configuration file at `path`. `journal.dataDir` and the web server's
 * TLS files (`mqtt.embedded.tls`) come back absolute, resolved from the config file's folder, so
 * the service does not depend on its working directory.
 */
export function loadOfficeConfig(path: string): OfficeConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // On a Pi /etc/vooru/office.yaml is the service user's alone (0600): a login user cannot read it.
    const hint =
      code === "EACCES"
        ? [
            `it belongs to another user: run the command as that user, e.g. sudo -u vooru vooru check --config ${path}`,
          ]
        : code === "ENOENT"
          ? [
              "no such file: give the path of the office's configuration (examples/office.yaml is one to start from)",
            ]
          : [];
    throw new ConfigError(path, [osReason(error), ...hint], true);
  }
  const config = parseOfficeConfig(text, path);
  const folder = dirname(resolve(path));
  const dataDir = resolve(folder, config.journal.dataDir);
  const { embedded } = config.mqtt;
  const tls = embedded.tls && {
    cert: resolve(folder, embedded.tls.cert),
    key: resolve(folder, embedded.tls.key),
    ...(embedded.tls.ca !== undefined ? { ca: resolve(folder, embedded.tls.ca) } : {}),
  };
  return {
    ...config,
    journal: { ...config.journal, dataDir },
    ...(tls ? { mqtt: { ...config.mqtt, embedded: { ...embedded, tls } } } : {}),
  };
}
