// Checks that span parts of the configuration: ids used twice, references to things not defined.
// Each problem names its path, as `services[2].prefix: "A" is already used by services[0]`.
import type { z } from "zod";
import { isPrinterProfileId, PRINTER_PROFILE_IDS } from "../../protocols/escpos/profiles.js";
import type { OfficeConfig } from "./schema.js";

type Config = OfficeConfig;
type Path = Array<string | number>;

function label(path: Path): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}

export function crossCheck(config: Config, ctx: z.RefinementCtx): void {
  const problem = (path: Path, message: string) => ctx.addIssue({ code: "custom", path, message });

  /** Records `value` under `key`; a second use of the same value is a problem at `path`. */
  const uniqueIn = (seen: Map<string, Path>) => (value: string, path: Path, field: string) => {
    const first = seen.get(value);
    if (first) problem([...path, field], `"${value}" is already used by ${label(first)}`);
    else seen.set(value, path);
  };

  const serviceIds = new Map<string, Path>();
  const prefixes = new Map<string, Path>();
  config.services.forEach((service, i) => {
    uniqueIn(serviceIds)(service.id, ["services", i], "id");
    uniqueIn(prefixes)(service.prefix, ["services", i], "prefix");
  });

  const counterIds = new Map<string, Path>();
  config.counters.forEach((counter, i) => {
    uniqueIn(counterIds)(counter.id, ["counters", i], "id");
    const listed = new Set<string>();
    counter.services.forEach((entry, j) => {
      const id = typeof entry === "string" ? entry : entry.service;
      if (!serviceIds.has(id))
        problem(["counters", i, "services", j], `service "${id}" is not defined in services`);
      if (listed.has(id)) problem(["counters", i, "services", j], `service "${id}" is listed twice`);
      listed.add(id);
    });
  });

  const usernames = new Map<string, Path>();
  config.mqtt.users.forEach((user, i) => {
    uniqueIn(usernames)(user.username, ["mqtt", "users", i], "username");
    if (user.counter !== undefined && !counterIds.has(user.counter))
      problem(["mqtt", "users", i, "counter"], `counter "${user.counter}" is not defined in counters`);
  });

  // Printers and boards share one namespace: both appear as devices/{id} on MQTT.
  const deviceIds = new Map<string, Path>();
  config.devices.printers.forEach((printer, i) => {
    uniqueIn(deviceIds)(printer.id, ["devices", "printers", i], "id");
    if (!isPrinterProfileId(printer.profile))
      problem(
        ["devices", "printers", i, "profile"],
        `unknown printer profile "${printer.profile}"; known: ${PRINTER_PROFILE_IDS.join(", ")}`,
      );
  });
  config.devices.boardBuses.forEach((bus, i) => {
    const addresses = new Map<string, Path>();
    bus.boards.forEach((board, j) => {
      const path: Path = ["devices", "boardBuses", i, "boards", j];
      uniqueIn(deviceIds)(board.id, path, "id");
      const other = addresses.get(String(board.address));
      if (other) problem([...path, "address"], `address ${board.address} is already used by ${label(other)}`);
      else addresses.set(String(board.address), path);
      if (board.counter !== undefined && !counterIds.has(board.counter))
        problem([...path, "counter"], `counter "${board.counter}" is not defined in counters`);
      if (board.zone !== undefined && !config.counters.some((c) => c.zone === board.zone))
        problem([...path, "zone"], `no counter is in zone "${board.zone}"`);
    });
  });
  const firmataPaths = new Map<string, Path>();
  config.devices.ledDisplays.forEach((display, i) => {
    const path: Path = ["devices", "ledDisplays", i];
    uniqueIn(deviceIds)(display.id, path, "id");
    if (display.counter !== undefined && !counterIds.has(display.counter))
      problem([...path, "counter"], `counter "${display.counter}" is not defined in counters`);
    if (display.zone !== undefined && !config.counters.some((c) => c.zone === display.zone))
      problem([...path, "zone"], `no counter is in zone "${display.zone}"`);
    // One display per Arduino: each display opens its serial port for itself.
    if (display.io.type === "firmata") uniqueIn(firmataPaths)(display.io.path, [...path, "io"], "path");
  });
  checkPanels(config, serviceIds, deviceIds, firmataPaths, problem, uniqueIn);
  checkNodes(config, deviceIds, problem);
  checkAnnouncements(config, problem, uniqueIn);
  if (config.desk.printer !== undefined && !config.devices.printers.some((p) => p.id === config.desk.printer))
    problem(["desk", "printer"], `printer "${config.desk.printer}" is not defined in devices.printers`);
  // The follow page faces the guests: it never shares a port with the staff pages or MQTT.
  const follow = config.follow?.port;
  if (follow !== undefined && follow !== 0 && !config.mqtt.broker)
    for (const key of ["port", "httpPort"] as const)
      if (config.mqtt.embedded[key] === follow)
        problem(
          ["follow", "port"],
          `port ${follow} is mqtt.embedded.${key}: the follow page needs a port of its own`,
        );
}

