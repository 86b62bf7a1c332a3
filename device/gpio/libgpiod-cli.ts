// A GpioChipBackend over the libgpiod command-line tools (Debian package `gpiod`): gpioget for the
// initial levels, gpiomon for input edges, gpioset for outputs, gpiodetect to find a chip by label.
// No native addon, so `npm ci` compiles nothing, and it works on every Pi (the GPIO character
// device), the Pi 5 included, where pigpio-based plugins do not.
//
// Both tool generations (brgl/libgpiod tools/*.c), detected once per tool directory:
// - v1 (1.6, Bookworm): `gpiomon [-B bias] -b -F fmt <chip> <offsets>`; -b is setlinebuf(stdout),
//   without which a piped gpiomon holds events in stdio's buffer. Bias names as-is|disable|
//   pull-down|pull-up. The chip may be a name, number, path or label (chip_open_lookup).
//   `gpioset --mode=signal <chip> o=v...` holds the lines until SIGTERM.
// - v2 (2.x, Trixie): `gpiomon -c <chip> [-b bias] -F fmt <offsets>`; it fflush()es stdout before
//   every poll, so no stdbuf is needed. Bias names pull-up|pull-down|disabled. The chip is a
//   name, number or path only (chip_path_lookup), so a label is resolved through gpiodetect.
//   `gpioset -c <chip> o=v...` holds the lines until killed. Its interactive mode (-i) would
//   save the respawns, but it is a build option (GPIOSET_INTERACTIVE, needs libedit).
// A line held by one process cannot be requested by another (EBUSY): gpioget reads the levels
// before gpiomon starts, and every output change restarts the one gpioset with all outputs (the
// line reverts to its default for the moment between: a flicker, not a fault, for an LED).

import { type ChildProcess, spawn as nodeSpawn } from "node:child_process";
import { join } from "node:path";
import {
  GPIOMON_FORMAT,
  GpiomonOutputParser,
  type LibgpiodMajor,
  parseGpiodetect,
  parseGpiogetOutput,
  parseLibgpiodVersion,
} from "../../protocols/gpio/gpiomon-output.js";
import {
  type GpioBias,
  type GpioChipBackend,
  type GpioEdgeEvent,
  GpioError,
  type GpioInputLine,
  type GpioLevel,
} from "./gpio-chip-backend.js";

export interface LibgpiodCliOptions {
  /** The chip: name ("gpiochip0"), number ("0"), path ("/dev/gpiochip0") or label ("pinctrl-rp1"). */
  chip: string;
  spawn?: typeof nodeSpawn;
  /** Where the tools are; default: found on PATH. */
  toolDir?: string;
  /** How long a new gpiomon must stay up before watch() resolves (default 100 ms): a tool that
   * cannot get its lines exits at once, and that is a failed watch, not a ready one. */
  settleMs?: number;
}

const INSTALL_HINT = "install the libgpiod tools: sudo apt install gpiod";

// By tool directory: the version is asked once per process, not on every reconnect.
const versions = new Map<string, Promise<LibgpiodMajor>>();

interface Tracked {
  child: ChildProcess;
  expected: boolean;
  exited: Promise<void>;
  stderr: () => string;
}

export function libgpiodCliBackend(options: LibgpiodCliOptions): GpioChipBackend {
  return new LibgpiodCli(options);
}

class LibgpiodCli implements GpioChipBackend {
  readonly description: string;
  readonly #o: LibgpiodCliOptions;
  readonly #spawn: typeof nodeSpawn;
  readonly #edgeHandlers = new Set<(edge: GpioEdgeEvent) => void>();
  readonly #lostHandlers = new Set<(error: Error) => void>();
  readonly #outputs = new Map<number, GpioLevel>();
  #major: LibgpiodMajor = 1;
  #chip = "";
  #monitors: Tracked[] = [];
  #setter: Tracked | null = null;
  #setterState = "";
  #outputChain: Promise<void> = Promise.resolve();
  #dead: Error | null = null;

  constructor(options: LibgpiodCliOptions) {
    this.#o = options;
    this.#spawn = options.spawn ?? nodeSpawn;
    this.description = `GPIO chip ${options.chip} (libgpiod tools)`;
  }

