// Whether the system clock is synchronised, as far as the system can say without native code.
// A Raspberry Pi has no battery clock (the Pi 5 has one only with a battery fitted): it boots
// with the time fake-hwclock saved at shutdown, or 1970, until NTP has answered.
//
// Sources, first that answers wins:
// - systemd-timesyncd (Raspberry Pi OS default) touches /run/systemd/timesync/synchronized each
//   time it synchronises (systemd-timesyncd.service(8)); the file is on tmpfs, so it is fresh
//   every boot.
// - `timedatectl show -p NTPSynchronized --value` asks systemd-timedated, which reads the kernel's
//   sync flag (adjtimex), so it also covers chrony and ntpd.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";

export type ClockSyncState = "synchronised" | "unsynchronised" | "unknown";

export interface ClockSyncSource {
  readonly name: string;
  check(): Promise<ClockSyncState>;
}

export const TIMESYNCD_FLAG = "/run/systemd/timesync/synchronized";

/** systemd-timesyncd's flag file: present = synchronised this boot; absent = not (yet). */
export function timesyncdSource(flag = TIMESYNCD_FLAG, exists = existsSync): ClockSyncSource {
  return {
    name: "systemd-timesyncd",
    check: async () => (exists(flag) ? "synchronised" : "unsynchronised"),
  };
}

type ExecFile = (
  file: string,
  args: string[],
  options: { timeout: number },
  callback: (error: Error | null, stdout: string) => void,
) => unknown;

/** timedatectl's NTPSynchronized property: "yes" / "no"; anything else (no systemd) is unknown. */
export function timedatectlSource(run: ExecFile = execFile as unknown as ExecFile): ClockSyncSource {
  return {
    name: "timedatectl",
    check: () =>
      new Promise((resolve) => {
        run("timedatectl", ["show", "-p", "NTPSynchronized", "--value"], { timeout: 5000 }, (error, out) => {
          if (error) return resolve("unknown");
          const value = String(out).trim();
          resolve(value === "yes" ? "synchronised" : value === "no" ? "unsynchronised" : "unknown");
        });
      }),
  };
}

/**
 * Asks each source in turn; the first definite answer wins. All unknown means this system cannot
 * say (a container, a developer's machine without systemd).
 */
export function firstAnswer(sources: readonly ClockSyncSource[]): ClockSyncSource {
  return {
    name: sources.map((s) => s.name).join(", "),
    async check() {
      for (const source of sources) {
        const state = await source.check().catch((): ClockSyncState => "unknown");
        if (state !== "unknown") return state;
      }
      return "unknown";
    },
  };
}

/**
 * The default on Linux: timesyncd's flag when timesyncd runs here (its state folder exists),
 * then timedatectl.
 */
export function systemClockSyncSource(): ClockSyncSource {
  const sources: ClockSyncSource[] = [];
  if (existsSync("/run/systemd/timesync")) sources.push(timesyncdSource());
  sources.push(timedatectlSource());
  return firstAnswer(sources);
}
