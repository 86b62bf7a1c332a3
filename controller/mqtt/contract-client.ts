// A client of the contract, for the CLI and tests: sends a request and waits for its reply.
import { randomBytes } from "node:crypto";
import { type Reply, replySchema } from "../../protocols/mqtt/schemas.js";
import { officeTopics, type RequestTarget } from "../../protocols/mqtt/topics.js";
import { connectMqtt, type MqttConnection, type MqttConnectOptions } from "./transport.js";

export class RequestTimeoutError extends Error {
  readonly code = "REQUEST_TIMEOUT";
}

/** The broker refused the connection or went away before the client was ready. */
export class BrokerUnreachableError extends Error {
  readonly code = "BROKER_UNREACHABLE";
  constructor(readonly reason: string) {
    super(`cannot reach the broker: ${reason}`);
  }
}

export class ContractClient {
  private readonly pending = new Map<string, (reply: Reply) => void>();
  private readonly replyTopic: string;
  private readonly ready: Promise<void>;

  private constructor(
    private readonly connection: MqttConnection,
    office: string,
    private readonly username: string | undefined,
    clientTag: string,
  ) {
    const topics = officeTopics(office);
    this.topics = topics;
    // Replies go to the sender's own inbox, replies/{username}/: the only place a reply to it may go.
    this.replyTopic = `${topics.replies}${username ?? "anonymous"}/${clientTag}`;
    connection.onMessage((message) => {
      if (message.topic !== this.replyTopic) return;
      let reply: Reply;
      try {
        reply = replySchema.parse(JSON.parse(message.payload.toString("utf8")));
      } catch {
        return;
      }
      if (reply.requestId === null) return;
      this.pending.get(reply.requestId)?.(reply);
    });
    this.ready = new Promise((resolve, reject) => {
      connection.onConnect(() => {
        connection.subscribe([this.replyTopic], 1).then(resolve, reject);
      });
      connection.onDisconnect((reason) => reject(new BrokerUnreachableError(reason)));
      connection.onConnectError((reason) => reject(new BrokerUnreachableError(reason)));
    });
    // Awaited by request(); a failure before the first request must not be an unhandled rejection.
    this.ready.catch(() => {});
  }

  readonly topics: ReturnType<typeof officeTopics>;

  static connect(options: MqttConnectOptions & { office: string }): ContractClient {
    const tag = randomBytes(4).toString("hex");
    return new ContractClient(
      connectMqtt({ reconnectPeriodMs: 0, ...options }),
      options.office,
      options.username,
      tag,
    );
  }

  /** Sends a request and resolves with its reply (ok or not); rejects only on timeout or no broker. */
  async request(
    target: RequestTarget,
    args: Record<string, unknown> = {},
    timeoutMs = 10_000,
  ): Promise<Reply> {
    await this.ready;
    const requestId = (args.requestId as string | undefined) ?? randomBytes(8).toString("hex");
    const payload = { ...args, requestId, replyTo: this.replyTopic };
    return new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        reject(
          new RequestTimeoutError(`no reply to ${target.verb} within ${timeoutMs} ms: is vooru running?`),
        );
      }, timeoutMs);
      this.pending.set(requestId, (reply) => {
        clearTimeout(timer);
        this.pending.delete(requestId);
        resolve(reply);
      });
      this.connection
        .publish(this.requestTopic(target), JSON.stringify(payload), { qos: 1 })
        .catch((error) => {
          clearTimeout(timer);
          this.pending.delete(requestId);
          reject(error);
        });
    });
  }

  /**
   * Signed in: under by/{username}/, which the broker vouches for (the generated Mosquitto ACL
   * allows nothing else); anonymous (the demo office): the plain topic, attributed by the broker.
   */
  private requestTopic(target: RequestTarget): string {
    return this.username === undefined
      ? this.topics.request(target)
      : this.topics.requestAs(target, this.username);
  }

  async close(): Promise<void> {
    await this.connection.end();
  }
}
