// Shared by the device node tests: an office whose kiosk printer, panel and a counter board sit on
// a device node, the node's config for it, a node child process, and waiting on conditions.
import { type ChildProcess, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { OfficeConfig, OfficeConfigInput } from "../../../controller/config/schema.js";
import type { NodeConfigInput } from "../../../controller/nodes/node-config.js";
import { officeConfig } from "../../support/office.js";

export const NODE = "hall-pi";
export const NODE_USER = { username: "node-hall", password: "node-hall-secret" };

export async function until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  for (let waited = 0; !check(); waited += 25) {
    if (waited > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The office's view: printer kiosk-2, panel panel-2 and board bus hall-bus (board-1) on the node. */
export function nodeOfficeConfig(
  mqtt: OfficeConfigInput["mqtt"],
  dataDir: string,
  confirmSeconds = 3,
): OfficeConfig {
  return officeConfig({
    mqtt,
    journal: { dataDir },
    devices: {
      printers: [
        {
          id: "kiosk-2",
          profile: "epson-tm-t20iii",
          transport: { type: "node", node: NODE },
          confirmTimeoutSeconds: confirmSeconds,
        },
      ],
      boardBuses: [
        {
          id: "hall-bus",
          protocol: "modbus-7seg",
          transport: { type: "node", node: NODE },
          boards: [{ id: "board-1", address: 1, counter: "1" }],
        },
      ],
      panels: [
        {
          id: "panel-2",
          kind: "xkeys",
          printer: "kiosk-2",
          io: { type: "node", node: NODE },
          buttons: [
            { button: "0", service: "pensions", led: true },
            { button: "1", service: "benefits", led: true },
          ],
        },
      ],
    },
  });
}

/** The node's side: the same ids, simulated devices. */
export function nodeConfig(
  url: string,
  credentials = NODE_USER,
  protocolVersion: 4 | 5 = 4,
): NodeConfigInput {
  return {
    node: { id: NODE, office: "test" },
    broker: { url, ...credentials, protocolVersion },
    devices: {
      printers: [
        {
          id: "kiosk-2",
          profile: "epson-tm-t20iii",
          transport: { type: "simulated" },
          confirmTimeoutSeconds: 3,
        },
      ],
      boardBuses: [
        {
          id: "hall-bus",
          protocol: "modbus-7seg",
          transport: { type: "simulated" },
          boards: [{ id: "board-1", address: 1 }],
        },
      ],
      panels: [
        {
          id: "panel-2",
          kind: "xkeys",
          io: { type: "simulated" },
          buttons: [
            { button: "0", led: true },
            { button: "1", led: true },
          ],
        },
      ],
    },
  };
}

export function writeNodeConfig(dir: string, config: NodeConfigInput): string {
  const path = join(dir, "node.yaml");
  // JSON is YAML.
  writeFileSync(path, JSON.stringify(config, null, 2));
  return path;
}

const CHILD = new URL("../../support/node-child.ts", import.meta.url).pathname;

/** `node --import tsx node-child.ts <config>`: the node as its own process. */
export class NodeProcess {
  readonly lines: string[] = [];
  private readonly proc: ChildProcess;
  private stderr = "";

  constructor(configPath: string) {
    this.proc = spawn(process.execPath, ["--import", "tsx", CHILD, configPath], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    let buffer = "";
    this.proc.stdout?.setEncoding("utf8");
    this.proc.stdout?.on("data", (chunk: string) => {
      buffer += chunk;
      const parts = buffer.split("\n");
      buffer = parts.pop() ?? "";
      this.lines.push(...parts);
    });
    this.proc.stderr?.setEncoding("utf8");
    this.proc.stderr?.on("data", (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-20_000);
    });
  }

  async waitFor(predicate: (line: string) => boolean, what: string, timeoutMs = 30_000): Promise<string> {
    try {
      await until(() => this.lines.some(predicate), what, timeoutMs);
    } catch (error) {
      throw new Error(`${(error as Error).message}; node said:\n${this.lines.join("\n")}\n${this.stderr}`);
    }
    return this.lines.find(predicate) as string;
  }

  send(command: string): void {
    this.proc.stdin?.write(`${command}\n`);
  }

  /** A power cut on the node: no goodbye, the broker sends its last will. */
  async kill(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const exited = new Promise((resolve) => this.proc.once("exit", resolve));
    this.proc.kill("SIGKILL");
    await exited;
  }
}
