// The controller's side of device nodes: second Pis that only bridge their printers, panels and
// boards over MQTT while this controller stays the only writer of queue state. It mirrors each
// node device's health into the office's HealthBoard (so devices/{id} and alerts/{id} stay the
// controller's), marks a node's devices offline with NODE_OFFLINE when the node's status goes
// offline (its last will), turns the node's raw button edges into a local ButtonPanelDriver for
// the press rules, and sends print jobs to the node's printers. Whatever a node sends is validated;
// garbage is counted and logged, never thrown.
import type { DeviceHealthSink } from "../../device/health.js";
import type { ButtonLedState, ButtonPanelDriver } from "../../device/panels/types.js";
import type { PrintJob, PrintResult, TicketPrinterDriver } from "../../device/printer/types.js";
import { RetainedOrder } from "../../protocols/mqtt/retained-order.js";
import {
  alertSchema,
  deviceHealthSchema,
  nodeEdgeSchema,
  nodePrintReplySchema,
  nodeStatusSchema,
} from "../../protocols/mqtt/schemas.js";
import { baseTopic, type NodeTopics, nodeTopics, parseNodeTopic } from "../../protocols/mqtt/topics.js";
import type { BoardBusConfig } from "../boards/board-schema.js";
import type { OfficeConfig } from "../config/schema.js";
import type { HealthBoard } from "../health/health-board.js";
import { healthSinkFor } from "../health/health-sink.js";
import type { Logger } from "../health/log.js";
import type { MqttConnection, MqttMessage } from "../mqtt/transport.js";
import type { PanelConfig } from "../panels/panel-schema.js";
import type { PrinterConfig } from "../printing/printer-schema.js";
import { EdgeClock } from "./edge-clock.js";
import { RemotePanelDriver } from "./remote-panel.js";
import { RemotePrinterDriver } from "./remote-printer.js";
import { RemotePrints } from "./remote-prints.js";

export interface NodeHubOptions {
  config: OfficeConfig;
  health: HealthBoard;
  clock: () => number;
  log: Logger;
  /** Added to a remote print's wait (start + confirm) for the round trip over MQTT. */
  printMarginMs?: number;
  /** A node not heard online this long after the controller connected raises NODE_OFFLINE. */
  graceMs?: number;
}

interface MirroredReport {
  status: "ok" | "degraded" | "offline";
  faults: string[];
  lastSeen?: number;
  details?: Record<string, unknown>;
}

interface NodeDevice {
  id: string;
  node: string;
  sink: DeviceHealthSink;
  report?: MirroredReport;
  alert?: { code: string; severity: "info" | "warning" | "critical"; message: string };
  /** The mirrored alert code raised on this controller now. */
  raised?: string;
}

interface NodeState {
  id: string;
  topics: NodeTopics;
  /** null: not known yet (starting, or this controller lost the broker). */
  online: boolean | null;
  devices: string[];
  edgeEpoch: string | null;
  lastSeq: number;
  edgeClock: EdgeClock;
  graceTimer: ReturnType<typeof setTimeout> | null;
}

export const NODE_OFFLINE = "NODE_OFFLINE";
const DEFAULT_GRACE_MS = 15_000;

/** The device nodes the office config names, with the ids of the devices on each. */
export function nodesOf(config: OfficeConfig): Map<string, string[]> {
  const nodes = new Map<string, string[]>();
  const add = (node: string, ...ids: string[]) => nodes.set(node, [...(nodes.get(node) ?? []), ...ids]);
  for (const p of config.devices.printers) if (p.transport.type === "node") add(p.transport.node, p.id);
  for (const b of config.devices.boardBuses)
    if (b.transport.type === "node") add(b.transport.node, b.id, ...b.boards.map((x) => x.id));
  for (const p of config.devices.panels) if (p.io.type === "node") add(p.io.node, p.id);
  return nodes;
}