  async open(): Promise<void> {
    const key = this.#o.toolDir ?? "";
    let version = versions.get(key);
    if (!version) {
      version = this.#detectVersion();
      versions.set(key, version);
      version.catch(() => versions.delete(key)); // tools may be installed later
    }
    this.#major = await version;
    this.#chip = await this.#resolveChip(this.#o.chip);
  }

  onEdge(handler: (edge: GpioEdgeEvent) => void): () => void {
    this.#edgeHandlers.add(handler);
    return () => this.#edgeHandlers.delete(handler);
  }

  onLost(handler: (error: Error) => void): () => void {
    this.#lostHandlers.add(handler);
    return () => this.#lostHandlers.delete(handler);
  }

  async watch(lines: readonly GpioInputLine[]): Promise<Map<number, GpioLevel>> {
    this.#alive();
    await this.#stopAll(this.#monitors);
    this.#monitors = [];
    const levels = new Map<number, GpioLevel>();
    // One bias per tool invocation: a group of lines per bias.
    const groups = new Map<GpioBias, number[]>();
    for (const { offset, bias } of lines) groups.set(bias, [...(groups.get(bias) ?? []), offset]);
    for (const [bias, offsets] of groups) {
      const out = await this.#run("gpioget", this.#getArgs(bias, offsets));
      const values = parseGpiogetOutput(out, offsets.length);
      if (!values)
        throw new GpioError("GPIO_TOOL_FAILED", `gpioget printed what it should not: ${out.trim()}`);
      for (const [i, offset] of offsets.entries()) levels.set(offset, values[i] ?? 0);
    }
    this.#alive();
    for (const [bias, offsets] of groups) this.#monitors.push(this.#startMonitor(bias, offsets));
    await this.#settle(this.#monitors);
    return levels;
  }

  set(offset: number, level: GpioLevel): Promise<void> {
    this.#alive();
    this.#outputs.set(offset, level);
    // Serialised: the old gpioset must have let the lines go before the new one asks for them.
    // A burst of changes costs one restart: each link applies whatever is wanted by then.
    this.#outputChain = this.#outputChain.then(() => this.#applyOutputs());
    return this.#outputChain;
  }

  async close(): Promise<void> {
    this.#dead ??= new GpioError("GPIO_CLOSED", `${this.description} is closed`);
    await this.#stopAll([...this.#monitors, ...(this.#setter ? [this.#setter] : [])]);
    this.#monitors = [];
    this.#setter = null;
  }

  // --- tools ---

