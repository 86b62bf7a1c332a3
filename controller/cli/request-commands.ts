// `vooru counter ...` and `vooru desk ...`: the contract from a shell. They print the reply and
// exit non-zero on an error reply, so scripts and the counter software's developers can rely on them.
import type { Reply } from "../../protocols/mqtt/schemas.js";
import { COUNTER_VERBS, type RequestTarget } from "../../protocols/mqtt/topics.js";
import { ContractClient } from "../mqtt/contract-client.js";
import type { CliContext, Command } from "./command.js";
import { clientBrokerUrl } from "./environment.js";
import { UsageError } from "./usage-error.js";

const CLIENT_OPTIONS_USAGE = `  --url URL            the broker (VOORU_MQTT_URL; default mqtt://127.0.0.1:VOORU_MQTT_PORT or :1883)
  --office ID          the office (VOORU_OFFICE; default demo)
  --username, --password   credentials (VOORU_MQTT_USERNAME, VOORU_MQTT_PASSWORD)
  --timeout SECONDS    how long to wait for the reply (default 10)
  --json               the reply as JSON
  Exit 0 on an ok reply, 1 on an error reply or no broker, 2 on bad usage.`;

const USAGES: Record<RequestScope, string> = {
  counter: `usage: vooru counter <id> open|pause|close|call-next|recall|start|finish|no-show|return|park
       vooru counter <id> call <ticket> | transfer <service> | resume <ticket>
  Acts as counter <id> over MQTT and prints the reply.
${CLIENT_OPTIONS_USAGE}`,
  desk: `usage: vooru desk issue <service> [--printer P] [--priority N]
       vooru desk cancel <ticket> --reason CODE [--note TEXT]
       vooru desk reissue <ticket> <service> [--printer P] [--reason CODE] [--note TEXT]
       vooru desk reprint <ticket> [--printer P]
  Acts as the information desk over MQTT and prints the reply. --reason is a code of the office's
  cancelReasons (by default wrong_service, duplicate, left, other; an unknown one is refused with
  the list); --note is free text kept in the journal only, never published (up to 200 characters).
${CLIENT_OPTIONS_USAGE}`,
  system: `usage: vooru system resync
  Asks the controller to republish its retained state, and prints the reply.
${CLIENT_OPTIONS_USAGE}`,
};

type RequestScope = "counter" | "desk" | "system";

const usageError = (scope: RequestScope, message: string) => new UsageError(message, scope);

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
      throw usageError(
        "counter",
        counter ? `unknown counter verb "${word ?? ""}"` : "counter needs an id and a verb",
      );
    const field = COUNTER_ARGUMENT[verb];
    if (field && argument === undefined) throw usageError("counter", `${word} needs a ${field}`);
    if ((!field && argument !== undefined) || extra.length > 0)
      throw usageError("counter", `too many arguments for ${word}`);
    return {
      target: { scope: "counter", counter, verb } as RequestTarget,
      args: field ? { [field]: argument } : {},
    };
  }
  if (scope === "desk") {
    const [word, first, second] = positionals;
    const printer = options.printer === undefined ? {} : { printer: options.printer };
    const reason = {
      ...(options.reason === undefined ? {} : { reason: options.reason }),
      ...(options.note === undefined ? {} : { note: options.note }),
    };
    switch (word) {
      case "issue":
        if (!first) throw usageError("desk", "issue needs a service");
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
          throw usageError("desk", "cancel needs a ticket and --reason");
        return { target: { scope: "desk", verb: "cancel" }, args: { ticket: first, ...reason } };
      case "reissue":
        if (!first || !second) throw usageError("desk", "reissue needs a ticket and a service");
        return {
          target: { scope: "desk", verb: "reissue" },
          args: { ticket: first, service: second, ...printer, ...reason },
        };
      case "reprint":
        if (!first) throw usageError("desk", "reprint needs a ticket");
        return { target: { scope: "desk", verb: "reprint" }, args: { ticket: first, ...printer } };
      default:
        throw usageError("desk", word ? `unknown desk verb "${word}"` : "desk needs a verb");
    }
  }
  if (scope === "system") {
    if (positionals[0] === "resync" && positionals.length === 1)
      return { target: { scope: "system", verb: "resync" }, args: {} };
    throw usageError(
      "system",
      positionals[0] ? `unknown system verb "${positionals[0]}"` : "system needs a verb",
    );
  }
  throw new UsageError(`unknown command "${scope}"`);
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

async function runRequest(
  scope: RequestScope,
  values: Record<string, string | boolean | undefined>,
  positionals: string[],
  context: CliContext,
): Promise<number> {
  const request = parseRequestCommand(scope, positionals, values);
  const { env } = context;
  const text = (name: string) => (typeof values[name] === "string" ? (values[name] as string) : undefined);
  const username = text("username") ?? env.VOORU_MQTT_USERNAME;
  const password = text("password") ?? env.VOORU_MQTT_PASSWORD;
  const timeout = Number(text("timeout") ?? 10);
  if (!Number.isFinite(timeout) || timeout <= 0)
    throw usageError(scope, `--timeout takes seconds, not "${text("timeout")}"`);
  const client = ContractClient.connect({
    url: clientBrokerUrl(text("url"), env),
    office: text("office") ?? env.VOORU_OFFICE ?? "demo",
    ...(username ? { username } : {}),
    ...(password ? { password } : {}),
    connectTimeoutMs: 5000,
  });
  try {
    const reply = await client.request(request.target, request.args, timeout * 1000);
    console.log(values.json ? JSON.stringify(reply) : describeReply(reply));
    return reply.ok ? 0 : 1;
  } finally {
    await client.close();
  }
}

const CLIENT_OPTIONS = {
  url: { type: "string" },
  office: { type: "string" },
  username: { type: "string" },
  password: { type: "string" },
  timeout: { type: "string" },
  json: { type: "boolean" },
} as const;

const requestCommand = (scope: RequestScope, extra: Command["options"] = {}): Command => ({
  name: scope,
  usage: USAGES[scope],
  options: { ...CLIENT_OPTIONS, ...extra },
  positionals: true,
  run: ({ values, positionals }, context) => runRequest(scope, values, positionals, context),
});

export const requestCommands: Command[] = [
  requestCommand("counter"),
  requestCommand("desk", {
    printer: { type: "string" },
    priority: { type: "string" },
    reason: { type: "string" },
    note: { type: "string" },
  }),
  requestCommand("system"),
];
