// The configuration reference (docs/configuration.md), generated from the zod schema: every key with
// its type, default and meaning (the schema's descriptions). `npm run config-reference` writes the
// file; a test fails when it is stale or a key has no description.
import { z } from "zod";
import { officeConfigSchema } from "./office-config.js";

type JsonSchema = {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  minItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  additionalProperties?: boolean | JsonSchema;
};

export interface ReferenceEntry {
  path: string;
  type: string;
  required: boolean;
  default?: unknown;
  description?: string;
}

function variants(schema: JsonSchema): JsonSchema[] | null {
  return schema.anyOf ?? schema.oneOf ?? null;
}

/** The literal of a tagged union variant: `{type: "serial"}` -> "serial". */
function tagOf(schema: JsonSchema): string | null {
  const tag = schema.properties?.type;
  if (tag?.const !== undefined) return String(tag.const);
  if (tag?.enum?.length === 1) return String(tag.enum[0]);
  return null;
}

function describeType(schema: JsonSchema): string {
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(" \\| ");
  const alternatives = variants(schema);
  if (alternatives) {
    if (alternatives.every((v) => tagOf(v) !== null))
      return `one of type ${alternatives.map((v) => JSON.stringify(tagOf(v))).join(", ")}`;
    return alternatives.map(describeType).join(" or ");
  }
  const type = Array.isArray(schema.type) ? schema.type.join(" or ") : (schema.type ?? "any");
  if (type === "array") return `list of ${schema.items ? describeType(schema.items) : "any"}`;
  if (type === "object" && !schema.properties && typeof schema.additionalProperties === "object")
    return `map of ${describeType(schema.additionalProperties)}`;
  const limits: string[] = [];
  const max =
    schema.maximum !== undefined && schema.maximum < Number.MAX_SAFE_INTEGER ? schema.maximum : undefined;
  if (schema.minimum !== undefined && max !== undefined) limits.push(`${schema.minimum}–${max}`);
  else if (schema.exclusiveMinimum !== undefined && max !== undefined)
    limits.push(`> ${schema.exclusiveMinimum}, ≤ ${max}`);
  else if (schema.minimum !== undefined) limits.push(`≥ ${schema.minimum}`);
  else if (schema.exclusiveMinimum !== undefined) limits.push(`> ${schema.exclusiveMinimum}`);
  else if (max !== undefined) limits.push(`≤ ${max}`);
  return limits.length > 0 ? `${type}, ${limits.join(", ")}` : type;
}

/** Every key of the schema, depth first in the schema's order. */
export function referenceEntries(): ReferenceEntry[] {
  const root = z.toJSONSchema(officeConfigSchema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  const entries: ReferenceEntry[] = [];
  const visitObject = (schema: JsonSchema, prefix: string) => {
    for (const [key, child] of Object.entries(schema.properties ?? {})) {
      visit(child, `${prefix}${key}`, schema.required?.includes(key) ?? false);
    }
  };
  const visit = (schema: JsonSchema, path: string, required: boolean) => {
    entries.push({
      path,
      type: describeType(schema),
      required: required && schema.default === undefined,
      ...(schema.default !== undefined ? { default: schema.default } : {}),
      ...(schema.description !== undefined ? { description: schema.description } : {}),
    });
    const inner = schema.type === "array" && schema.items ? schema.items : schema;
    const suffix = inner === schema ? "" : "[]";
    const alternatives = variants(inner);
    if (alternatives) {
      for (const variant of alternatives) {
        const tag = tagOf(variant);
        if (!variant.properties) continue;
        for (const [key, child] of Object.entries(variant.properties)) {
          if (key === "type" && tag !== null) continue;
          const where = tag !== null ? ` (type ${JSON.stringify(tag)})` : "";
          visit(child, `${path}${suffix}.${key}${where}`, variant.required?.includes(key) ?? false);
        }
      }
    } else if (inner.properties) {
      visitObject(inner, `${path}${suffix}.`);
    }
  };
  visitObject(root, "");
  return entries;
}

function formatDefault(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 60 ? "(see the example)" : `\`${text}\``;
}

const INTRO = `<!-- Generated from the configuration schema by \`npm run config-reference\`: do not edit by hand. -->

# Configuration reference

An office is one YAML file (\`vooru start --config office.yaml\`). This page lists every key the
controller reads, grouped by top-level block, with its type, its default and what it means. It is
generated from the schema the controller validates with, so it cannot drift from the code.

- Start from the commented example, [examples/office.yaml](../examples/office.yaml); a device node
  has its own, [examples/node.yaml](../examples/node.yaml).
- Check a file with \`vooru check --config office.yaml\`: it prints what the file defines. A
  mistake stops the start with exit 2, the file, the key's path and the reason, e.g.
  \`services[2].prefix: "A" is already used by services[0]\`.
- Unknown keys are mistakes too: a misspelt key is refused, never silently ignored.
- Where a key is a choice of kinds (a transport, a panel's io), the keys of each kind are listed
  with \`(type "...")\` after the path.`;

/** The whole docs/configuration.md: the introduction, then one bullet per key, by top-level block. */
export function configurationDocument(entries = referenceEntries()): string {
  const lines: string[] = [INTRO];
  let section = "";
  for (const entry of entries) {
    const top = entry.path.split(/[.[ ]/)[0] ?? entry.path;
    if (top !== section) {
      section = top;
      lines.push("", `## \`${top}\``, "");
    }
    const facts = [entry.type];
    if (entry.required) facts.push("required");
    else if (entry.default !== undefined) facts.push(`default ${formatDefault(entry.default)}`);
    else facts.push("optional");
    const meaning = entry.description ? `: ${entry.description}` : "";
    lines.push(`- \`${entry.path}\` (${facts.join(", ")})${meaning}`);
  }
  return `${lines.join("\n")}\n`;
}
