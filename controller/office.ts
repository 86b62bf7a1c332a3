// A running office: configuration, durable queue, health, the MQTT bridge and its broker (the
// embedded one with a web server for MQTT over WebSocket, or an external one by URL). The entry
// point starts one; tests start one in-process.
import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import {
  type AnnouncementSetup,
  type SimulatedSpeakers,
  setupAnnouncements,
} from "./announcements/announcement-setup.js";
import { ClipLibrary } from "./announcements/clip-library.js";
import { type AppointmentsSetup, setupAppointments } from "./appointments/appointments-setup.js";
import { type ScannersSetup, type SimulatedScanners, setupScanners } from "./appointments/scanners-setup.js";
import { type BoardSetup, type SimulatedBoards, setupBoards } from "./boards/board-setup.js";
import { publishBoardStates } from "./boards/board-states.js";
import { ClockGuard } from "./clock/clock-guard.js";
import type { ClockSyncSource } from "./clock/clock-sync.js";
import { packageRoot } from "./config/package-root.js";
import { listenError } from "./config/port-error.js";
import type { OfficeConfig } from "./config/schema.js";
import { type FollowSetup, setupFollow } from "./follow/follow-setup.js";
import { WebhookSender } from "./health/alert-webhook.js";
import { HealthBoard } from "./health/health-board.js";
import { startJournalProbe } from "./health/journal-probe.js";
import type { Logger } from "./health/log.js";
import { WEBHOOK_QUEUE_FILE, WebhookQueueFile } from "./health/webhook-queue-file.js";
import { MqttBridge } from "./mqtt/bridge.js";
import { type EmbeddedBroker, startEmbeddedBroker } from "./mqtt/embedded-broker.js";
import { reportLoginLocks } from "./mqtt/login-alert.js";
import { hasSimulatedDevices } from "./mqtt/mosquitto-config.js";
import { connectMqtt, type MqttConnectOptions } from "./mqtt/transport.js";
import { NodeHub } from "./nodes/node-hub.js";
import { type PanelSetup, type SimulatedPanels, setupPanels } from "./panels/panel-setup.js";
import type { PrintService } from "./printing/print-service.js";
import { type PrinterSetup, type SimulatedPrinters, setupPrinters } from "./printing/printer-setup.js";
import { DurableQueue } from "./queue/durable-queue.js";
import { JOURNAL_DEVICE, QueueService } from "./queue/queue-service.js";
import { type StatsSetup, setupStats } from "./stats/stats-setup.js";
import { journalWritableCheck } from "./systemd/watchdog-health.js";
import { staticSite } from "./web/static-server.js";
import { createWebServer, readWebTls } from "./web/tls.js";

export interface OfficeOptions {
  config: OfficeConfig;
  /** Overrides the config's journal.dataDir. */
  dataDir?: string;
  /** Override the embedded broker's MQTT and HTTP ports (0 = any free port). */
  mqttPort?: number;
  httpPort?: number;
  /** Override follow.port (0 = any free port). */
  followPort?: number;
  clock?: () => number;
  log: Logger;
  version: string;
  printing?: PrintService;
  /**
   * Whether the system clock is synchronised (controller/clock/clock-sync.ts); the CLI passes the
   * system's. Default: a source that cannot tell, so the clock is trusted.
   */
  clockSync?: ClockSyncSource;
  /** Milliseconds that only go forward; default performance.now. */
  monotonic?: () => number;
  /** The built web pages; default dist/web of the package. */
  webRoot?: string;
  /** How often the day rollover and time-dependent state (opening hours) are checked. */
  tickMs?: number;
  /**
   * The devices of kind "simulated", from the demo composition (demo/demo-office.ts); an office
   * without it refuses a configuration that names one.
   */
  simulated?: SimulatedDevices;
}

/** What the demo composition hands in for the printers, boards, panels and speakers the config simulates. */
export type SimulatedDevices = SimulatedPrinters &
  SimulatedBoards &
  SimulatedPanels &
  SimulatedSpeakers &
  SimulatedScanners;

