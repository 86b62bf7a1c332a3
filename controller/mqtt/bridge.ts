// The MQTT bridge: publishes the office's retained state and events, and answers requests. It
// talks to the broker only through transport.ts; after every (re)connect it publishes the whole
// retained state again, so a broker restarted without persistence is whole within a second.
import type { ContractAppointment } from "../../protocols/mqtt/appointment-schemas.js";
import type { ContractEvent, EventType, Reply } from "../../protocols/mqtt/schemas.js";
import {
  type AppointmentVerb,
  type OfficeTopics,
  officeTopics,
  parseRequestTopic,
  requestSender,
  type SimVerb,
} from "../../protocols/mqtt/topics.js";
import type { OfficeConfig } from "../config/schema.js";
import type { Alert, DeviceHealth, HealthBoard, HealthChange } from "../health/health-board.js";
import type { Logger } from "../health/log.js";
import type { QueueEvent } from "../queue/core/types.js";
import type { DurableQueue } from "../queue/durable-queue.js";
import type { ActionResult, QueueService, RequestArgs } from "../queue/queue-service.js";
import { AlertTopics } from "./alert-topics.js";
import {
  contractAlert,
  contractDevice,
  contractTicketById,
  counterStates,
  officeInfo,
  openTickets,
  serviceStates,
  whoami,
} from "./contract-views.js";
import { RequestHandler } from "./requests.js";
import type { MqttConnection, MqttMessage, PublishOptions } from "./transport.js";

export interface BridgeOptions {
  config: OfficeConfig;
  queue: DurableQueue;
  service: QueueService;
  health: HealthBoard;
  /** Opens the broker connection with the given last will (status offline). */
  connect: (will: { topic: string; payload: string; retain: true; qos: 1 }) => MqttConnection;
  clock: () => number;
  /** Boot id: changes at every start. */
  epoch: string;
  version: string;
  log: Logger;
}

const RETAINED: PublishOptions = { retain: true, qos: 1 };
const iso = (ms: number) => new Date(ms).toISOString();

/** Journal event -> contract event type; internal events (reservations) are not published. */
function contractType(event: QueueEvent, reissued: boolean): EventType | null {
  switch (event.type) {
    case "ticket_reserved":
    case "day_ended":
      return null;
    case "ticket_issued":
      return reissued ? "ticket_reissued" : "ticket_issued";
    default:
      return event.type;
  }
}

export class MqttBridge {
  readonly topics: OfficeTopics;
  private readonly connection: MqttConnection;
  private readonly requests: RequestHandler;
  /** topic -> last published body without epoch/seq, to publish only what changed. */
  private readonly published = new Map<string, string>();
  private seq = 0;
  /** requestId of the request being executed, to tag the events it causes. */
  private currentRequestId: string | undefined;
  private readonly unsubscribe: Array<() => void> = [];
  private readonly alertTopics: AlertTopics;
  private stopped = false;
  private queueStatePending = false;
  /** Retained state others publish through this connection (boards, simulated devices). */
  private readonly extra = new Map<string, object>();
  private simulation: ((verb: SimVerb, args: RequestArgs) => Promise<ActionResult>) | undefined;
  private reports: ((args: RequestArgs) => Promise<ActionResult>) | undefined;
  private audits: ((args: RequestArgs) => Promise<ActionResult>) | undefined;
  private appointments:
    | ((verb: AppointmentVerb, args: RequestArgs, sender: string | undefined) => Promise<ActionResult>)
    | undefined;
  private markReady: () => void = () => {};
  /** Resolves once the bridge is connected and subscribed to requests for the first time. */
  readonly ready: Promise<void> = new Promise((resolve) => {
    this.markReady = resolve;
  });

