// Requests of the contract: parse, validate, refuse expired ones, answer a repeated requestId with
// its first reply, and run the rest. Whatever a client sends, the answer is a reply, never a throw.
import type { z } from "zod";
import {
  counterRequestSchemas,
  deskRequestSchemas,
  type ErrorCode,
  type Reply,
  simRequestSchemas,
  systemRequestSchemas,
} from "../../protocols/mqtt/schemas.js";
import {
  isAllowedReplyTopic,
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
}

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
  private readonly seen = new Map<string, CacheEntry>();

  constructor(
    private readonly base: string,
    private readonly run: (
      target: RequestTarget,
      args: RequestArgs,
      requestId: string,
    ) => Promise<ActionResult>,
    private readonly clock: () => number,
    private readonly dedupeMs: number,
    private readonly log: Logger,
  ) {}

  async handle(request: IncomingRequest): Promise<RequestOutcome> {
    const verb = "unknownVerb" in request.target ? request.target.unknownVerb : request.target.verb;
    // An MQTT 5 response topic is held to the same rule as replyTo.
    const responseTopic =
      request.responseTopic !== undefined && isAllowedReplyTopic(this.base, request.responseTopic)
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
    const requestId =
      typeof fields.requestId === "string" && fields.requestId.length > 0 ? fields.requestId : null;
    if (typeof fields.replyTo === "string") {
      if (isAllowedReplyTopic(this.base, fields.replyTo)) replyTopic = fields.replyTo;
      else
        return answer(
          errorReply(requestId, verb, "VALIDATION_FAILED", "replyTo is not a topic replies may go to", [
            {
              path: "replyTo",
              message: `must have no wildcards and not be a state, event or request topic of vooru`,
            },
          ]),
        );
    }
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
    const now = this.clock();
    this.prune(now);
    if (requestId !== null) {
      const cached = this.seen.get(requestId);
      if (cached) return answer(await cached.reply, true);
    }
    const reply = this.validateAndRun(target, verb, fields, requestId, now);
    if (requestId !== null) this.seen.set(requestId, { at: now, reply });
    return answer(await reply);
  }

  private async validateAndRun(
    target: RequestTarget,
    verb: string,
    fields: Record<string, unknown>,
    requestId: string | null,
    now: number,
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
      const result = await this.run(target, args, args.requestId);
      return result.ok
        ? { requestId, verb, ok: true, result: result.result }
        : errorReply(requestId, verb, result.error.code, result.error.message);
    } catch (error) {
      this.log.error(`request ${verb} ${requestId} failed: ${(error as Error).stack ?? String(error)}`);
      return errorReply(requestId, verb, "INTERNAL_ERROR", "the controller could not run the request");
    }
  }

  private prune(now: number): void {
    // Map iteration is in insertion order, which is time order here.
    for (const [id, entry] of this.seen) {
      if (now - entry.at < this.dedupeMs) break;
      this.seen.delete(id);
    }
  }
}