/** Button panels: their printer and services exist, ids are device ids, each button is mapped once. */
function checkPanels(
  config: Config,
  serviceIds: Map<string, Path>,
  deviceIds: Map<string, Path>,
  firmataPaths: Map<string, Path>,
  problem: (path: Path, message: string) => void,
  uniqueIn: (seen: Map<string, Path>) => (value: string, path: Path, field: string) => void,
): void {
  const printers = new Set(config.devices.printers.map((p) => p.id));
  // Panels on one printer share its queue of presses, so they must agree on its length.
  const queueOfPrinter = new Map<string, { max: number; path: Path }>();
  config.devices.panels.forEach((panel, i) => {
    const path: Path = ["devices", "panels", i];
    uniqueIn(deviceIds)(panel.id, path, "id");
    if (!printers.has(panel.printer))
      problem([...path, "printer"], `printer "${panel.printer}" is not defined in devices.printers`);
    const shared = queueOfPrinter.get(panel.printer);
    if (!shared) queueOfPrinter.set(panel.printer, { max: panel.rules.maxQueuedPerPrinter, path });
    else if (shared.max !== panel.rules.maxQueuedPerPrinter)
      problem(
        [...path, "rules", "maxQueuedPerPrinter"],
        `must equal ${label(shared.path)}'s (${shared.max}): panels on printer "${panel.printer}" share its queue`,
      );
    // An Arduino serves one owner: a led display and a panel cannot share a serial port.
    if (panel.io.type === "firmata") uniqueIn(firmataPaths)(panel.io.path, [...path, "io"], "path");
    const buttons = new Map<string, Path>();
    const leds = new Map<string, Path>();
    panel.buttons.forEach((button, j) => {
      const at: Path = [...path, "buttons", j];
      uniqueIn(buttons)(button.button, at, "button");
      if (!serviceIds.has(button.service))
        problem([...at, "service"], `service "${button.service}" is not defined in services`);
      if (typeof button.led === "number" || typeof button.led === "string") {
        const pin = String(button.led);
        if (panel.buttons.some((b) => b.button === pin))
          problem([...at, "led"], `pin ${pin} is a button of this panel`);
        else uniqueIn(leds)(pin, at, "led");
      }
    });
  });
}

/**
 * Device nodes: a node is a device of its own on MQTT (devices/<node>, NODE_OFFLINE), so its id is
 * not a printer's, board's or panel's; a node user acts for a node some device is on.
 */
function checkNodes(
  config: Config,
  deviceIds: Map<string, Path>,
  problem: (path: Path, message: string) => void,
): void {
  const nodes = new Map<string, Path>();
  const note = (node: string, path: Path) => {
    if (!nodes.has(node)) nodes.set(node, path);
  };
  config.devices.printers.forEach((p, i) => {
    if (p.transport.type === "node") note(p.transport.node, ["devices", "printers", i, "transport", "node"]);
  });
  config.devices.boardBuses.forEach((b, i) => {
    if (b.transport.type === "node")
      note(b.transport.node, ["devices", "boardBuses", i, "transport", "node"]);
  });
  config.devices.panels.forEach((p, i) => {
    if (p.io.type === "node") note(p.io.node, ["devices", "panels", i, "io", "node"]);
  });
  for (const [node, path] of nodes) {
    const device = deviceIds.get(node);
    if (device)
      problem(path, `"${node}" is the id of ${label(device)}: a device node needs an id of its own`);
  }
  config.mqtt.users.forEach((user, i) => {
    if (user.node !== undefined && !nodes.has(user.node))
      problem(
        ["mqtt", "users", i, "node"],
        `no device is on node "${user.node}" (transport or io {type: node})`,
      );
  });
}

/** Speakers: each zone is a counters' zone and has one entry; each kiosk is a defined printer once. */
function checkAnnouncements(
  config: Config,
  problem: (path: Path, message: string) => void,
  uniqueIn: (seen: Map<string, Path>) => (value: string, path: Path, field: string) => void,
): void {
  const zones = new Map<string, Path>();
  config.announcements.zones.forEach((zone, i) => {
    const path: Path = ["announcements", "zones", i];
    uniqueIn(zones)(zone.zone, path, "zone");
    if (!config.counters.some((c) => c.zone === zone.zone))
      problem([...path, "zone"], `no counter is in zone "${zone.zone}"`);
  });
  const kiosks = new Map<string, Path>();
  config.announcements.kiosks.forEach((kiosk, i) => {
    const path: Path = ["announcements", "kiosks", i];
    uniqueIn(kiosks)(kiosk.printer, path, "printer");
    if (!config.devices.printers.some((p) => p.id === kiosk.printer))
      problem([...path, "printer"], `printer "${kiosk.printer}" is not defined in devices.printers`);
  });
}