  constructor(private readonly options: BridgeOptions) {
    this.topics = officeTopics(options.config.office.id);
    this.alertTopics = new AlertTopics(this.topics, options.health, (topic, body) =>
      this.send(topic, body, RETAINED),
    );
    this.requests = new RequestHandler(
      this.topics.base,
      async (target, args, requestId, sender) => {
        this.currentRequestId = requestId;
        try {
          if (target.scope === "sim" && this.simulation) return await this.simulation(target.verb, args);
          if (target.scope === "desk" && target.verb === "report" && this.reports)
            return await this.reports(args);
          if (target.scope === "desk" && target.verb === "audit" && this.audits)
            return await this.audits(args);
          if (target.scope === "appointments" && this.appointments)
            return await this.appointments(target.verb, args, sender);
          if (target.scope === "system" && target.verb === "whoami")
            return { ok: true, result: whoami(options.config, sender) };
          return await options.service.run(target, args, sender);
        } finally {
          this.currentRequestId = undefined;
        }
      },
      options.clock,
      options.config.mqtt.dedupeMinutes * 60_000,
      options.log,
    );
    this.connection = options.connect({
      topic: this.topics.status,
      payload: JSON.stringify(this.status("offline")),
      retain: true,
      qos: 1,
    });
    this.connection.onConnect(() => void this.onConnect());
    this.connection.onDisconnect((reason) => {
      if (!this.stopped) options.log.warn(`mqtt: disconnected (${reason}); reconnecting`);
    });
    // A broker that cannot be reached is retried for ever; say so once per distinct reason.
    let lastConnectError = "";
    this.connection.onConnectError((reason) => {
      if (reason !== lastConnectError)
        options.log.error(`mqtt: cannot connect to the broker: ${reason}; retrying`);
      lastConnectError = reason;
    });
    this.connection.onConnect(() => {
      lastConnectError = "";
    });
    this.connection.onMessage((message) => void this.onMessage(message));
    this.unsubscribe.push(options.queue.onEvents((events) => this.onQueueEvents(events)));
    this.unsubscribe.push(options.health.onChange((change) => this.onHealthChange(change)));
  }

  get epochSeq(): { epoch: string; seq: number } {
    return { epoch: this.options.epoch, seq: this.seq };
  }

  /**
   * Retained state of other parts of the controller (what boards show, simulated devices), sent
   * over this connection and republished with the rest on every reconnect and resync. null
   * removes it (an empty retained message).
   */
  publishExtra(topic: string, body: object | null): void {
    if (this.stopped) return;
    if (body === null) {
      if (!this.extra.delete(topic)) return;
      this.published.delete(topic);
      this.send(topic, "", RETAINED);
      return;
    }
    this.extra.set(topic, body);
    this.publishRetained(topic, body, false);
  }

  /** Who answers sim/request/{verb}; without one they are refused (no simulated devices). */
  setSimulation(handler: (verb: SimVerb, args: RequestArgs) => Promise<ActionResult>): void {
    this.simulation = handler;
  }

  /** Who answers desk/request/report (controller/stats/). */
  setReports(handler: (args: RequestArgs) => Promise<ActionResult>): void {
    this.reports = handler;
  }

  /** Who answers desk/request/audit (controller/stats/audit-trail.ts). */
  setAudits(handler: (args: RequestArgs) => Promise<ActionResult>): void {
    this.audits = handler;
  }

  /** Who answers appointments/request/{verb} (controller/appointments/). */
  setAppointments(
    handler: (verb: AppointmentVerb, args: RequestArgs, sender: string | undefined) => Promise<ActionResult>,
  ): void {
    this.appointments = handler;
  }

  /** events/appointment_checked_in and events/appointment_missed (controller/appointments/). */
  publishAppointmentEvent(
    type: "appointment_checked_in" | "appointment_missed",
    appointment: ContractAppointment,
    ticketId: string | undefined,
  ): void {
    if (this.stopped) return;
    this.seq++;
    const body: ContractEvent = {
      epoch: this.options.epoch,
      seq: this.seq,
      ts: iso(this.options.clock()),
      type,
      ticket: ticketId ? contractTicketById(this.options.queue.core, ticketId) : null,
      appointment,
    };
    if (this.currentRequestId !== undefined) body.requestId = this.currentRequestId;
    this.send(this.topics.event(type), body, { qos: 1, retain: false });
  }