  async #detectVersion(): Promise<LibgpiodMajor> {
    const out = await this.#run("gpiomon", ["--version"]);
    const version = parseLibgpiodVersion(out);
    if (!version)
      throw new GpioError("GPIO_TOOL_FAILED", `gpiomon --version: unknown version: ${out.trim()}`);
    return version.major;
  }

  async #resolveChip(chip: string): Promise<string> {
    // Numbers, names and paths both generations take as they are; a label v1 would take too, but
    // resolving it the same way for both keeps one behaviour (and one error message).
    if (/^\d+$/.test(chip) || /^gpiochip\d+$/.test(chip) || chip.includes("/")) return chip;
    const chips = parseGpiodetect(await this.#run("gpiodetect", []));
    const found = chips.find((c) => c.label === chip);
    if (!found) {
      const known = chips.map((c) => `${c.name} [${c.label}]`).join(", ") || "none";
      throw new GpioError("GPIO_CHIP_NOT_FOUND", `no GPIO chip labelled ${chip} (chips: ${known})`);
    }
    return found.name;
  }

  #biasArgs(bias: GpioBias): string[] {
    if (bias === "as-is") return [];
    if (this.#major === 1) return ["-B", bias === "disabled" ? "disable" : bias];
    return ["-b", bias];
  }

  #getArgs(bias: GpioBias, offsets: number[]): string[] {
    const lines = offsets.map(String);
    if (this.#major === 1) return [...this.#biasArgs(bias), this.#chip, ...lines];
    // No --numeric: the "<id>"=active|inactive default parses as well and every 2.x prints it.
    return ["-c", this.#chip, ...this.#biasArgs(bias), ...lines];
  }

  #tool(name: string): string {
    return this.#o.toolDir ? join(this.#o.toolDir, name) : name;
  }

  #missing(name: string): GpioError {
    const where = this.#o.toolDir ? `in ${this.#o.toolDir}` : "on PATH";
    return new GpioError("GPIO_TOOLS_MISSING", `${name} not found ${where}; ${INSTALL_HINT}`);
  }

  /** Runs a tool to completion; its stdout, or a GpioError. */
  #run(name: string, args: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = this.#spawn(this.#tool(name), args, { stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      let err = "";
      child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
        out += chunk;
      });
      child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
        err += chunk;
      });
      child.once("error", (error: NodeJS.ErrnoException) =>
        reject(error.code === "ENOENT" || error.code === "EACCES" ? this.#missing(name) : error),
      );
      child.once("close", (code) => {
        if (code === 0) resolve(out);
        else
          reject(
            new GpioError(
              "GPIO_TOOL_FAILED",
              `${name} ${args.join(" ")} failed: ${err.trim() || `exit ${code}`}`,
            ),
          );
      });
    });
  }

  /** Starts a long-running tool; its unexpected exit loses the backend. */
  #track(name: string, args: string[]): Tracked {
    const child = this.#spawn(this.#tool(name), args, { stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      err = (err + chunk).slice(-2000);
    });
    const tracked: Tracked = {
      child,
      expected: false,
      stderr: () => err.trim(),
      exited: new Promise((resolve) => {
        child.once("error", (error: NodeJS.ErrnoException) => {
          if (!tracked.expected)
            this.#lose(error.code === "ENOENT" || error.code === "EACCES" ? this.#missing(name) : error);
          resolve();
        });
        child.once("close", (code, signal) => {
          if (!tracked.expected) {
            const why = err.trim() || (signal ? `killed by ${signal}` : `exit ${code}`);
            this.#lose(new GpioError("GPIO_LOST", `${name} on ${this.#chip} stopped: ${why}`));
          }
          resolve();
        });
      }),
    };
    return tracked;
  }

  #startMonitor(bias: GpioBias, offsets: number[]): Tracked {
    const format = GPIOMON_FORMAT[this.#major];
    const lines = offsets.map(String);
    const args =
      this.#major === 1
        ? [...this.#biasArgs(bias), "-b", "-F", format, this.#chip, ...lines]
        : ["-c", this.#chip, ...this.#biasArgs(bias), "-F", format, ...lines];
    const tracked = this.#track("gpiomon", args);
    const parser = new GpiomonOutputParser(this.#major);
    tracked.child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      if (tracked.expected || this.#dead) return;
      for (const edge of parser.push(chunk)) for (const handler of this.#edgeHandlers) handler(edge);
    });
    return tracked;
  }

  /** Resolves once every process has stayed up `settleMs`; rejects if one exits meanwhile. */
  async #settle(processes: Tracked[]): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const exited = Promise.race(processes.map((p) => p.exited.then(() => p)));
    const settled = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), this.#o.settleMs ?? 100);
    });
    const early = await Promise.race([exited, settled]);
    clearTimeout(timer);
    if (early) throw new GpioError("GPIO_TOOL_FAILED", `gpiomon on ${this.#chip} failed: ${early.stderr()}`);
    this.#alive();
  }

  async #applyOutputs(): Promise<void> {
    if (this.#dead) return;
    const pairs = [...this.#outputs].map(([offset, level]) => `${offset}=${level}`);
    const state = pairs.join(" ");
    if (this.#setter && state === this.#setterState) return; // a later link already applied it
    if (this.#setter) await this.#stopAll([this.#setter]);
    this.#setter = null;
    if (this.#dead) return;
    const args = this.#major === 1 ? ["--mode=signal", this.#chip, ...pairs] : ["-c", this.#chip, ...pairs];
    const setter = this.#track("gpioset", args);
    this.#setter = setter;
    this.#setterState = state;
    await new Promise<void>((resolve) => {
      setter.child.once("spawn", () => resolve());
      void setter.exited.then(() => resolve());
    });
  }

  async #stopAll(processes: Tracked[]): Promise<void> {
    for (const p of processes) {
      p.expected = true;
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGTERM");
    }
    await Promise.all(
      processes.map(async (p) => {
        const timer = setTimeout(() => p.child.kill("SIGKILL"), 2000);
        await p.exited;
        clearTimeout(timer);
      }),
    );
  }

  #alive(): void {
    if (this.#dead) throw this.#dead;
  }

  #lose(error: Error): void {
    if (this.#dead) return;
    this.#dead = error;
    void this.#stopAll([...this.#monitors, ...(this.#setter ? [this.#setter] : [])]);
    for (const handler of this.#lostHandlers) handler(error);
  }
}
