// The LOGIN_LOCKED alert: raised while the embedded broker refuses logins from an address that
// guessed wrong too often (login-guard.ts), cleared when the last lock ends.
import type { HealthBoard } from "../health/health-board.js";
import type { LoginLock } from "./login-guard.js";

/** The alert's device: logins are the broker's, not any device's. */
export const LOGIN_ALERT_DEVICE = "mqtt-logins";

/** One lock in words, for the alert and the log: "10 wrong passwords for desk; until 14:05 UTC". */
export function describeLock(lock: LoginLock): string {
  const until = new Date(lock.until).toISOString().slice(11, 16);
  return `${lock.failures} wrong passwords for ${lock.usernames.join(", ")}; until ${until} UTC`;
}

export function reportLoginLocks(health: Pick<HealthBoard, "raise" | "clear">, locks: LoginLock[]): void {
  // One alert names every locked address; cleared and raised again so its text says them all.
  health.clear(LOGIN_ALERT_DEVICE, "LOGIN_LOCKED");
  if (locks.length === 0) return;
  const which = locks.map((l) => `${l.address} (${describeLock(l)})`).join("; ");
  health.raise({
    device: LOGIN_ALERT_DEVICE,
    code: "LOGIN_LOCKED",
    severity: "warning",
    message: `MQTT and page sign-ins locked from ${which}: someone may be guessing passwords, or a counter PC or device there has an old one. Find the machine at that address; the lock ends by itself.`,
  });
}
