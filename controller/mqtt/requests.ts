// Requests of the contract: parse, validate, refuse expired ones, answer a repeated requestId with
// its first reply, and run the rest. Whatever a client sends, the answer is a reply, never a throw.
import type { z } from "zod";
import {
  appointmentRequestSchemas,
  counterRequestSchemas,
  deskRequestSchemas,
  type ErrorCode,
  MAX_REQUEST_ID,
  type Reply,
  simRequestSchemas,
  systemRequestSchemas,
} from "../../protocols/mqtt/schemas.js";
import {
  isAllowedReplyTopic,
  isOwnReplyTopic,
  type RequestTarget,
  type UnservedRequest,
} from "../../protocols/mqtt/topics.js";
import { formatIssuePath } from "../config/issues.js";
import type { Logger } from "../health/log.js";
import type { ActionResult, RequestArgs } from "../queue/queue-service.js";

export interface IncomingRequest {
  target: RequestTarget | UnservedRequest;
  payload: Buffer;
  /** The default reply topic of this request topic. */
  defaultReplyTopic: string;
  /** MQTT 5 response topic, if the client set one. */
  responseTopic?: string;
  /** Who sent it, as the broker vouches (`by/{username}/` topics); absent: not attributed. */
  sender?: string;
}

/** A request's sender as the handler runs it; undefined when the broker did not attribute it. */
export type RequestRunner = (
  target: RequestTarget,
  args: RequestArgs,
  requestId: string,
  sender: string | undefined,
) => Promise<ActionResult>;

export interface RequestOutcome {
  reply: Reply;
  /** Where the reply goes. */
  replyTopic: string;
  /** True when this was a repeated requestId answered from the cache. */
  repeated: boolean;
}

interface CacheEntry {
  at: number;
  reply: Promise<Reply>;
}

/** Replies remembered per sender within dedupeMinutes: enough for any honest client's retries. */
export const MAX_REMEMBERED_PER_SENDER = 2_000;
/**
 * Verbs that change nothing: a repeat may simply run again, so their (possibly large) replies are
 * not kept.
 */
const READ_ONLY_VERBS = new Set(["report", "resync", "whoami", "audit"]);

function schemaFor(target: RequestTarget): z.ZodType {
  switch (target.scope) {
    case "counter":
      return counterRequestSchemas[target.verb];
    case "desk":
      return deskRequestSchemas[target.verb];
    case "system":
      return systemRequestSchemas[target.verb];
    case "sim":
      return simRequestSchemas[target.verb];
    case "appointments":
      return appointmentRequestSchemas[target.verb];
  }
}

const errorReply = (
  requestId: string | null,
  verb: string,
  code: ErrorCode,
  message: string,
  issues?: Array<{ path: string; message: string }>,
): Reply => ({ requestId, verb, ok: false, error: { code, message, ...(issues ? { issues } : {}) } });

export class RequestHandler {
  /** sender ("" for unattributed) -> verb + requestId -> first reply, in time order. */
  private readonly seen = new Map<string, Map<string, CacheEntry>>();

  constructor(
    private readonly base: string,
    private readonly run: RequestRunner,
    private readonly clock: () => number,
    private readonly dedupeMs: number,
    private readonly log: Logger,
  ) {}

