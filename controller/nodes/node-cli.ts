// `vooru node --config node.yaml`: run a device node until SIGINT or SIGTERM. Under systemd it is
// the same Type=notify unit as the controller's with another ExecStart; its watchdog pings only
// while the event loop is healthy (a node keeps no journal to probe).
import type { Logger } from "../health/log.js";
import { SystemdNotifier } from "../systemd/notify.js";
import { eventLoopDelayCheck } from "../systemd/watchdog-health.js";
import { loadNodeConfig } from "./node-config.js";
import { type NodeOptions, type RunningNode, startNode } from "./node-runtime.js";

export async function runNode(
  configPath: string,
  log: Logger,
  version: string,
  /** Starts the node: the CLI passes the demo composition's for simulated devices. */
  start: (options: NodeOptions) => Promise<RunningNode> = startNode,
): Promise<number> {
  // First of all: it takes NOTIFY_SOCKET out of the environment before any child is spawned.
  const notifier = SystemdNotifier.fromEnvironment({ log });
  const config = loadNodeConfig(configPath);
  const { devices } = config;
  log.info(`vooru ${version}: device node ${config.node.id} of office ${config.node.office} (${configPath})`);
  for (const p of devices.printers) log.info(`  printer ${p.id} (${p.profile}, ${p.transport.type})`);
  for (const b of devices.boardBuses)
    log.info(
      `  board bus ${b.id} (${b.protocol}, ${b.transport.type}): ${b.boards.map((x) => x.id).join(", ")}`,
    );
  for (const p of devices.panels) log.info(`  panel ${p.id} (${p.kind}, ${p.io.type})`);
  const node = await start({ config, log, version });
  const loop = eventLoopDelayCheck(2000);
  await notifier?.ready({
    dataDir: "",
    status: `device node ${config.node.id} running`,
    checks: [loop.check],
  });
  log.info("running; stop with Ctrl+C");
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info(`${signal}: stopping`);
      loop.stop();
      Promise.all([notifier?.stopping(), node.stop()]).then(() => resolve(), resolve);
    };
    process.once("SIGINT", () => stop("SIGINT"));
    process.once("SIGTERM", () => stop("SIGTERM"));
  });
  return 0;
}
