// The shipped systemd unit and udev rules: the keys that make vooru restartable and unprivileged
// are there (always checked), and systemd itself accepts the unit (systemd-analyze verify, where
// installed).
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../../controller/config/package-root.js";

const unitPath = join(packageRoot(), "deploy/systemd/vooru.service");
const rulesPath = join(packageRoot(), "deploy/udev/60-vooru.rules");
const run = promisify(execFile);

/** section -> key -> values (a key may repeat). Comments and blank lines are skipped. */
function parseUnit(text: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | undefined;
  for (const [i, raw] of text.split("\n").entries()) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const section = /^\[(\w+)\]$/.exec(line);
    if (section?.[1]) {
      current = new Map();
      sections.set(section[1], current);
      continue;
    }
    const kv = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (!kv?.[1] || kv[2] === undefined || !current)
      throw new Error(`line ${i + 1} is not key=value: ${raw}`);
    current.set(kv[1], [...(current.get(kv[1]) ?? []), kv[2]]);
  }
  return sections;
}

describe("deploy/systemd/vooru.service", () => {
  const unit = parseUnit(readFileSync(unitPath, "utf8"));
  const service = unit.get("Service") ?? new Map<string, string[]>();
  const one = (key: string) => service.get(key)?.at(-1);

  it("is a notify service with a watchdog, restarted for ever", () => {
    expect([...unit.keys()]).toEqual(["Unit", "Service", "Install"]);
    expect(one("Type")).toBe("notify");
    // systemd-notify is a child of node: only "all" accepts its messages (controller/systemd/notify.ts).
    expect(one("NotifyAccess")).toBe("all");
    expect(one("WatchdogSec")).toMatch(/^\d+s$/);
    expect(one("Restart")).toBe("always");
    expect(one("RestartSec")).toMatch(/^\d+s$/);
    expect(unit.get("Unit")?.get("StartLimitIntervalSec")).toEqual(["0"]);
    expect(unit.get("Install")?.get("WantedBy")).toEqual(["multi-user.target"]);
  });

  it("runs as vooru with its device groups, data under /var/lib/vooru, logs to journald", () => {
    expect(one("User")).toBe("vooru");
    expect(one("Group")).toBe("vooru");
    expect(one("SupplementaryGroups")?.split(" ").sort()).toEqual([
      "dialout",
      "gpio",
      "i2c",
      "lp",
      "plugdev",
    ]);
    expect(one("StateDirectory")).toBe("vooru");
    expect(one("ExecStart")).toBe(
      "/usr/bin/node /opt/vooru/bin/vooru.js start --config /etc/vooru/office.yaml --data-dir /var/lib/vooru",
    );
    expect(one("StandardError")).toBe("journal");
  });

  it("is hardened, without a device allow-list that would refuse hot-plugged adapters", () => {
    expect(one("NoNewPrivileges")).toBe("yes");
    expect(one("ProtectSystem")).toBe("strict");
    expect(one("ReadWritePaths")).toBe("/var/lib/vooru");
    expect(one("PrivateTmp")).toBe("yes");
    // DeviceAllow= (also implied by ProtectClock= on systemd 252) is fixed at start: see the unit.
    for (const key of ["DeviceAllow", "DevicePolicy", "PrivateDevices", "ProtectClock"])
      expect(service.has(key), key).toBe(false);
  });

  it.skipIf(!hasSystemdAnalyze())(
    "systemd-analyze verify accepts it (skipped where systemd-analyze is missing)",
    async () => {
      // A copy whose ExecStart names this machine's node: verify checks that the binary exists.
      const dir = mkdtempSync(join(tmpdir(), "vooru-unit-"));
      try {
        const copy = join(dir, "vooru.service");
        writeFileSync(copy, readFileSync(unitPath, "utf8").replace("/usr/bin/node ", `${process.execPath} `));
        const { stdout, stderr } = await run("systemd-analyze", ["verify", copy], { timeout: 30_000 }).catch(
          (error: { stdout: string; stderr: string; message: string }) => {
            throw new Error(
              `systemd-analyze verify failed:\n${error.stderr || error.stdout || error.message}`,
            );
          },
        );
        expect(`${stdout}${stderr}`.split("\n").filter((l) => l.includes("vooru.service"))).toEqual([]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});

function hasSystemdAnalyze(): boolean {
  try {
    return readFileSync("/usr/bin/systemd-analyze").length > 0;
  } catch {
    return false;
  }
}

describe("deploy/udev/60-vooru.rules", () => {
  const rules = readFileSync(rulesPath, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "" && !l.startsWith("#"));

  it("every rule matches and assigns with known keys", () => {
    for (const rule of rules) {
      const pairs = rule
        .split(/,\s*/)
        .map((p) => /^([A-Z]+(?:\{[^}]+\})?)(==|!=|\+=|=)"[^"]*"$/.exec(p.trim()));
      expect(pairs.every(Boolean), rule).toBe(true);
      const keys = pairs.map((m) => `${m?.[1]?.replace(/\{.*\}/, "{}")}${m?.[2]}`);
      expect(
        keys.some((k) => k.endsWith("==")),
        rule,
      ).toBe(true);
      expect(
        keys.some((k) => /^(GROUP|MODE|SYMLINK)\+?=$/.test(k)),
        rule,
      ).toBe(true);
      for (const k of keys)
        expect(
          ["SUBSYSTEM==", "KERNEL==", "KERNELS==", "ATTRS{}==", "GROUP=", "MODE=", "SYMLINK+="],
          rule,
        ).toContain(k);
    }
  });

  it("gives X-keys, USB printers, USB-serial adapters, GPIO and I2C to vooru's groups", () => {
    const text = rules.join("\n");
    expect(text).toMatch(/SUBSYSTEM=="hidraw", ATTRS\{idVendor\}=="05f3", GROUP="plugdev", MODE="0660"/);
    expect(text).toMatch(/SUBSYSTEM=="usbmisc", KERNEL=="lp\[0-9\]\*", GROUP="lp", MODE="0660"/);
    expect(text).toContain('SYMLINK+="vooru/usb-printer-$attr{serial}"');
    expect(text).toMatch(
      /SUBSYSTEM=="tty", ATTRS\{idVendor\}=="0403\|1a86\|10c4\|067b\|2341\|2a03", GROUP="dialout"/,
    );
    expect(text).toMatch(/SUBSYSTEM=="gpio", .*GROUP="gpio"/);
    expect(text).toMatch(/SUBSYSTEM=="i2c-dev", .*GROUP="i2c"/);
  });
});