export class NodeHub {
  private readonly base: string;
  private readonly nodes = new Map<string, NodeState>();
  private readonly retainedOrder = new RetainedOrder();
  private readonly devices = new Map<string, NodeDevice>();
  private readonly panels = new Map<string, RemotePanelDriver>();
  private connection: MqttConnection | null = null;
  private stopped = false;
  /** Messages from nodes that were not what the contract says; duplicates and stale edges dropped. */
  readonly stats = { garbage: 0, duplicateEdges: 0, droppedEdges: 0 };

  private readonly prints: RemotePrints;

  constructor(private readonly o: NodeHubOptions) {
    this.base = baseTopic(o.config.office.id);
    this.prints = new RemotePrints(o.printMarginMs);
    for (const [id, devices] of nodesOf(o.config)) {
      this.nodes.set(id, {
        id,
        topics: nodeTopics(this.base, id),
        online: null,
        devices,
        edgeEpoch: null,
        lastSeq: 0,
        edgeClock: new EdgeClock(),
        graceTimer: null,
      });
      // The node is a device of its own: IT support sees one NODE_OFFLINE for the whole Pi.
      o.health.register(id, "node", { status: "offline", faults: ["connecting"] });
    }
  }

  get empty(): boolean {
    return this.nodes.size === 0;
  }

  isOnline(node: string): boolean {
    return this.nodes.get(node)?.online === true;
  }

  remotePrinter(config: PrinterConfig): TicketPrinterDriver {
    const node = this.nodeOf(config.id, config.transport);
    this.adopt(config.id, node, healthSinkFor(this.o.health, config.id, "printer"));
    const health = () => this.o.health.devices().find((d) => d.id === config.id);
    return new RemotePrinterDriver(config.id, node, this, config.confirmTimeoutSeconds * 1000, health);
  }

  remoteBoardBus(config: BoardBusConfig): void {
    const node = this.nodeOf(config.id, config.transport);
    this.adopt(config.id, node, healthSinkFor(this.o.health, config.id, "board_bus"));
    for (const board of config.boards)
      this.adopt(board.id, node, healthSinkFor(this.o.health, board.id, "board"));
  }

  remotePanel(config: PanelConfig, sink: DeviceHealthSink): ButtonPanelDriver {
    const node = this.nodeOf(config.id, config.io);
    this.adopt(config.id, node, sink);
    const panel = new RemotePanelDriver(
      config.id,
      node,
      (leds) => this.publishLeds(node, config.id, leds),
      () => this.isOnline(node),
    );
    this.panels.set(config.id, panel);
    return panel;
  }

