// Fake libgpiod tools (gpiomon, gpioget, gpioset, gpiodetect) for a machine with no GPIO chip: small
// node scripts in a temp dir that parse their arguments as the real v1 (1.6) or v2 (2.x) tools do
// (refusing what those would refuse), print in the real formats (gpiomon's -F specifiers as
// event_print_custom / event_print_formatted expand them; v1 without -b keeps events in its stdio
// buffer, as a piped v1 gpiomon does), and hold lines as the kernel does (a line held by another
// process is busy). The chips are those of a Pi 5 on an older kernel: gpiochip4 is pinctrl-rp1.
import {
  appendFileSync,
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const SCRIPT = String.raw`
const fs = require("node:fs");
const path = require("node:path");
const dir = path.dirname(process.argv[1]);
const tool = path.basename(process.argv[1]);
const args = process.argv.slice(2);
const MAJOR = Number(fs.readFileSync(path.join(dir, "major"), "utf8"));
fs.appendFileSync(path.join(dir, "calls.jsonl"), JSON.stringify({ tool, args }) + "\n");
const CHIPS = [
  { name: "gpiochip0", label: "gpio-brcmstb@107d508500", lines: 32 },
  { name: "gpiochip4", label: "pinctrl-rp1", lines: 54 },
];
function die(msg) { process.stderr.write(tool + ": " + msg + "\n"); process.exit(1); }
function findChip(id) {
  const c = CHIPS.find((c) => c.name === id || "/dev/" + c.name === id || "gpiochip" + id === c.name ||
    (MAJOR === 1 && c.label === id));
  if (!c) die(MAJOR === 1 ? "unable to open " + id + ": No such file or directory"
    : "cannot find GPIO chip character device '" + id + "'");
  return c;
}
const V1_BIAS = ["as-is", "disable", "pull-down", "pull-up"];
const V2_BIAS = ["pull-down", "pull-up", "disabled"];
function parse(valueOpts, flagOpts) {
  const o = { flags: new Set(), values: {}, rest: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (o.rest.length > 0 || !a.startsWith("-")) { o.rest.push(a); continue; }
    const [name, inline] = a.split("=");
    if (valueOpts.includes(name)) o.values[name] = inline ?? args[++i];
    else if (flagOpts.includes(name)) o.flags.add(name);
    else die("invalid option -- '" + a + "'");
  }
  return o;
}
function biasOf(o) {
  const b = o.values[MAJOR === 1 ? "-B" : "-b"];
  if (b === undefined) return "as-is";
  if (!(MAJOR === 1 ? V1_BIAS : V2_BIAS).includes(b)) die("invalid bias: " + b);
  return b;
}
function chipAndOffsets(o) {
  let chipId, rest = o.rest;
  if (MAJOR === 1) { chipId = rest[0]; rest = rest.slice(1); if (!chipId) die("gpiochip must be specified"); }
  else { chipId = o.values["-c"]; if (!chipId) die("cannot find line '" + rest[0] + "'"); }
  const chip = findChip(chipId);
  if (rest.length === 0) die("at least one GPIO line offset must be specified");
  const offsets = rest.map((r) => { const n = Number(r);
    if (!/^\d+$/.test(r) || n >= chip.lines) die("offset " + r + " is out of range on chip '" + chipId + "'");
    return n; });
  return { chip, offsets };
}
function alive(pid) { try { process.kill(pid, 0); return true; } catch { return false; } }
function hold(chip, offsets) {
  for (const off of offsets) {
    const f = path.join(dir, "held-" + chip.name + "-" + off);
    if (fs.existsSync(f) && alive(Number(fs.readFileSync(f, "utf8")))) die("unable to request lines: Device or resource busy");
  }
  for (const off of offsets) fs.writeFileSync(path.join(dir, "held-" + chip.name + "-" + off), String(process.pid));
  process.on("exit", () => { for (const off of offsets) fs.rmSync(path.join(dir, "held-" + chip.name + "-" + off), { force: true }); });
}
function level(off, bias) {
  let levels = {};
  try { levels = JSON.parse(fs.readFileSync(path.join(dir, "levels.json"), "utf8")); } catch {}
  return levels[off] ?? (bias === "pull-up" ? 1 : 0);
}
if (args[0] === "--version" || args[0] === "-v") {
  console.log(tool + " (libgpiod) v" + (MAJOR === 1 ? "1.6.3" : "2.1.3"));
  console.log("Copyright (C) 2017-2023 Bartosz Golaszewski");
  process.exit(0);
}
process.on("SIGTERM", () => process.exit(0));
process.on("SIGINT", () => process.exit(0));
if (tool === "gpiodetect") {
  for (const c of CHIPS) console.log(c.name + " [" + c.label + "] (" + c.lines + " lines)");
} else if (tool === "gpioget") {
  const o = MAJOR === 1 ? parse(["-B", "--bias"], ["-l"]) : parse(["-c", "-b", "--bias"], ["--numeric", "-l", "-a"]);
  const bias = biasOf(o);
  const { chip, offsets } = chipAndOffsets(o);
  hold(chip, offsets);
  const vals = offsets.map((off) => level(off, bias));
  if (MAJOR === 1 || o.flags.has("--numeric")) console.log(vals.join(" "));
  else console.log(offsets.map((off, i) => '"' + off + '"=' + (vals[i] ? "active" : "inactive")).join(" "));
} else if (tool === "gpiomon") {
  const o = MAJOR === 1 ? parse(["-B", "-F", "-n"], ["-b", "-l", "-s", "-r", "-f"]) : parse(["-c", "-b", "-F", "-e"], ["-l", "-q"]);
  biasOf(o);
  const { chip, offsets } = chipAndOffsets(o);
  hold(chip, offsets);
  fs.writeFileSync(path.join(dir, "gpiomon.pid"), String(process.pid));
  const fmt = o.values["-F"];
  const lineBuffered = MAJOR === 2 || o.flags.has("-b");
  let pending = "";
  const format = (off, lvl) => {
    const ns = process.hrtime.bigint();
    const sec = String(ns / 1000000000n), nsec = String(ns % 1000000000n);
    if (!fmt) return MAJOR === 1 ? "event: " + (lvl ? " RISING EDGE" : "FALLING EDGE") + " offset: " + off + " timestamp: [" + sec + "." + nsec + "]"
      : sec + "." + nsec.padStart(9, "0") + "\t" + (lvl ? "rising" : "falling") + "\t" + chip.name + " " + off;
    return fmt.replace(/%(.)/g, (_, c) => {
      if (c === "o") return String(off);
      if (c === "e") return MAJOR === 1 ? (lvl ? "1" : "0") : (lvl ? "1" : "2");
      if (MAJOR === 1 && c === "s") return sec;
      if (MAJOR === 1 && c === "n") return nsec;
      if (MAJOR === 2 && c === "E") return lvl ? "rising" : "falling";
      if (MAJOR === 2 && c === "S") return sec + "." + nsec.padStart(9, "0");
      if (c === "%") return "%";
      return "%" + c;
    });
  };
  const eventsFile = path.join(dir, "events.txt");
  let pos = fs.existsSync(eventsFile) ? fs.statSync(eventsFile).size : 0;
  setInterval(() => {
    if (fs.existsSync(path.join(dir, "die"))) die("error waiting for events: No such device");
    if (!fs.existsSync(eventsFile)) return;
    const text = fs.readFileSync(eventsFile, "utf8");
    const fresh = text.slice(pos);
    const end = fresh.lastIndexOf("\n") + 1;
    pos += end;
    for (const line of fresh.slice(0, end).split("\n")) {
      const [off, lvl] = line.split(" ").map(Number);
      if (line && offsets.includes(off)) pending += format(off, lvl) + "\n";
    }
    // stdio's full buffering of a pipe, unless line-buffered (v1 -b; v2 fflush()es every poll)
    if (pending && (lineBuffered || pending.length >= 4096)) { process.stdout.write(pending); pending = ""; }
  }, 5);
} else if (tool === "gpioset") {
  const o = MAJOR === 1 ? parse(["-B", "-D", "--mode", "-m", "-s", "-u"], ["-l", "-b"]) : parse(["-c", "-b", "-d", "-p", "-t"], ["-l", "-z"]);
  if (MAJOR === 1 && o.values["--mode"] !== "signal") die("this fake holds lines with --mode=signal only");
  const pairs = o.rest.slice(MAJOR === 1 ? 1 : 0);
  const rest = MAJOR === 1 ? [o.rest[0], ...pairs.map((p) => p.split("=")[0])] : pairs.map((p) => p.split("=")[0]);
  const { chip, offsets } = chipAndOffsets({ ...o, rest });
  if (pairs.some((p) => !/^\d+=[01]$/.test(p))) die("invalid offset<->value mapping");
  hold(chip, offsets);
  const state = Object.fromEntries(pairs.map((p) => p.split("=").map(Number)));
  fs.writeFileSync(path.join(dir, "outputs.tmp" + process.pid), JSON.stringify({ pid: process.pid, state }));
  fs.renameSync(path.join(dir, "outputs.tmp" + process.pid), path.join(dir, "outputs.json"));
  setInterval(() => {}, 1000);
} else die("unknown tool");
`;

export interface FakeLibgpiod {
  readonly dir: string;
  calls(tool?: string): string[][];
  setLevels(levels: Record<number, 0 | 1>): void;
  /** An edge on a line: what gpiomon would report (level after the edge). */
  edge(offset: number, level: 0 | 1): void;
  /** The chip goes away: a running gpiomon fails. */
  killMonitor(): void;
  /** The lines gpioset holds now, or null. */
  outputs(): Record<string, number> | null;
  /** Lines held by a live process. */
  held(): string[];
  remove(): void;
}

export function fakeLibgpiod(major: 1 | 2): FakeLibgpiod {
  const dir = mkdtempSync(join(tmpdir(), `vooru-gpiod-v${major}-`));
  writeFileSync(join(dir, "major"), String(major));
  for (const tool of ["gpiomon", "gpioget", "gpioset", "gpiodetect"]) {
    writeFileSync(join(dir, tool), `#!${process.execPath}\n${SCRIPT}`);
    chmodSync(join(dir, tool), 0o755);
  }
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  return {
    dir,
    calls(tool) {
      const file = join(dir, "calls.jsonl");
      if (!existsSync(file)) return [];
      return readFileSync(file, "utf8")
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => JSON.parse(l) as { tool: string; args: string[] })
        .filter((c) => tool === undefined || c.tool === tool)
        .map((c) => (tool === undefined ? [c.tool, ...c.args] : c.args));
    },
    setLevels(levels) {
      writeFileSync(join(dir, "levels.json"), JSON.stringify(levels));
    },
    edge(offset, level) {
      appendFileSync(join(dir, "events.txt"), `${offset} ${level}\n`);
    },
    killMonitor() {
      writeFileSync(join(dir, "die"), "");
    },
    outputs() {
      const file = join(dir, "outputs.json");
      if (!existsSync(file)) return null;
      const { pid, state } = JSON.parse(readFileSync(file, "utf8")) as {
        pid: number;
        state: Record<string, number>;
      };
      return alive(pid) ? state : null;
    },
    held() {
      const names: string[] = [];
      for (const name of readdirSync(dir))
        if (name.startsWith("held-") && alive(Number(readFileSync(join(dir, name), "utf8"))))
          names.push(name.slice(5));
      return names.sort();
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
