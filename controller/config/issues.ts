// Zod issues turned into lines an office IT person can act on: "services[2].prefix: ...".
// Messages a schema gives itself (refinements, regexes) are kept; zod's generic ones are reworded
// by an error map passed to each parse, which has lower precedence than the schema's own messages.
import type { z } from "zod";

type PathKey = PropertyKey;

/** ["services", 2, "prefix"] -> "services[2].prefix"; the empty path -> "(root)". */
export function formatIssuePath(path: readonly PathKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else if (typeof key === "symbol") out += `[${String(key)}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(key)) out += out === "" ? key : `.${key}`;
    else out += `[${JSON.stringify(key)}]`;
  }
  return out === "" ? "(root)" : out;
}

const EXPECTED: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  array: "a list",
  object: "a mapping (key: value)",
  null: "nothing",
};

/** What a YAML value is, in YAML's words. */
function describe(input: unknown): string {
  if (input === null) return "nothing";
  if (Array.isArray(input)) return "list";
  if (typeof input === "number" && !Number.isFinite(input)) return String(input);
  if (typeof input === "object") return "mapping";
  return typeof input;
}

const plural = (n: unknown, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;

/** Edit distance counting a swap of neighbours as one edit, for "did you mean" on a misspelt key. */
function distance(a: string, b: string): number {
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row[j] = j;
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const up = d[i - 1] ?? [];
      let best = Math.min((up[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (up[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, (d[i - 2]?.[j - 2] ?? 0) + 1);
      row[j] = best;
    }
    d.push(row);
  }
  return d[a.length]?.[b.length] ?? 0;
}

function suggest(key: string, known: string[]): string {
  const lower = key.toLowerCase();
  const best = known
    .map((k) => ({ k, d: k.toLowerCase() === lower ? 0 : distance(lower, k.toLowerCase()) }))
    .filter(({ d }) => d <= Math.max(1, Math.floor(key.length / 4)))
    .sort((a, b) => a.d - b.d)[0];
  return best ? ` (did you mean "${best.k}"?)` : "";
}

/** The keys an object schema knows; read from zod's public `_zod.def`. */
function knownKeys(inst: unknown): string[] {
  const shape = (inst as { _zod?: { def?: { shape?: object } } } | undefined)?._zod?.def?.shape;
  return shape ? Object.keys(shape) : [];
}

/** A union branch that failed only because the value had another type altogether. */
function isTypeMismatch(branch: readonly z.core.$ZodIssue[]): boolean {
  return branch.length === 1 && branch[0]?.code === "invalid_type" && branch[0].path.length === 0;
}

/**
 * Error map for `safeParse(data, { error: friendlyErrorMap })`. A message may hold several lines
 * (one per unknown key); formatIssues puts the path before each.
 */
export const friendlyErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case "invalid_type": {
      const { input, expected } = issue;
      if (input === undefined) return "is required";
      if (expected === "int" && typeof input === "number") return `must be a whole number, got ${input}`;
      const hint =
        expected === "string" && (typeof input === "number" || typeof input === "boolean")
          ? ` (write it in quotes: "${String(input)}")`
          : "";
      return `expected ${EXPECTED[expected] ?? `a ${expected}`}, got ${describe(input)}${hint}`;
    }
    case "unrecognized_keys": {
      const known = knownKeys(issue.inst);
      return issue.keys.map((key) => `unknown key "${key}"${suggest(key, known)}`).join("\n");
    }
    case "too_small": {
      const { origin, minimum, inclusive } = issue;
      if (origin === "number")
        return inclusive ? `must be at least ${minimum}` : `must be more than ${minimum}`;
      if (origin === "array" || origin === "set") return `needs at least ${plural(minimum, "item")}`;
      if (origin === "string")
        return minimum === 1 ? "must not be empty" : `needs at least ${plural(minimum, "character")}`;
      return undefined;
    }
    case "too_big": {
      const { origin, maximum, inclusive } = issue;
      if (origin === "number")
        return inclusive ? `must be at most ${maximum}` : `must be less than ${maximum}`;
      if (origin === "array" || origin === "set") return `allows at most ${plural(maximum, "item")}`;
      if (origin === "string") return `allows at most ${plural(maximum, "character")}`;
      return undefined;
    }
    case "invalid_value": {
      const choices = issue.values.map((v) => JSON.stringify(v)).join(", ");
      return `must be one of ${choices}, got ${JSON.stringify(issue.input) ?? describe(issue.input)}`;
    }
    case "invalid_format":
      return "does not have the expected format";
    case "not_multiple_of":
      return `must be a multiple of ${issue.divisor}`;
    case "invalid_union": {
      // Only when every branch wanted another type; otherwise formatIssues reports the branch that
      // matched the value's type, whose issues say more.
      if (!issue.errors.every(isTypeMismatch)) return undefined;
      const wanted = issue.errors.map((b) => {
        const first = b[0] as z.core.$ZodIssueInvalidType;
        return EXPECTED[first.expected] ?? `a ${first.expected}`;
      });
      return `expected ${wanted.join(" or ")}, got ${describe(issue.input)}`;
    }
    default:
      return undefined;
  }
};

/** One line per problem, "path: reason", in zod's order. */
export function formatIssues(issues: readonly z.core.$ZodIssue[], prefix: readonly PathKey[] = []): string[] {
  const lines: string[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === "invalid_union" && !issue.errors.every(isTypeMismatch)) {
      const branch = issue.errors.find((b) => !isTypeMismatch(b)) ?? [];
      lines.push(...formatIssues(branch, path));
      continue;
    }
    const where = formatIssuePath(path);
    for (const reason of issue.message.split("\n")) lines.push(`${where}: ${reason}`);
  }
  return lines;
}
