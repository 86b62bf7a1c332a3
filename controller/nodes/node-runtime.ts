// A device node (`vooru node`): a second Pi that only bridges its devices to the office's one
// controller over MQTT. It prints what the controller asks (node-printing.ts), sends its panels'
// raw button edges and shows the LEDs the controller sets, drives its board buses from the
// controller's retained boards/{board} topics, and publishes its devices' health under
// nodes/{node}/. No queue logic runs here and nothing here writes queue state: the broker's
// node role lets these credentials publish only under nodes/{node}/.
import { randomBytes } from "node:crypto";
import type { BoardBus } from "../../device/boards/board-bus.js";
import type { ButtonLedState, ButtonPanelDriver } from "../../device/panels/types.js";
import type { TicketPrinterDriver } from "../../device/printer/types.js";
import { RetainedOrder } from "../../protocols/mqtt/retained-order.js";
import {
  boardStateSchema,
  nodePanelLedsSchema,
  nodePrintRequestSchema,
  statusSchema,
} from "../../protocols/mqtt/schemas.js";
import { baseTopic, nodeTopics, officeTopics, parseNodeTopic } from "../../protocols/mqtt/topics.js";
import { createLocalBoardBus, type SimulatedBoards } from "../boards/board-setup.js";
import { HealthBoard, type HealthChange } from "../health/health-board.js";
import { healthSinkFor } from "../health/health-sink.js";
import type { Logger } from "../health/log.js";
import { contractAlert, contractDevice } from "../mqtt/contract-views.js";
import {
  connectMqtt,
  type MqttConnection,
  type MqttConnectOptions,
  type MqttMessage,
} from "../mqtt/transport.js";
import { type PanelConfig, panelRulesSchema } from "../panels/panel-schema.js";
import { createLocalPanel, type SimulatedPanels } from "../panels/panel-setup.js";
import { createLocalPrinter, type SimulatedPrinters } from "../printing/printer-setup.js";
import type { NodeConfig, NodePanelConfig } from "./node-config.js";
import { NodePrintDesk } from "./node-printing.js";

export interface NodeOptions {
  config: NodeConfig;
  log: Logger;
  version: string;
  clock?: () => number;
  /** How to reach the broker; tests may wrap it. Default: connectMqtt. */
  connect?: (options: MqttConnectOptions) => MqttConnection;
  /** The devices of kind "simulated", from the demo composition (demo/demo-node.ts). */
  simulated?: SimulatedPrinters & SimulatedBoards & SimulatedPanels;
}

export interface RunningNode {
  config: NodeConfig;
  /** Boot id of this node: changes at every start. */
  epoch: string;
  health: HealthBoard;
  connection: MqttConnection;
  printers: Map<string, TicketPrinterDriver>;
  panels: Map<string, ButtonPanelDriver>;
  boardBuses: Map<string, BoardBus>;
  /** Edges not sent (no broker) and messages that were not what the contract says. */
  stats: { droppedEdges: number; garbage: number };
  /** Resolves once connected and subscribed for the first time. */
  ready: Promise<void>;
  stop(): Promise<void>;
}

const RETAINED = { retain: true, qos: 1 } as const;
const iso = (ms: number) => new Date(ms).toISOString();

/** The driver builders take an office panel config; a node's panel has no services or printer. */
function asPanelConfig(panel: NodePanelConfig): PanelConfig {
  return {
    id: panel.id,
    kind: panel.kind,
    io: panel.io,
    printer: "(controller)",
    buttons: panel.buttons.map((b) => ({ ...b, service: "(controller)" })),
    rules: panelRulesSchema.parse(undefined),
  };
}

