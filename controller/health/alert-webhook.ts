// Sends alerts to IT support's HTTP endpoint as JSON POSTs, one at a time and in order. An endpoint
// that is down loses nothing: the same alert is retried with backoff until it gets a 2xx, and only
// a full queue drops anything (the oldest first, with a warning). With a store (the office's is a
// file in the data folder, webhook-queue-file.ts) the queue survives a restart: an alert leaves
// the store only once the endpoint answered 2xx, so a crash in between sends it again (at least
// once, never lost).
import type { WebhookConfig } from "./alerts-schema.js";
import type { Logger } from "./log.js";
import type { WebhookQueueStore } from "./webhook-queue-file.js";

export interface WebhookTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface WebhookStats {
  /** Alerts not yet delivered, including the one being posted. */
  queued: number;
  delivered: number;
  failedAttempts: number;
  dropped: number;
}

export interface WebhookSenderOptions {
  config: WebhookConfig;
  log: Logger;
  fetch?: typeof fetch;
  timers?: WebhookTimers;
  /** In [0, 1): the jitter of each backoff delay. */
  random?: () => number;
  /** Keeps the queue across restarts; loaded at construction. Without it the queue is memory only. */
  store?: WebhookQueueStore;
}

const FIRST_BACKOFF_MS = 1000;

// Unref'd so a pending retry never keeps a stopping process alive.
const realTimers: WebhookTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** An object, not the bare string: two equal alerts are still two items to deliver. */
interface Item {
  /** Increasing; the store's key. */
  id: number;
  body: string;
}

export class WebhookSender {
  private readonly config: WebhookConfig;
  private readonly log: Logger;
  private readonly fetch: typeof fetch;
  private readonly timers: WebhookTimers;
  private readonly random: () => number;
  private readonly store: WebhookQueueStore | null;
  /** Where log lines say alerts go: the origin only, since paths and queries often hold tokens. */
  private readonly target: string;

  private readonly queue: Item[] = [];
  private inFlight: Item | null = null;
  private abort: AbortController | null = null;
  private retryTimer: unknown = null;
  /** Failed attempts since the last delivery: sets the backoff, and says when to log recovery. */
  private streak = 0;
  private closed = false;
  private nextId = 1;
  private delivered = 0;
  private failedAttempts = 0;
  private dropped = 0;

  constructor(options: WebhookSenderOptions) {
    this.config = options.config;
    this.log = options.log;
    const fetchFn = options.fetch ?? globalThis.fetch;
    this.fetch = (input, init) => fetchFn(input, init);
    this.timers = options.timers ?? realTimers;
    this.random = options.random ?? Math.random;
    this.target = originOf(options.config.url);
    this.store = options.store ?? null;
    const kept = this.store?.load() ?? [];
    this.nextId = (kept.at(-1)?.id ?? 0) + 1;
    // maxQueued may have been lowered since: the oldest go, as when the queue fills.
    const excess = kept.splice(0, Math.max(0, kept.length - this.config.maxQueued));
    for (const alert of excess) this.store?.remove(alert.id);
    this.dropped = excess.length;
    if (excess.length > 0)
      this.log.warn(
        `webhook ${this.target}: ${excess.length} alert(s) from before the restart dropped, ` +
          `more than maxQueued (${this.config.maxQueued})`,
      );
    for (const alert of kept) this.queue.push({ id: alert.id, body: alert.body });
    if (kept.length > 0) {
      this.log.info(`webhook ${this.target}: ${kept.length} alert(s) from before the restart to deliver`);
      this.pump();
    }
  }

  /** Queues one alert for delivery. Never throws: alerting must not break what raised the alert. */
  send(body: object): void {
    if (this.closed) return;
    let json: string;
    try {
      json = JSON.stringify(body);
    } catch (error) {
      this.log.error(`webhook: an alert could not be encoded as JSON: ${(error as Error).message}`);
      return;
    }
    if (this.queue.length >= this.config.maxQueued) this.dropOldest();
    const item = { id: this.nextId++, body: json };
    this.queue.push(item);
    this.store?.add(item);
    this.pump();
  }

