// The appointments room: its store in the data folder, its service, and the timer that marks
// missed appointments. office.ts routes appointments/request/{verb} to it and publishes its events.
import type { OfficeConfig } from "../config/schema.js";
import type { Logger } from "../health/log.js";
import type { QueueService } from "../queue/queue-service.js";
import { AppointmentService } from "./appointment-service.js";
import { AppointmentStore } from "./appointment-store.js";

export interface AppointmentsSetup {
  service: AppointmentService;
  store: AppointmentStore;
  stop(): void;
}

export function setupAppointments(options: {
  config: OfficeConfig;
  dataDir: string;
  queueService: Pick<QueueService, "issueAppointment">;
  clock: () => number;
  log: Logger;
  /** How often missed appointments are looked for (ms); 30 s by default. */
  tickMs?: number;
}): AppointmentsSetup {
  const { config, log } = options;
  const store = AppointmentStore.open(options.dataDir, (message) => log.error(message));
  const service = new AppointmentService({
    config: config.appointments,
    services: new Map(config.services.map((s) => [s.id, s])),
    timeZone: config.office.timeZone,
    store,
    queueService: options.queueService,
    clock: options.clock,
    log,
  });
  const timer = setInterval(() => service.tick(), options.tickMs ?? 30_000);
  timer.unref();
  return {
    service,
    store,
    stop: () => clearInterval(timer),
  };
}