export interface RunningOffice {
  config: OfficeConfig;
  dataDir: string;
  queue: DurableQueue;
  service: QueueService;
  health: HealthBoard;
  printers: PrinterSetup;
  boards: BoardSetup;
  /** Topic-button panels: drivers, the press service, controls of simulated ones. */
  panels: PanelSetup;
  /** Device nodes (second Pis) whose printers, panels and boards serve this office's queue. */
  nodes: NodeHub;
  /** Each zone's last calls (calls/{zone}), spoken calls, speaking kiosks. */
  announcements: AnnouncementSetup;
  /** The manager's figures: stats/today, stats/days/{day}, desk/request/report, threshold alerts. */
  stats: StatsSetup;
  /** Booked visits: appointments/request/{verb}, check-in, missed appointments (docs/appointments.md). */
  appointments: AppointmentsSetup;
  /** The kiosks' booking-code scanners (devices.scanners). */
  scanners: ScannersSetup;
  bridge: MqttBridge;
  /** Where MQTT clients connect (the embedded broker, or the external one's URL). */
  mqttUrl: string;
  /** The web server (embedded broker only, https:// with mqtt.embedded.tls): MQTT over WebSocket at /mqtt. */
  httpUrl: string | null;
  /** The follow page's listener (config follow), e.g. http://127.0.0.1:8090; tickets' QR carry <publicUrl>/t/<token>. */
  follow: { url: string; publicUrl: string } | null;
  stop(): Promise<void>;
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const failed = (error: Error) =>
      reject(
        listenError(error, {
          what: "the web server (pages, MQTT over WebSocket)",
          host,
          port,
          setting: "mqtt.embedded.httpPort (or --http-port)",
        }),
      );
    server.once("error", failed);
    server.listen(port, host, () => {
      server.off("error", failed);
      resolvePort((server.address() as AddressInfo).port);
    });
  });
}

/** IT support's second channel: every alert raised and cleared, as one JSON body each. */
function forwardAlerts(
  health: HealthBoard,
  office: string,
  clock: () => number,
  send: (body: object) => void,
): void {
  health.onChange((change) => {
    if (change.type === "device") return;
    send({
      event: change.type === "alert_raised" ? "raised" : "cleared",
      office,
      ts: new Date(clock()).toISOString(),
      alert: { ...change.alert, since: new Date(change.alert.since).toISOString() },
    });
  });
}