export async function startNode(options: NodeOptions): Promise<RunningNode> {
  const { config, log } = options;
  const clock = options.clock ?? Date.now;
  const nodeId = config.node.id;
  const epoch = `${clock().toString(36)}-${randomBytes(3).toString("hex")}`;
  const base = baseTopic(config.node.office);
  const topics = nodeTopics(base, nodeId);
  const office = officeTopics(config.node.office);
  const health = new HealthBoard(clock);
  const { simulated } = options;
  const printers = new Map<string, TicketPrinterDriver>();
  const panels = new Map<string, ButtonPanelDriver>();
  const boardBuses = new Map<string, BoardBus>();
  const busOfBoard = new Map<string, BoardBus>();
  const stats = { droppedEdges: 0, garbage: 0 };
  const stopDevices = async () => {
    await Promise.all([...printers.values()].map((p) => p.stop()));
    await Promise.all([...panels.values()].map((p) => p.stop()));
    await Promise.all([...boardBuses.values()].map((b) => b.stop()));
  };

  try {
    for (const p of config.devices.printers)
      printers.set(p.id, await createLocalPrinter(p, health, clock, simulated));
    for (const bus of config.devices.boardBuses) {
      const driver = await createLocalBoardBus(
        bus,
        health,
        clock,
        config.devices.blinkSeconds * 1000,
        simulated,
      );
      boardBuses.set(bus.id, driver);
      for (const board of bus.boards) busOfBoard.set(board.id, driver);
    }
    for (const p of config.devices.panels) {
      const sink = healthSinkFor(health, p.id, "panel");
      panels.set(p.id, await createLocalPanel(asPanelConfig(p), sink, clock, simulated));
    }
  } catch (error) {
    await stopDevices();
    throw error;
  }

  const status = (state: "online" | "offline") => ({
    state,
    epoch,
    version: options.version,
    ts: iso(clock()),
    devices: health.devices().map((d) => d.id),
  });
  const broker = config.broker;
  const connection = (options.connect ?? connectMqtt)({
    url: broker.url,
    ...(broker.username !== undefined ? { username: broker.username } : {}),
    ...(broker.password !== undefined ? { password: broker.password } : {}),
    clientId: broker.clientId ?? `vooru-node-${nodeId}-${randomBytes(3).toString("hex")}`,
    protocolVersion: broker.protocolVersion,
    ...(broker.ca ? { caFile: broker.ca } : {}),
    ...(broker.cert ? { certFile: broker.cert } : {}),
    ...(broker.key ? { keyFile: broker.key } : {}),
    rejectUnauthorized: broker.rejectUnauthorized,
    will: { topic: topics.status, payload: JSON.stringify(status("offline")), retain: true, qos: 1 },
  });
  let stopped = false;
  const send = (topic: string, body: object | string, opts: { retain: boolean; qos: 1 }) => {
    if (stopped && topic !== topics.status) return;
    const payload = typeof body === "string" ? body : JSON.stringify(body);
    // mqtt.js keeps QoS 1 messages for the reconnect; everything retained is republished then anyway.
    connection.publish(topic, payload, opts).catch(() => {});
  };
  const garbage = (what: string, why: string) => {
    stats.garbage++;
    if (stats.garbage <= 10 || stats.garbage % 100 === 0)
      log.warn(`node: ignored ${what}: ${why} (${stats.garbage} so far)`);
  };

  // ---------------------------------------------------------------- health
  const publishDevice = (id: string) => {
    const device = health.devices().find((d) => d.id === id);
    if (!device) return;
    send(topics.device(id), contractDevice(device), RETAINED);
  };
  const publishAlert = (id: string) => {
    const alert = health.topAlert(id);
    send(topics.alert(id), contractAlert(alert), RETAINED);
  };
  const offHealth = health.onChange((change: HealthChange) => {
    if (change.type === "device") publishDevice(change.device.id);
    else publishAlert(change.alert.device);
  });

  // ---------------------------------------------------------------- panels
  let seq = 0;
  let ownerOnline = false;
  const wantedLeds = new Map<string, Record<string, ButtonLedState>>();
  /** The controller's LEDs while it can take presses; dark while it (or the broker) is gone. */
  const applyLeds = (panel: string) => {
    const driver = panels.get(panel);
    const config = configOfPanel.get(panel);
    if (!driver || !config) return;
    const wanted = wantedLeds.get(panel) ?? {};
    const live = ownerOnline && connection.connected;
    for (const b of config.buttons) driver.setLed(b.button, live ? (wanted[b.button] ?? "off") : "off");
  };
  const configOfPanel = new Map(config.devices.panels.map((p) => [p.id, p]));
  const offEdges = [...panels.values()].map((driver) =>
    driver.onEdge((edge) => {
      // An edge that cannot reach the controller now must not print a ticket minutes later.
      if (!connection.connected || stopped) {
        stats.droppedEdges++;
        return;
      }
      seq++;
      const body = {
        epoch,
        seq,
        panel: driver.id,
        button: edge.button,
        down: edge.down,
        at: Math.round(edge.at),
        ...(edge.lost ? { lost: true } : {}),
      };
      send(topics.edges, body, { retain: false, qos: 1 });
    }),
  );

  // ---------------------------------------------------------------- boards
  const shownOnBoard = new Map<string, string>();
  const showBoard = (board: string, text: string, blink: boolean) => {
    const key = JSON.stringify([text, blink]);
    if (shownOnBoard.get(board) === key) return;
    shownOnBoard.set(board, key);
    void busOfBoard.get(board)?.show(board, text, { blink });
  };

  // ---------------------------------------------------------------- requests
  const printDesk = new NodePrintDesk(printers, clock);
  const onPrintRequest = async (message: MqttMessage) => {
    // A retained request is stale by definition; only the controller may clear it.
    if (message.retain) return garbage("a retained print request", "ignored");
    let body: unknown;
    try {
      body = JSON.parse(message.payload.toString("utf8"));
    } catch {
      return garbage("a print request", "not JSON");
    }
    const parsed = nodePrintRequestSchema.safeParse(body);
    if (!parsed.success) return garbage("a print request", parsed.error.message);
    const replyTo = parsed.data.replyTo?.startsWith(topics.printReply.replace(/print$/, ""))
      ? parsed.data.replyTo
      : topics.printReply;
    const reply = await printDesk.handle(parsed.data);
    if (!reply.ok)
      log.warn(`node: print of job ${parsed.data.job} at ${reply.printer} failed: ${reply.detail}`);
    send(replyTo, reply, { retain: false, qos: 1 });
  };
  // A stored boards/ or LED copy may arrive after a newer live one: see RetainedOrder.
  const retainedOrder = new RetainedOrder();
  const onMessage = (message: MqttMessage) => {
    if (!retainedOrder.accept(message.topic, message.retain)) return;
    try {
      if (message.topic === office.status) {
        const parsed = message.payload.length
          ? statusSchema.safeParse(JSON.parse(message.payload.toString()))
          : null;
        ownerOnline = parsed?.success === true && parsed.data.state === "online";
        for (const panel of panels.keys()) applyLeds(panel);
        return;
      }
      if (message.topic.startsWith(`${base}boards/`)) {
        const board = message.topic.slice(`${base}boards/`.length);
        if (!busOfBoard.has(board) || message.payload.length === 0) return;
        const parsed = boardStateSchema.safeParse(JSON.parse(message.payload.toString()));
        if (!parsed.success) return garbage(`boards/${board}`, parsed.error.message);
        return showBoard(board, parsed.data.text, parsed.data.blink);
      }
      const ref = parseNodeTopic(base, message.topic);
      if (ref?.node !== nodeId) return;
      if (ref.kind === "print_request") void onPrintRequest(message);
      else if (ref.kind === "panel_leds" && panels.has(ref.id)) {
        if (message.payload.length === 0) wantedLeds.delete(ref.id);
        else {
          const parsed = nodePanelLedsSchema.safeParse(JSON.parse(message.payload.toString()));
          if (!parsed.success) return garbage(`LEDs of ${ref.id}`, parsed.error.message);
          wantedLeds.set(ref.id, parsed.data.leds);
        }
        applyLeds(ref.id);
      }
    } catch (error) {
      garbage(message.topic, (error as Error).message);
    }
  };

  // ---------------------------------------------------------------- connection
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  connection.onMessage(onMessage);
  connection.onConnect(() => {
    retainedOrder.reset();
    log.info(`node ${nodeId}: connected to ${broker.url}; serving office ${config.node.office}`);
    send(topics.status, status("online"), RETAINED);
    for (const device of health.devices()) {
      publishDevice(device.id);
      publishAlert(device.id);
    }
    const filters = [
      topics.printRequest,
      topics.panelLeds("+"),
      office.status,
      ...[...busOfBoard.keys()].map((board) => office.board(board)),
    ];
    connection.subscribe(filters, 1).then(markReady, (error: Error) => {
      log.error(`node ${nodeId}: subscribing failed: ${error.message}`);
    });
  });
  let lastError = "";
  connection.onConnectError((reason) => {
    if (reason !== lastError)
      log.error(`node ${nodeId}: cannot connect to ${broker.url}: ${reason}; retrying`);
    lastError = reason;
  });
  connection.onDisconnect((reason) => {
    if (stopped) return;
    log.warn(`node ${nodeId}: disconnected (${reason}); reconnecting`);
    for (const panel of panels.keys()) applyLeds(panel);
  });

  for (const driver of printers.values()) driver.start();
  for (const driver of boardBuses.values()) driver.start();
  for (const driver of panels.values()) driver.start();
  for (const panel of panels.keys()) applyLeds(panel);

  return {
    config,
    epoch,
    health,
    connection,
    printers,
    panels,
    boardBuses,
    stats,
    ready,
    async stop() {
      if (stopped) return;
      stopped = true;
      offHealth();
      for (const off of offEdges) off();
      try {
        if (connection.connected)
          await connection.publish(topics.status, JSON.stringify(status("offline")), RETAINED);
      } catch (error) {
        log.warn(`node ${nodeId}: could not publish offline status: ${(error as Error).message}`);
      }
      await connection.end().catch(() => {});
      await stopDevices();
    },
  };
}
