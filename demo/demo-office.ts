// The demo office: an office whose configuration may name simulated devices, composed from the
// controller's own composition root (controller/office.ts) and the demo's parts: the virtual
// devices behind the simulated printers, boards and panels, the kiosk page's controls over them
// (sim/ topics), and simulated customers (`--traffic N`). The controller knows nothing of these.
import type { OfficeOptions, RunningOffice } from "../controller/office.js";
import { startOffice } from "../controller/office.js";
import { SimulatedDevices } from "./simulated-devices.js";
import { Simulation } from "./simulation.js";
import { startTraffic, type Traffic } from "./traffic.js";

export interface DemoOfficeOptions extends Omit<OfficeOptions, "simulated"> {
  /** Simulated customers a minute at the simulated panels; none without it. */
  trafficPerMinute?: number;
  /** How long a simulated speaker takes to play a sound: 1 real time (default), 0 at once. */
  speakerTimeScale?: number;
}

export interface DemoOffice extends RunningOffice {
  /** The virtual devices behind the office's simulated printers, boards and panels. */
  simulated: SimulatedDevices;
  /** The kiosk page's controls over them (sim/request/...), and their retained state. */
  simulation: Simulation;
  traffic: Traffic | null;
}

export async function startDemoOffice(options: DemoOfficeOptions): Promise<DemoOffice> {
  const { config, log } = options;
  const clock = options.clock ?? Date.now;
  const simulated = new SimulatedDevices(log, clock);
  if (options.speakerTimeScale !== undefined) simulated.speakerTimeScale = options.speakerTimeScale;
  let office: RunningOffice;
  try {
    office = await startOffice({ ...options, simulated });
  } catch (error) {
    await simulated.close();
    throw error;
  }
  const simulation = new Simulation({
    topics: office.bridge.topics,
    printers: simulated.printers,
    panels: simulated.panels,
    publish: (topic, body) => office.bridge.publishExtra(topic, body),
    clock,
    log,
  });
  if (!simulation.empty) office.bridge.setSimulation((verb, args) => simulation.handle(verb, args));
  // With no board to look at, the demo says in its log what each simulated board shows.
  const simulatedBoards = new Set([
    ...config.devices.boardBuses
      .filter((b) => b.transport.type === "simulated")
      .flatMap((b) => b.boards.map((x) => x.id)),
    ...config.devices.ledDisplays.filter((d) => d.io.type === "simulated").map((d) => d.id),
  ]);
  const offShow = office.boards.onShow((board, shown) => {
    if (simulatedBoards.has(board))
      log.info(
        `simulated board ${board} shows ${JSON.stringify(shown.text)}${shown.blink ? " (blinking)" : ""}`,
      );
  });
  // Likewise what each simulated speaker plays (the display page plays the sound itself).
  const offPlays = [...simulated.speakers.values()].map((speaker) =>
    speaker.onPlay((sound) =>
      log.info(`simulated speaker ${speaker.id} plays ${(sound.durationMs / 1000).toFixed(1)} s`),
    ),
  );
  let traffic: Traffic | null = null;
  const perMinute = options.trafficPerMinute;
  if (perMinute !== undefined) {
    if (simulated.panels.size === 0)
      log.warn("--traffic: this office has no simulated panel to press; no traffic");
    else {
      log.info(`traffic: about ${perMinute} simulated customers a minute at the simulated panels`);
      traffic = startTraffic({ panels: simulated.panels, perMinute, log });
    }
  }
  const stopOffice = office.stop;
  return Object.assign(office, {
    simulated,
    simulation,
    traffic,
    async stop() {
      traffic?.stop();
      offShow();
      for (const off of offPlays) off();
      simulation.stop();
      await stopOffice();
      await simulated.close();
    },
  });
}