export async function startOffice(options: OfficeOptions): Promise<RunningOffice> {
  const { config, log } = options;
  const clock = options.clock ?? Date.now;
  const dataDir = resolve(options.dataDir ?? config.journal.dataDir);
  const health = new HealthBoard(clock);
  // Before the queue opens: an untrusted clock must not roll the day over at open.
  const clockGuard = new ClockGuard({
    config: config.clock,
    source: options.clockSync ?? { name: "none", check: async () => "unknown" },
    monotonic: options.monotonic ?? (() => performance.now()),
    health,
    log,
  });
  await clockGuard.start();
  const queue = DurableQueue.open({
    config,
    dataDir,
    clock,
    log,
    clockTrust: clockGuard,
    monotonic: options.monotonic,
  });
  const cleanups: Array<() => Promise<void> | void> = [() => queue.close(), () => clockGuard.stop()];
  // Once the clock is trusted, the day the queue has waited for may begin at once.
  clockGuard.onChange(() => {
    try {
      queue.tick();
    } catch (error) {
      log.error(`day rollover after the clock check failed, will retry: ${(error as Error).message}`);
    }
  });
  const stopAll = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (error) {
        log.warn(`stopping: ${(error as Error).message}`);
      }
    }
  };
  try {
    // Alerts also go to the log (journald on a Pi), so IT support can read the history there.
    health.onChange((change) => {
      if (change.type === "alert_raised")
        log.warn(`alert ${change.alert.device} ${change.alert.code}: ${change.alert.message}`);
      else if (change.type === "alert_cleared")
        log.info(`alert cleared: ${change.alert.device} ${change.alert.code}`);
    });
    if (config.alerts.webhook) {
      // Alerts waiting for the endpoint are kept in the data folder, for after a restart.
      const store = new WebhookQueueFile({ path: join(dataDir, WEBHOOK_QUEUE_FILE), log });
      const webhook = new WebhookSender({ config: config.alerts.webhook, log, store });
      cleanups.push(() => webhook.close());
      forwardAlerts(health, config.office.id, clock, (body) => webhook.send(body));
    }
    // Read and checked before anything starts: a bad recording stops the start with its path.
    const clips = ClipLibrary.forOffice(config.announcements.clips);
    // So are the web server's certificate and key: a bad one stops the start naming the file.
    const webTls = config.mqtt.embedded.tls;
    if (webTls && config.mqtt.broker)
      log.warn("mqtt.embedded.tls is not used: with mqtt.broker vooru runs no web server");
    const webTlsMaterial = webTls && !config.mqtt.broker ? readWebTls(webTls, log) : null;
    // Devices on device nodes: mirrored health, remote printing and panels over MQTT.
    const nodes = new NodeHub({ config, health, clock, log });
    const { simulated } = options;
    const printers = await setupPrinters(config, health, clock, {
      remote: nodes,
      ...(simulated ? { simulated } : {}),
    });
    cleanups.push(() => printers.stop());
    const service = new QueueService(queue, options.printing ?? printers.pool, health, log);
    // A full or read-only card reaches IT within 10 s even while nobody presses or calls.
    const journalProbe = startJournalProbe({
      check: journalWritableCheck(dataDir, 4000),
      health,
      device: JOURNAL_DEVICE,
    });
    cleanups.push(() => journalProbe.stop());
    // The customer's follow page behind the ticket's QR, on its own read-only listener.
    let follow: FollowSetup | null = null;
    if (config.follow) {
      const started = await setupFollow({
        config: config.follow,
        core: queue.core,
        webRoot: options.webRoot ?? join(packageRoot(), "dist", "web"),
        log,
        ...(options.followPort !== undefined ? { port: options.followPort } : {}),
      });
      follow = started;
      cleanups.push(() => started.stop());
      printers.pool.setFollowUrl(started.publicUrl);
    }
    const boards = await setupBoards({
      config,
      queue,
      health,
      clock,
      remote: nodes,
      ...(simulated ? { simulated } : {}),
    });
    cleanups.push(() => boards.stop());
    // After the printers: a press prints at once, and waits while its printer connects.
    const panels = await setupPanels({
      config,
      queueService: service,
      health,
      clock,
      log,
      remote: nodes,
      ...(simulated ? { simulated } : {}),
    });
    cleanups.push(() => panels.stop());
    let mqttUrl: string;
    let httpUrl: string | null = null;
    let credentials: { username?: string; password?: string } = {};
    const external = config.mqtt.broker;
    if (external) {
      mqttUrl = external.url;
      credentials = {
        ...(external.username ? { username: external.username } : {}),
        ...(external.password ? { password: external.password } : {}),
      };
    } else {
      const embedded = config.mqtt.embedded;
      const http = createWebServer(
        staticSite({
          root: options.webRoot ?? join(packageRoot(), "dist", "web"),
          office: config.office.id,
          clipFile: (clip) => clips.path(clip),
          https: webTlsMaterial !== null,
        }),
        webTlsMaterial,
      );
      const httpPort = await listen(http, embedded.host, options.httpPort ?? embedded.httpPort);
      cleanups.push(() => new Promise<void>((done) => http.close(() => done())));
      httpUrl = `${webTlsMaterial ? "https" : "http"}://127.0.0.1:${httpPort}`;
      // The controller's own connection: fresh credentials every boot, known to nobody else.
      const internalUser = {
        username: `vooru-controller-${randomBytes(4).toString("hex")}`,
        password: randomBytes(24).toString("hex"),
      };
      const broker: EmbeddedBroker = await startEmbeddedBroker({
        office: config.office.id,
        host: embedded.host,
        port: options.mqttPort ?? embedded.port,
        httpServer: http,
        users: config.mqtt.users,
        allowAnonymousLoopback: embedded.allowAnonymousLoopback,
        allowedOrigins: embedded.allowedOrigins,
        simulation: hasSimulatedDevices(config),
        internalUser,
        onLoginLocks: (locks) => reportLoginLocks(health, locks),
        log,
      });
      cleanups.push(() => broker.close());
      mqttUrl = broker.url;
      credentials = internalUser;
    }
    const connectOptions: MqttConnectOptions = {
      url: mqttUrl,
      ...credentials,
      protocolVersion: external?.protocolVersion ?? 4,
      ...(external?.ca ? { caFile: external.ca } : {}),
      ...(external?.cert ? { certFile: external.cert } : {}),
      ...(external?.key ? { keyFile: external.key } : {}),
      rejectUnauthorized: external?.rejectUnauthorized ?? true,
    };
    const bridge = new MqttBridge({
      config,
      queue,
      service,
      health,
      clock,
      epoch: `${clock().toString(36)}-${randomBytes(3).toString("hex")}`,
      version: options.version,
      log,
      connect: (will) =>
        connectMqtt({
          ...connectOptions,
          will,
          clientId: `vooru-${config.office.id}-${randomBytes(3).toString("hex")}`,
        }),
    });
    cleanups.push(() => bridge.stop());
    // A second connection of the controller's own, for the device nodes' topics. Stopped before
    // the panels, so presses waiting on a node's printer end at once.
    cleanups.push(() => nodes.stop());
    if (!nodes.empty)
      nodes.start(
        connectMqtt({
          ...connectOptions,
          clientId: `vooru-${config.office.id}-nodes-${randomBytes(3).toString("hex")}`,
        }),
      );
    const boardPlaces = new Map(
      [...config.devices.boardBuses.flatMap((bus) => bus.boards), ...config.devices.ledDisplays].map((b) => [
        b.id,
        { ...(b.counter !== undefined ? { counter: b.counter } : {}), ...(b.zone ? { zone: b.zone } : {}) },
      ]),
    );
    const blinkMs = config.devices.boardTexts.blinkSeconds * 1000;
    cleanups.push(publishBoardStates(boards, bridge, blinkMs, boardPlaces));
    const announcements = setupAnnouncements({
      config,
      queue,
      health,
      clock,
      log,
      clips,
      publish: (topic, body) => bridge.publishExtra(topic, body),
      topics: bridge.topics,
      stamp: () => bridge.epochSeq,
      ...(simulated ? { simulated } : {}),
    });
    cleanups.push(() => announcements.stop());
    const stats = setupStats({
      config,
      queue,
      dataDir,
      health,
      clock,
      log,
      publish: (topic, body) => bridge.publishExtra(topic, body),
      topics: bridge.topics,
    });
    cleanups.push(async () => {
      stats.stop();
      await stats.settled();
    });
    bridge.setReports((args) => stats.report(args));
    bridge.setAudits((args) => stats.audit(args));
    // Booked visits: their store in the data folder; a check-in issues through the desk's path.
    const appointments = setupAppointments({ config, dataDir, queueService: service, clock, log });
    cleanups.push(() => appointments.stop());
    bridge.setAppointments((verb, args, sender) => appointments.service.request(verb, args, sender));
    appointments.service.onEvent((type, appointment, ticket) =>
      bridge.publishAppointmentEvent(type, appointment, ticket),
    );
    // The kiosks' booking-code scanners: a scan checks the customer in at the scanner's printer.
    const scanners = await setupScanners({
      config,
      appointments: appointments.service,
      health,
      log,
      clock,
      ...(simulated ? { simulated } : {}),
      // A refused scan prints why on a slip (the kiosk has no screen).
      ...(options.printing
        ? {}
        : { printNotice: (lines, printer) => printers.pool.printNotice(lines, printer) }),
    });
    cleanups.push(() => scanners.stop());
    // A speaking kiosk says the number it just printed.
    const offPress = panels.service.onPress((press) => {
      if (press.outcome === "issued" && press.ticket)
        announcements.ticketPrinted(press.printer, press.ticket);
    });
    cleanups.push(offPress);
    // Requests sent before the bridge subscribed would be lost: wait for it, but not for ever (an
    // external broker may be down; the bridge keeps retrying and the office works meanwhile).
    await Promise.race([bridge.ready, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
    // The daily reset and opening hours change the state even when nobody presses a button.
    const timer = setInterval(() => {
      try {
        queue.tick();
        bridge.refresh();
        boards.refresh();
        panels.refresh();
      } catch (error) {
        log.error(`periodic check failed, will retry: ${(error as Error).message}`);
      }
    }, options.tickMs ?? 30_000);
    cleanups.push(() => clearInterval(timer));
    return {
      config,
      dataDir,
      queue,
      service,
      health,
      printers,
      boards,
      panels,
      nodes,
      announcements,
      stats,
      appointments,
      scanners,
      bridge,
      mqttUrl,
      httpUrl,
      follow: follow ? { url: follow.url, publicUrl: follow.publicUrl } : null,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
