// Slows down password guessing at the embedded broker (MQTT over TCP and over the pages'
// WebSocket alike). Pure: the clock is injected, the broker applies the delays and refusals.
//
// The rule, per client address, over a sliding window:
//   - the first FREE_FAILURES wrong logins are answered at once;
//   - after that each attempt from the address waits, doubling from BASE_DELAY_MS up to MAX_DELAY_MS;
//   - at LOCK_FAILURES the address is locked for LOCK_MS: every login from it is refused unchecked.
// Per username, over all addresses: after USER_SLOW_FAILURES wrong logins within the window every
// attempt for that name waits USER_DELAY_MS. The name is never locked, so a guesser cannot lock the
// real user out; it only pays the delay, while the guesser's own address locks.

export const WINDOW_MS = 15 * 60_000;
export const FREE_FAILURES = 3;
export const BASE_DELAY_MS = 500;
export const MAX_DELAY_MS = 8_000;
export const LOCK_FAILURES = 10;
export const LOCK_MS = 15 * 60_000;
export const USER_SLOW_FAILURES = 10;
export const USER_DELAY_MS = 1_000;
/** Addresses and names remembered at most: a flood of fresh addresses cannot grow the heap. */
export const MAX_TRACKED = 10_000;

/** The rule's numbers; tests shrink the delays, the product uses the defaults above. */
export interface LoginPolicy {
  windowMs: number;
  freeFailures: number;
  baseDelayMs: number;
  maxDelayMs: number;
  lockFailures: number;
  lockMs: number;
  userSlowFailures: number;
  userDelayMs: number;
}

export const DEFAULT_LOGIN_POLICY: LoginPolicy = {
  windowMs: WINDOW_MS,
  freeFailures: FREE_FAILURES,
  baseDelayMs: BASE_DELAY_MS,
  maxDelayMs: MAX_DELAY_MS,
  lockFailures: LOCK_FAILURES,
  lockMs: LOCK_MS,
  userSlowFailures: USER_SLOW_FAILURES,
  userDelayMs: USER_DELAY_MS,
};

export interface LoginLock {
  address: string;
  /** Epoch ms when the lock ends. */
  until: number;
  failures: number;
  usernames: string[];
}

export type LoginVerdict = { kind: "check"; delayMs: number } | { kind: "locked"; until: number };

interface Failures {
  /** Times of the failures within the window, oldest first. */
  times: number[];
  usernames: Set<string>;
  lockedUntil?: number;
}

export class LoginGuard {
  private readonly byAddress = new Map<string, Failures>();
  private readonly byUsername = new Map<string, number[]>();
  private readonly listeners = new Set<(locks: LoginLock[]) => void>();

  private readonly policy: LoginPolicy;

  constructor(
    private readonly clock: () => number,
    policy: Partial<LoginPolicy> = {},
  ) {
    this.policy = { ...DEFAULT_LOGIN_POLICY, ...policy };
  }

  /** Called with every active lock whenever a lock starts or ends. */
  onLocksChange(listener: (locks: LoginLock[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** What to do with a login attempt before its password is checked. */
  before(address: string, username: string): LoginVerdict {
    const now = this.clock();
    // Only this address and name are brought up to date: every login must not walk the whole
    // table (the 30 s expire() timer does that).
    const entry = this.byAddress.get(address);
    if (entry?.lockedUntil !== undefined) {
      if (entry.lockedUntil > now) return { kind: "locked", until: entry.lockedUntil };
      this.byAddress.delete(address);
      this.emit();
    } else if (entry) dropOlder(entry.times, now - this.policy.windowMs);
    const userTimes = this.byUsername.get(username);
    if (userTimes) dropOlder(userTimes, now - this.policy.windowMs);
    const p = this.policy;
    const failures = this.byAddress.get(address)?.times.length ?? 0;
    const addressDelay =
      failures < p.freeFailures
        ? 0
        : Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** (failures - p.freeFailures));
    const userDelay = (userTimes?.length ?? 0) >= p.userSlowFailures ? p.userDelayMs : 0;
    return { kind: "check", delayMs: Math.max(addressDelay, userDelay) };
  }

  /** A wrong username or password from `address`. */
  failed(address: string, username: string): void {
    const now = this.clock();
    let entry = this.byAddress.get(address);
    if (!entry) {
      entry = { times: [], usernames: new Set() };
      this.remember(this.byAddress, address, entry);
    }
    entry.times.push(now);
    if (entry.usernames.size < 20) entry.usernames.add(username);
    const times = this.byUsername.get(username) ?? [];
    times.push(now);
    this.remember(this.byUsername, username, times);
    if (entry.lockedUntil === undefined && entry.times.length >= this.policy.lockFailures) {
      entry.lockedUntil = now + this.policy.lockMs;
      this.emit();
    }
  }

  /** A good login: the address's own failures are forgiven (not the name's). */
  succeeded(address: string): void {
    const entry = this.byAddress.get(address);
    if (entry && entry.lockedUntil === undefined) this.byAddress.delete(address);
  }

  locks(): LoginLock[] {
    const locks: LoginLock[] = [];
    for (const [address, entry] of this.byAddress)
      if (entry.lockedUntil !== undefined)
        locks.push({
          address,
          until: entry.lockedUntil,
          failures: entry.times.length,
          usernames: [...entry.usernames],
        });
    return locks;
  }

  /** Ends locks and forgets failures older than the window; call it now and then (a timer). */
  expire(now = this.clock()): void {
    let unlocked = false;
    for (const [address, entry] of this.byAddress) {
      if (entry.lockedUntil !== undefined) {
        if (entry.lockedUntil > now) continue;
        unlocked = true;
        this.byAddress.delete(address);
        continue;
      }
      dropOlder(entry.times, now - this.policy.windowMs);
      if (entry.times.length === 0) this.byAddress.delete(address);
    }
    for (const [username, times] of this.byUsername) {
      dropOlder(times, now - this.policy.windowMs);
      if (times.length === 0) this.byUsername.delete(username);
    }
    if (unlocked) this.emit();
  }

  private remember<V>(map: Map<string, V>, key: string, value: V): void {
    map.delete(key);
    map.set(key, value);
    // The least recently failed goes first; a lock is kept even then.
    for (const [oldKey, oldValue] of map) {
      if (map.size <= MAX_TRACKED) break;
      if ((oldValue as Partial<Failures>).lockedUntil !== undefined) continue;
      map.delete(oldKey);
    }
  }

  private emit(): void {
    const locks = this.locks();
    for (const listener of this.listeners) listener(locks);
  }
}

function dropOlder(times: number[], cutoff: number): void {
  let drop = 0;
  while (drop < times.length && (times[drop] as number) < cutoff) drop++;
  if (drop > 0) times.splice(0, drop);
}