  /** Starts listening to the nodes over this connection (the controller's own credentials). */
  start(connection: MqttConnection): void {
    if (this.nodes.size === 0) return;
    this.connection = connection;
    connection.onMessage((message) => this.onMessage(message));
    connection.onConnect(() => void this.onConnect());
    connection.onDisconnect(() => {
      // What the nodes do now is unknown until their retained status comes again.
      for (const node of this.nodes.values()) this.setOnline(node, null);
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const node of this.nodes.values()) if (node.graceTimer) clearTimeout(node.graceTimer);
    this.prints.fail(null, "the controller is stopping");
    await this.connection?.end().catch(() => {});
  }

  print(node: string, printer: string, job: PrintJob, confirmTimeoutMs: number): Promise<PrintResult> {
    const state = this.nodes.get(node);
    const connection = this.connection;
    if (state?.online !== true || !connection?.connected || this.stopped)
      return Promise.resolve({ ok: false, reason: "offline", detail: `device node ${node} is offline` });
    return this.prints.send(connection, state.topics, node, printer, job, confirmTimeoutMs);
  }

  private nodeOf(device: string, where: { type: string; node?: string }): string {
    if (where.type !== "node" || where.node === undefined)
      throw new Error(`${device} is not on a device node`);
    return where.node;
  }

  private adopt(id: string, node: string, sink: DeviceHealthSink): void {
    const device: NodeDevice = { id, node, sink };
    this.devices.set(id, device);
    this.apply(device);
  }

  private async onConnect(): Promise<void> {
    const connection = this.connection;
    if (!connection) return;
    this.retainedOrder.reset();
    const filters = [...this.nodes.values()].flatMap((n) => [
      n.topics.status,
      n.topics.device("+"),
      n.topics.alert("+"),
      n.topics.edges,
      n.topics.printReply,
    ]);
    try {
      await connection.subscribe(filters, 1);
    } catch (error) {
      this.o.log.error(`nodes: subscribing failed: ${(error as Error).message}`);
    }
    for (const panel of this.panels.values()) this.publishLeds(panel.node, panel.id, panel.ledMap());
    for (const node of this.nodes.values()) {
      if (node.online !== null || node.graceTimer) continue;
      node.graceTimer = setTimeout(() => {
        node.graceTimer = null;
        if (node.online === null) this.setOnline(node, false);
      }, this.o.graceMs ?? DEFAULT_GRACE_MS);
      node.graceTimer.unref?.();
    }
  }

  private publishLeds(node: string, panel: string, leds: Record<string, ButtonLedState>): void {
    const connection = this.connection;
    if (!connection?.connected) return; // sent again on connect
    const topic = nodeTopics(this.base, node).panelLeds(panel);
    connection.publish(topic, JSON.stringify({ leds }), { qos: 1, retain: true }).catch(() => {});
  }

  private onMessage(message: MqttMessage): void {
    // A node's stored status or health copy may arrive after a newer live one: see RetainedOrder.
    if (!this.retainedOrder.accept(message.topic, message.retain)) return;
    const ref = parseNodeTopic(this.base, message.topic);
    const node = ref ? this.nodes.get(ref.node) : undefined;
    if (!ref || !node) return;
    try {
      switch (ref.kind) {
        case "status": {
          this.onStatus(node, message.payload);
          return;
        }
        case "device":
        case "alert": {
          this.onDeviceMessage(node, ref.kind, ref.id, message.payload);
          return;
        }
        case "edges":
          if (!message.retain) this.onEdge(node, message.payload);
          return;
        case "print_reply": {
          this.onPrintReply(node, message.payload);
          return;
        }
        default:
          return;
      }
    } catch (error) {
      this.garbage(node.id, message.topic, (error as Error).message);
    }
  }

  private onStatus(node: NodeState, payload: Buffer): void {
    if (payload.length === 0) {
      this.setOnline(node, false);
      return;
    }
    const status = nodeStatusSchema.safeParse(JSON.parse(payload.toString("utf8")));
    if (!status.success) {
      this.garbage(node.id, node.topics.status, status.error.message);
      return;
    }
    if (status.data.state === "online" && status.data.epoch !== node.edgeEpoch) {
      node.edgeEpoch = status.data.epoch;
      node.lastSeq = 0;
      node.edgeClock.reset();
    }
    this.setOnline(node, status.data.state === "online");
  }

  private onDeviceMessage(node: NodeState, kind: "device" | "alert", id: string, payload: Buffer): void {
    const device = this.devices.get(id);
    if (!device || device.node !== node.id) {
      this.garbage(node.id, `${kind} ${id}`, "not a device of this node in the office config");
      return;
    }
    if (kind === "alert") {
      if (payload.length === 0) delete device.alert;
      else {
        const alert = alertSchema.safeParse(JSON.parse(payload.toString("utf8")));
        if (!alert.success) {
          this.garbage(node.id, `alert ${id}`, alert.error.message);
          return;
        }
        device.alert = { code: alert.data.code, severity: alert.data.severity, message: alert.data.message };
      }
    } else if (payload.length === 0) delete device.report;
    else {
      const health = deviceHealthSchema.safeParse(JSON.parse(payload.toString("utf8")));
      if (!health.success) {
        this.garbage(node.id, `device ${id}`, health.error.message);
        return;
      }
      const { status, faults, lastSeen, details } = health.data;
      const seen = lastSeen === null ? undefined : Date.parse(lastSeen);
      device.report = {
        status,
        faults,
        ...(seen !== undefined && Number.isFinite(seen) ? { lastSeen: seen } : {}),
        ...(details !== undefined ? { details } : {}),
      };
    }
    this.apply(device);
  }

  private onEdge(node: NodeState, payload: Buffer): void {
    const parsed = nodeEdgeSchema.safeParse(JSON.parse(payload.toString("utf8")));
    if (!parsed.success) {
      this.garbage(node.id, "edge", parsed.error.message);
      return;
    }
    const edge = parsed.data;
    const panel = this.panels.get(edge.panel);
    if (!panel || panel.node !== node.id) {
      this.garbage(node.id, "edge", `panel ${edge.panel} is not on this node`);
      return;
    }
    // An edge from a node this controller does not hold online is not a press anyone can see.
    if (node.online !== true) {
      this.stats.droppedEdges++;
      return;
    }
    if (edge.epoch !== node.edgeEpoch) {
      node.edgeEpoch = edge.epoch;
      node.lastSeq = 0;
      node.edgeClock.reset();
    }
    // QoS 1 delivers at least once: a repeated edge must not become a second press.
    if (edge.seq <= node.lastSeq) {
      this.stats.duplicateEdges++;
      return;
    }
    node.lastSeq = edge.seq;
    const at = node.edgeClock.map(edge.at, this.o.clock());
    panel.edge({ button: edge.button, down: edge.down, at, ...(edge.lost ? { lost: true as const } : {}) });
  }

  private onPrintReply(node: NodeState, payload: Buffer): void {
    const parsed = nodePrintReplySchema.safeParse(JSON.parse(payload.toString("utf8")));
    const problem = parsed.success ? this.prints.answer(node.id, parsed.data) : parsed.error.message;
    if (problem !== null) this.garbage(node.id, "print reply", problem);
  }

  private setOnline(node: NodeState, online: boolean | null): void {
    if (node.online === online) return;
    const was = node.online;
    node.online = online;
    if (online !== null && node.graceTimer) {
      clearTimeout(node.graceTimer);
      node.graceTimer = null;
    }
    if (online) {
      this.o.health.report(node.id, { status: "ok", faults: [] });
      this.o.health.clear(node.id, NODE_OFFLINE);
      if (was === false) this.o.log.info(`device node ${node.id} is back online`);
    } else {
      this.o.health.report(node.id, { status: "offline", faults: [online === null ? "unknown" : "offline"] });
      if (online === false)
        this.o.health.raise({
          device: node.id,
          code: NODE_OFFLINE,
          severity: "critical",
          message: `Device node ${node.id} is offline: ${node.devices.join(", ")} are out of service until it is back`,
        });
      const now = this.o.clock();
      for (const panel of this.panels.values()) if (panel.node === node.id) panel.releaseAll(now);
      this.prints.fail(node.id, `device node ${node.id} went offline`);
    }
    for (const id of node.devices) {
      const device = this.devices.get(id);
      if (device) this.apply(device);
    }
  }

  /** Mirrors a node device's health and alert, or marks it out of service while its node is. */
  private apply(device: NodeDevice): void {
    const online = this.nodes.get(device.node)?.online ?? null;
    const { sink } = device;
    if (online !== true) {
      sink.report("offline", [online === false ? "node_offline" : "connecting"]);
      if (device.raised) sink.clear(device.raised);
      delete device.raised;
      if (online === false)
        sink.raise(NODE_OFFLINE, "warning", `${device.id}: its device node ${device.node} is offline`);
      return;
    }
    sink.clear(NODE_OFFLINE);
    const r = device.report ?? { status: "offline" as const, faults: ["connecting"] };
    sink.report(r.status, r.faults, r.lastSeen, r.details);
    const code = device.alert?.code;
    if (device.raised !== undefined && device.raised !== code) {
      sink.clear(device.raised);
      delete device.raised;
    }
    if (device.alert && device.raised === undefined) {
      sink.raise(device.alert.code, device.alert.severity, device.alert.message);
      device.raised = device.alert.code;
    }
  }

  private garbage(node: string, what: string, why: string): void {
    this.stats.garbage++;
    // Logged, but not so often that a misbehaving node floods the journal.
    if (this.stats.garbage <= 10 || this.stats.garbage % 100 === 0)
      this.o.log.warn(`nodes: ignored ${what} from node ${node}: ${why} (${this.stats.garbage} so far)`);
  }
}