  /** Publishes the retained state that depends on time (opening hours), if it changed. */
  refresh(): void {
    this.publishQueueState(false);
    this.publishRetained(this.topics.info, this.info(), false);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const off of this.unsubscribe) off();
    try {
      if (this.connection.connected)
        await this.connection.publish(this.topics.status, JSON.stringify(this.status("offline")), RETAINED);
    } catch (error) {
      this.options.log.warn(`mqtt: could not publish offline status: ${(error as Error).message}`);
    }
    // Without a connection nothing queued can be flushed: a graceful end would wait for ever.
    await this.connection.end(!this.connection.connected);
  }

  private status(state: "online" | "offline") {
    return { state, epoch: this.options.epoch, version: this.options.version, ts: iso(this.options.clock()) };
  }

  private info() {
    const devices = this.options.health.devices().map((d) => ({ id: d.id, kind: d.kind }));
    return officeInfo(this.options.config, this.options.queue.core, this.options.clock(), devices);
  }

  private async onConnect(): Promise<void> {
    this.options.log.info(
      `mqtt: connected; publishing the retained state of office ${this.options.config.office.id}`,
    );
    this.publishAll();
    try {
      await this.connection.subscribe(this.topics.requestFilters, 1, { retainAsPublished: true });
      this.markReady();
      // What the broker kept of alerts/{device}/{code}: the ones over meanwhile are cleared.
      await this.connection.subscribe([this.alertTopics.filter], 1);
    } catch (error) {
      this.options.log.error(`mqtt: subscribing to requests failed: ${(error as Error).message}`);
    }
  }

  /** Everything retained, whether it changed or not: after a (re)connect or a resync request. */
  private publishAll(): void {
    this.send(this.topics.status, this.status("online"), RETAINED);
    this.publishRetained(this.topics.info, this.info(), true);
    this.publishQueueState(true);
    for (const device of this.options.health.devices()) {
      this.publishDevice(device);
      this.publishAlert(device.id, this.options.health.topAlert(device.id));
    }
    this.alertTopics.publishAll();
    for (const [topic, body] of this.extra) this.publishRetained(topic, body, true);
  }

  private publishQueueState(force: boolean): void {
    const core = this.options.queue.core;
    const now = this.options.clock();
    for (const [id, state] of serviceStates(core, now))
      this.publishRetained(this.topics.service(id), state, force, true);
    for (const [id, state] of counterStates(core))
      this.publishRetained(this.topics.counter(id), state, force, true);
    this.publishRetained(this.topics.tickets, { tickets: openTickets(core) }, force, true);
  }

  /** Publishes retained `body` if it differs from what was last published there (or if forced). */
  private publishRetained(topic: string, body: object, force: boolean, stamped = false): void {
    const key = JSON.stringify(body);
    if (!force && this.published.get(topic) === key) return;
    this.published.set(topic, key);
    this.send(topic, stamped ? { epoch: this.options.epoch, seq: this.seq, ...body } : body, RETAINED);
  }

  private send(topic: string, body: object | string, options: PublishOptions): void {
    const payload = typeof body === "string" ? body : JSON.stringify(body);
    this.connection.publish(topic, payload, options).catch((error: Error) => {
      // mqtt.js keeps QoS 1 messages for the reconnect; the retained state is republished then anyway.
      if (!this.stopped) this.options.log.warn(`mqtt: publish to ${topic} failed: ${error.message}`);
    });
  }

  private onQueueEvents(events: readonly QueueEvent[]): void {
    const core = this.options.queue.core;
    for (const event of events) {
      if (event.type === "day_ended") {
        for (const id of event.expired) this.publishEvent("ticket_expired", event, id);
        continue;
      }
      const ticketId = "ticket" in event ? event.ticket : undefined;
      const ticket = ticketId ? core.view.tickets.get(ticketId) : undefined;
      const type = contractType(event, ticket?.reissuedFrom !== undefined);
      if (type) this.publishEvent(type, event, ticketId);
    }
    this.scheduleQueueState();
  }

  /**
   * The retained queue state once per turn of the event loop, not once per command: fifty counters
   * calling at once cause one republish of the tickets list, not fifty. Events go out at once.
   */
  private scheduleQueueState(): void {
    if (this.queueStatePending) return;
    this.queueStatePending = true;
    setImmediate(() => {
      this.queueStatePending = false;
      if (!this.stopped) this.publishQueueState(false);
    });
  }

  private publishEvent(type: EventType, event: QueueEvent, ticketId: string | undefined): void {
    this.seq++;
    const body: ContractEvent = {
      epoch: this.options.epoch,
      seq: this.seq,
      ts: iso(event.ts),
      type,
      ticket: ticketId ? contractTicketById(this.options.queue.core, ticketId) : null,
    };
    if ("counter" in event && event.counter !== undefined) body.counter = event.counter;
    if (this.currentRequestId !== undefined) body.requestId = this.currentRequestId;
    if (event.type === "ticket_transferred") body.from = event.from;
    if (event.type === "ticket_cancelled" || event.type === "print_failed") body.reason = event.reason;
    if (event.type === "day_started") body.day = event.day;
    this.send(this.topics.event(type), body, { qos: 1, retain: false });
  }

  private onHealthChange(change: HealthChange): void {
    if (change.type === "device") {
      this.publishDevice(change.device);
      // info lists the devices: republished only if that changed (a device registered).
      this.publishRetained(this.topics.info, this.info(), false);
    } else {
      this.publishAlert(change.alert.device, this.options.health.topAlert(change.alert.device));
      this.alertTopics.onChange(change);
    }
  }

  private publishDevice(device: DeviceHealth): void {
    this.send(this.topics.device(device.id), contractDevice(device), RETAINED);
  }

  private publishAlert(device: string, alert: Alert | null): void {
    // Cleared by an empty retained message, as the contract says.
    this.send(this.topics.alert(device), contractAlert(alert), RETAINED);
  }

  private async onMessage(message: MqttMessage): Promise<void> {
    try {
      if (message.retain && this.alertTopics.onRetained(message.topic, message.payload)) return;
      const attributed = requestSender(this.topics.base, message.topic);
      if (!attributed) return;
      const target = parseRequestTopic(this.topics.base, attributed.topic);
      if (!target) return;
      if (message.retain) {
        // A retained request is stale by definition: ignore it and remove it from the broker.
        if (message.payload.length > 0) {
          this.options.log.warn(`mqtt: ignored a retained request on ${message.topic} and cleared it`);
          this.send(message.topic, "", RETAINED);
        }
        return;
      }
      const defaultReplyTopic = "replyTopic" in target ? target.replyTopic : this.topics.defaultReply(target);
      const outcome = await this.requests.handle({
        target,
        payload: message.payload,
        defaultReplyTopic,
        ...(message.responseTopic !== undefined ? { responseTopic: message.responseTopic } : {}),
        ...(attributed.sender !== undefined ? { sender: attributed.sender } : {}),
      });
      if (
        !("replyTopic" in target) &&
        target.scope === "system" &&
        target.verb === "resync" &&
        outcome.reply.ok &&
        !outcome.repeated
      ) {
        this.publishAll();
        (outcome.reply as Extract<Reply, { ok: true }>).result = this.epochSeq;
      }
      this.send(outcome.replyTopic, outcome.reply, {
        qos: 1,
        retain: false,
        ...(message.correlationData ? { correlationData: message.correlationData } : {}),
      });
    } catch (error) {
      this.options.log.error(
        `mqtt: request on ${message.topic} failed: ${(error as Error).stack ?? String(error)}`,
      );
    }
  }
}
