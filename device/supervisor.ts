// The supervision loop the drivers share: connect -> open -> (lost) -> backoff -> reconnect, for
// ever until stop(). The supervisor owns the phase, the session id, the backoff attempt and the
// reopen timer; the driver owns its link and is told, through hooks, when to connect and when a
// session ended.

import { backoffDelay } from "./health.js";
import { realTimers, type Timers } from "./timers.js";
import type { ByteTransport } from "./transport.js";

export type SupervisorPhase = "stopped" | "connecting" | "open" | "backoff";

/** The options every supervised driver takes; defaults in `supervisionDefaults`. */
export interface SupervisionOptions {
  clock?: () => number;
  random?: () => number;
  timers?: Timers;
  backoffInitialMs?: number;
  backoffMaxMs?: number;
}

export type SupervisionSettings = Required<SupervisionOptions>;

export function supervisionDefaults(options: SupervisionOptions): SupervisionSettings {
  return {
    clock: options.clock ?? Date.now,
    random: options.random ?? Math.random,
    timers: options.timers ?? realTimers,
    backoffInitialMs: options.backoffInitialMs ?? 500,
    backoffMaxMs: options.backoffMaxMs ?? 30_000,
  };
}

export interface SupervisorHooks {
  /**
   * One connection attempt for `session` (the phase is "connecting"): call opened() once up, or
   * failed(session, ...) if not; a session that is no longer current was stopped meanwhile.
   */
  connect(session: number): Promise<void>;
  /** connect() rejected: nothing is expected to throw there, so treat it as a loss, never crash. */
  onConnectError(error: Error): void;
  /** The open session was lost (the session id has moved on): release it and report it; backoff follows. */
  onLost(reason: string, closeTransport: boolean): void;
  /** A connection attempt failed: report it; backoff follows. `fault` is the driver's own code. */
  onFailed(reason: string, fault?: string): void;
}

export class TransportSupervisor {
  readonly #o: SupervisionSettings;
  readonly #hooks: SupervisorHooks;
  #phase: SupervisorPhase = "stopped";
  /** Bumped on every (re)open and loss, so late continuations of an old session do nothing. */
  #session = 0;
  #attempt = 0;
  #reopenTimer: unknown = null;
  /** The last transport's wish for the longest reopen wait (ByteTransport.reopenCapMs). */
  #reopenCapMs: number | undefined;
  #reconnects = 0;

  constructor(settings: SupervisionSettings, hooks: SupervisorHooks) {
    this.#o = settings;
    this.#hooks = hooks;
  }

  get phase(): SupervisorPhase {
    return this.#phase;
  }

  get session(): number {
    return this.#session;
  }

  /** Reopens after the first one. */
  get reconnects(): number {
    return this.#reconnects;
  }

  isCurrent(session: number): boolean {
    return session === this.#session;
  }

  /** Starts connecting, unless already started. */
  start(): void {
    if (this.#phase !== "stopped") return;
    this.#reconnect();
  }

  /**
   * Stops for good: ends the session and cancels a pending reopen. Returns the phase it was in
   * ("stopped" if it already was: nothing else happens then).
   */
  stop(): SupervisorPhase {
    const was = this.#phase;
    if (was === "stopped") return was;
    this.#phase = "stopped";
    this.#session++;
    this.#o.timers.clearTimeout(this.#reopenTimer);
    this.#reopenTimer = null;
    return was;
  }

  /**
   * The usual attempt over a ByteTransport, for connect(): opens it, then marks the session open
   * and runs `whenOpen` at once. A failure to open goes to failed(); a session stopped meanwhile
   * closes the transport again.
   */
  async openTransport(session: number, transport: ByteTransport, whenOpen: () => unknown): Promise<void> {
    this.#reopenCapMs = transport.reopenCapMs;
    try {
      await transport.open();
    } catch (error) {
      return this.failed(session, (error as Error).message);
    }
    if (session !== this.#session) {
      await transport.close().catch(() => {}); // stopped while opening
      return;
    }
    this.opened();
    await whenOpen();
  }

  /** The attempt succeeded: the session is open. */
  opened(): void {
    this.#phase = "open";
  }

  /** The device answers: the next loss starts the backoff from the bottom again. */
  resetBackoff(): void {
    this.#attempt = 0;
  }

  /** The open session went away; ignored unless open (a loss while backing off or stopped). */
  lose(reason: string, closeTransport = false): void {
    if (this.#phase !== "open") return;
    this.#session++;
    this.#hooks.onLost(reason, closeTransport);
    this.#scheduleReopen();
  }

  /** The attempt for `session` failed; ignored if it is no longer the current one, or stopped. */
  failed(session: number, reason: string, fault?: string): void {
    if (session !== this.#session || this.#phase === "stopped") return;
    this.#hooks.onFailed(reason, fault);
    this.#scheduleReopen();
  }

  #reconnect(): void {
    const session = ++this.#session;
    this.#phase = "connecting";
    this.#hooks.connect(session).catch((error: Error) => this.#hooks.onConnectError(error));
  }

  #scheduleReopen(): void {
    if (this.#phase === "stopped") return;
    this.#phase = "backoff";
    const { random, backoffInitialMs, backoffMaxMs } = this.#o;
    const cap = Math.min(backoffMaxMs, this.#reopenCapMs ?? backoffMaxMs);
    const delay = backoffDelay(this.#attempt++, random, Math.min(backoffInitialMs, cap), cap);
    this.#reopenTimer = this.#o.timers.setTimeout(() => {
      this.#reopenTimer = null;
      this.#reconnects++;
      this.#reconnect();
    }, delay);
  }
}