  stats(): WebhookStats {
    return {
      queued: this.queue.length,
      delivered: this.delivered,
      failedAttempts: this.failedAttempts,
      dropped: this.dropped,
    };
  }

  /** Stops retrying and aborts a POST under way. Alerts still queued stay in the store, if any. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.retryTimer !== null) this.timers.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.abort?.abort();
    this.store?.close();
    if (this.queue.length > 0)
      this.log.warn(
        `webhook ${this.target}: ${this.queue.length} alert(s) not delivered at shutdown` +
          (this.store ? ", kept for the next start" : ""),
      );
  }

  /** The oldest alert not being posted right now: a POST under way may already have arrived. */
  private dropOldest(): void {
    const index = this.queue[0] !== undefined && this.queue[0] === this.inFlight ? 1 : 0;
    const [dropped] = this.queue.splice(index, 1);
    if (dropped === undefined) return;
    this.store?.remove(dropped.id);
    this.dropped++;
    this.log.warn(
      `webhook ${this.target}: queue full (${this.config.maxQueued}), dropped the oldest alert ` +
        `(${this.dropped} dropped so far)`,
    );
  }

  private pump(): void {
    if (this.closed || this.inFlight !== null || this.retryTimer !== null) return;
    const item = this.queue[0];
    if (item === undefined) return;
    this.inFlight = item;
    void this.post(item);
  }

  private async post(item: Item): Promise<void> {
    const abort = new AbortController();
    this.abort = abort;
    let failure: string | null = null;
    try {
      const headers = new Headers({ "content-type": "application/json" });
      for (const [name, value] of Object.entries(this.config.headers)) headers.set(name, value);
      const response = await this.fetch(this.config.url, {
        method: "POST",
        headers,
        body: item.body,
        // A redirect would turn the POST into a GET without the alert: report it instead.
        redirect: "manual",
        signal: AbortSignal.any([abort.signal, AbortSignal.timeout(this.config.timeoutMs)]),
      });
      // Free the connection; the endpoint's answer carries nothing we use.
      await response.body?.cancel().catch(() => {});
      if (!response.ok) failure = `HTTP ${response.status}`;
    } catch (error) {
      failure = describeError(error, this.config.timeoutMs);
    }
    this.inFlight = null;
    this.abort = null;
    if (this.closed) return;
    if (failure === null) this.succeeded(item);
    else this.failed(failure);
  }

  private succeeded(item: Item): void {
    if (this.queue[0] === item) this.queue.shift();
    this.store?.remove(item.id);
    this.delivered++;
    if (this.streak > 0)
      this.log.info(`webhook ${this.target}: delivering again after ${this.streak} failed attempt(s)`);
    this.streak = 0;
    this.pump();
  }

  private failed(reason: string): void {
    this.failedAttempts++;
    this.streak++;
    // Full jitter: anywhere up to the capped exponential delay, so senders do not retry in step.
    const cap = Math.min(this.config.maxBackoffMs, FIRST_BACKOFF_MS * 2 ** (this.streak - 1));
    const delay = Math.floor(this.random() * cap);
    // Not a line per retry (retries go on for as long as the endpoint is down), but not silence.
    if (this.streak === 1 || this.streak % 10 === 0)
      this.log.warn(
        `webhook ${this.target}: POST failed (${reason}, ${this.streak} in a row); retrying, alerts kept in order`,
      );
    this.retryTimer = this.timers.setTimeout(() => {
      this.retryTimer = null;
      this.pump();
    }, delay);
  }
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "(invalid url)";
  }
}

function describeError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error || error instanceof DOMException) {
    if (error.name === "TimeoutError") return `timed out after ${timeoutMs} ms`;
    if (error.name === "AbortError") return "aborted";
    const cause = (error as Error & { cause?: { code?: unknown; message?: unknown } }).cause;
    if (typeof cause?.code === "string") return cause.code;
    if (typeof cause?.message === "string") return cause.message;
    return error.message;
  }
  return String(error);
}