  async handle(request: IncomingRequest): Promise<RequestOutcome> {
    const verb = "unknownVerb" in request.target ? request.target.unknownVerb : request.target.verb;
    // An MQTT 5 response topic is held to the same rule as replyTo.
    const { sender } = request;
    // An attributed request's reply may go only to its sender's own inbox: a request must never
    // make the controller write where its sender could not.
    const allowedReply = (topic: string) =>
      sender === undefined
        ? isAllowedReplyTopic(this.base, topic)
        : isOwnReplyTopic(this.base, sender, topic);
    const responseTopic =
      request.responseTopic !== undefined && allowedReply(request.responseTopic)
        ? request.responseTopic
        : undefined;
    let replyTopic = responseTopic ?? request.defaultReplyTopic;
    const answer = (reply: Reply, repeated = false): RequestOutcome => ({ reply, replyTopic, repeated });

    let body: unknown;
    try {
      body = JSON.parse(request.payload.toString("utf8"));
    } catch {
      return answer(
        errorReply(null, verb, "VALIDATION_FAILED", "the payload is not JSON", [
          { path: "(payload)", message: "expected a JSON object" },
        ]),
      );
    }
    if (typeof body !== "object" || body === null || Array.isArray(body))
      return answer(
        errorReply(null, verb, "VALIDATION_FAILED", "the payload is not a JSON object", [
          { path: "(payload)", message: "expected a JSON object" },
        ]),
      );
    const fields = body as Record<string, unknown>;
    const rawId = fields.requestId;
    const tooLong = typeof rawId === "string" && rawId.length > MAX_REQUEST_ID;
    const requestId = typeof rawId === "string" && rawId.length > 0 && !tooLong ? rawId : null;
    if (typeof fields.replyTo === "string") {
      if (allowedReply(fields.replyTo)) replyTopic = fields.replyTo;
      else
        return answer(
          errorReply(requestId, verb, "VALIDATION_FAILED", "replyTo is not a topic replies may go to", [
            {
              path: "replyTo",
              message:
                sender === undefined
                  ? "must have no wildcards and not be a state, event or request topic of vooru"
                  : `must be under ${this.base}replies/${sender}/ (the sender's own replies)`,
            },
          ]),
        );
    }
    if (tooLong)
      return answer(
        errorReply(null, verb, "VALIDATION_FAILED", `requestId is longer than ${MAX_REQUEST_ID} characters`, [
          { path: "requestId", message: `at most ${MAX_REQUEST_ID} characters` },
        ]),
      );
    if ("badCounter" in request.target)
      return answer(
        errorReply(
          requestId,
          verb,
          "COUNTER_NOT_FOUND",
          `no counter ${JSON.stringify(request.target.badCounter)}`,
        ),
      );
    if ("unknownVerb" in request.target)
      return answer(errorReply(requestId, verb, "VALIDATION_FAILED", `unknown verb "${verb}"`));
    const target = request.target;

    // A repeated requestId (QoS 1 delivers at least once) gets the first reply and changes nothing.
    // Remembered per sender and verb: one user's ids can neither hit nor flood another's.
    const now = this.clock();
    this.prune(now);
    const remember = requestId !== null && !READ_ONLY_VERBS.has(verb);
    const key = `${verb}\u0000${requestId}`;
    const mine = this.seen.get(sender ?? "");
    if (remember) {
      const cached = mine?.get(key);
      if (cached) return answer(await cached.reply, true);
    }
    const reply = this.validateAndRun(target, verb, fields, requestId, now, sender);
    if (remember) this.rememberReply(sender ?? "", key, { at: now, reply });
    return answer(await reply);
  }

  /** How many replies are remembered now (all senders). */
  rememberedCount(): number {
    let count = 0;
    for (const entries of this.seen.values()) count += entries.size;
    return count;
  }

  private rememberReply(sender: string, key: string, entry: CacheEntry): void {
    let entries = this.seen.get(sender);
    if (!entries) {
      entries = new Map();
      this.seen.set(sender, entries);
    }
    entries.set(key, entry);
    // Bounded per sender: the oldest is forgotten first (a retry that late runs as new).
    if (entries.size > MAX_REMEMBERED_PER_SENDER) {
      const oldest = entries.keys().next().value;
      if (oldest !== undefined) entries.delete(oldest);
    }
  }

  private async validateAndRun(
    target: RequestTarget,
    verb: string,
    fields: Record<string, unknown>,
    requestId: string | null,
    now: number,
    sender: string | undefined,
  ): Promise<Reply> {
    const parsed = schemaFor(target).safeParse(fields);
    if (!parsed.success) {
      // Each unknown field is an issue at its own path, so the reply names the bad field.
      const issues = parsed.error.issues.flatMap((issue) =>
        issue.code === "unrecognized_keys"
          ? issue.keys.map((key) => ({
              path: formatIssuePath([...issue.path, key]),
              message: "unknown field",
            }))
          : [{ path: issue.path.length ? formatIssuePath(issue.path) : "(payload)", message: issue.message }],
      );
      return errorReply(
        requestId,
        verb,
        "VALIDATION_FAILED",
        `invalid ${verb} request: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`,
        issues,
      );
    }
    const args = parsed.data as RequestArgs & { requestId: string; expiresAt?: string | number };
    if (args.expiresAt !== undefined) {
      const expires = typeof args.expiresAt === "number" ? args.expiresAt : Date.parse(args.expiresAt);
      if (expires < now)
        return errorReply(
          requestId,
          verb,
          "EXPIRED",
          `the request expired at ${new Date(expires).toISOString()}`,
        );
    }
    try {
      const result = await this.run(target, args, args.requestId, sender);
      return result.ok
        ? { requestId, verb, ok: true, result: result.result }
        : errorReply(requestId, verb, result.error.code, result.error.message, result.error.issues);
    } catch (error) {
      this.log.error(`request ${verb} ${requestId} failed: ${(error as Error).stack ?? String(error)}`);
      return errorReply(requestId, verb, "INTERNAL_ERROR", "the controller could not run the request");
    }
  }

  private prune(now: number): void {
    // Map iteration is in insertion order, which is time order within a sender.
    for (const [sender, entries] of this.seen) {
      for (const [key, entry] of entries) {
        if (now - entry.at < this.dedupeMs) break;
        entries.delete(key);
      }
      if (entries.size === 0) this.seen.delete(sender);
    }
  }
}
