// `vooru counter ...` and `vooru desk ...`: the contract from a shell. They print the reply and
// exit non-zero on an error reply, so scripts and the counter software's developers can rely on them.
import { parseArgs } from "node:util";
import type { Reply } from "../../protocols/mqtt/schemas.js";
import { COUNTER_VERBS, type RequestTarget } from "../../protocols/mqtt/topics.js";
import { ContractClient } from "../mqtt/contract-client.js";

export const REQUEST_USAGE = `  vooru counter <id> open|pause|close|call-next|recall|start|finish|no-show|return|park
  vooru counter <id> call <ticket> | transfer <service> | resume <ticket>
  vooru desk issue <service> [--printer P] [--priority N]
  vooru desk cancel <ticket> --reason TEXT
  vooru desk reissue <ticket> <service> [--printer P] [--reason TEXT]
  vooru desk reprint <ticket> [--printer P]
  vooru system resync
      options: --url mqtt://127.0.0.1:1883 (VOORU_MQTT_URL), --office demo (VOORU_OFFICE),
               --username/--password (VOORU_MQTT_USERNAME/VOORU_MQTT_PASSWORD), --timeout SECONDS, --json`;

export class RequestUsageError extends Error {
  readonly code = "USAGE";
}

interface ParsedRequest {
  target: RequestTarget;
  args: Record<string, unknown>;
}

/** Verbs with an argument, and the field it fills. */
const COUNTER_ARGUMENT: Record<string, string> = { call: "ticket", transfer: "service", resume: "ticket" };
const COUNTER_VERB_SET: ReadonlySet<string> = new Set(COUNTER_VERBS);

export function parseRequestCommand(
  scope: string,
  positionals: string[],
  options: Record<string, unknown>,
): ParsedRequest {
  const verbOf = (word: string | undefined) => (word ?? "").replaceAll("-", "_");
  if (scope === "counter") {
    const [counter, word, argument, ...extra] = positionals;
    const verb = verbOf(word);
    if (!counter || !COUNTER_VERB_SET.has(verb))
      throw new RequestUsageError("usage: vooru counter <id> <verb> [argument]");
    const field = COUNTER_ARGUMENT[verb];
    if (field && argument === undefined) throw new RequestUsageError(`${word} needs a ${field}`);
    if ((!field && argument !== undefined) || extra.length > 0)
      throw new RequestUsageError(`too many arguments for ${word}`);
    return {
      target: { scope: "counter", counter, verb } as RequestTarget,
      args: field ? { [field]: argument } : {},
    };
  }
  if (scope === "desk") {
    const [word, first, second] = positionals;
    const printer = options.printer === undefined ? {} : { printer: options.printer };
    const reason = options.reason === undefined ? {} : { reason: options.reason };
    switch (word) {
      case "issue":
        if (!first) throw new RequestUsageError("issue needs a service");
        return {
          target: { scope: "desk", verb: "issue" },
          args: {
            service: first,
            ...printer,
            ...(options.priority === undefined ? {} : { priority: Number(options.priority) }),
          },
        };
      case "cancel":
        if (!first || options.reason === undefined)
          throw new RequestUsageError("cancel needs a ticket and --reason");
        return { target: { scope: "desk", verb: "cancel" }, args: { ticket: first, ...reason } };
      case "reissue":
        if (!first || !second) throw new RequestUsageError("reissue needs a ticket and a service");
        return {
          target: { scope: "desk", verb: "reissue" },
          args: { ticket: first, service: second, ...printer, ...reason },
        };
      case "reprint":
        if (!first) throw new RequestUsageError("reprint needs a ticket");
        return { target: { scope: "desk", verb: "reprint" }, args: { ticket: first, ...printer } };
      default:
        throw new RequestUsageError("usage: vooru desk issue|cancel|reissue|reprint ...");
    }
  }
  if (scope === "system" && positionals[0] === "resync")
    return { target: { scope: "system", verb: "resync" }, args: {} };
  throw new RequestUsageError(`unknown command "${scope}"`);
}

/** One line a person reads: what happened, or the error. */
export function describeReply(reply: Reply): string {
  if (!reply.ok) {
    const issues = reply.error.issues?.map((i) => `\n  ${i.path}: ${i.message}`).join("") ?? "";
    return `${reply.error.code}: ${reply.error.message}${issues}`;
  }
  const result = reply.result as {
    ticket?: { number: string; state: string; counter?: string; service: string; ahead?: number } | null;
    counter?: { id: string; status: string };
    epoch?: string;
    seq?: number;
  };
  const ticket = result.ticket;
  let text = reply.verb.replaceAll("_", " ");
  if (ticket) {
    text += `: ${ticket.number} (${ticket.service}) is ${ticket.state.replaceAll("_", " ")}`;
    if (ticket.counter && (ticket.state === "called" || ticket.state === "serving"))
      text += ` at counter ${ticket.counter}`;
    if (ticket.ahead !== undefined) text += `, ${ticket.ahead} ahead`;
  }
  if (result.counter) text += `; counter ${result.counter.id} is ${result.counter.status}`;
  if (result.epoch !== undefined) text += `: epoch ${result.epoch}, seq ${result.seq}`;
  return text;
}

export async function runRequestCommand(scope: string, argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      url: { type: "string" },
      office: { type: "string" },
      username: { type: "string" },
      password: { type: "string" },
      timeout: { type: "string" },
      json: { type: "boolean" },
      printer: { type: "string" },
      priority: { type: "string" },
      reason: { type: "string" },
    },
  });
  const request = parseRequestCommand(scope, positionals, values);
  const env = process.env;
  const username = values.username ?? env.VOORU_MQTT_USERNAME;
  const password = values.password ?? env.VOORU_MQTT_PASSWORD;
  const client = ContractClient.connect({
    url: values.url ?? env.VOORU_MQTT_URL ?? "mqtt://127.0.0.1:1883",
    office: values.office ?? env.VOORU_OFFICE ?? "demo",
    ...(username ? { username } : {}),
    ...(password ? { password } : {}),
    connectTimeoutMs: 5000,
  });
  try {
    const reply = await client.request(request.target, request.args, Number(values.timeout ?? 10) * 1000);
    console.log(values.json ? JSON.stringify(reply) : describeReply(reply));
    return reply.ok ? 0 : 1;
  } finally {
    await client.close();
  }
}
