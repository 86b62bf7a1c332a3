// `vooru check --try-devices` for LED boards: a bus is opened with the real BoardBus driver, which
// probes every board that answers (Modbus: read register 0) as soon as the bus is open; Alpha
// signs never answer, so an open line is all there is to learn. A led display (an Arduino with
// StandardFirmata) is opened with its real driver and counts once johnny-five set the chip up.

import { BoardBus } from "../../device/boards/board-bus.js";
import { firmataIoFactory } from "../../device/boards/firmata-io.js";
import { LedDigitsBoard } from "../../device/boards/led-digits-board.js";
import type { DeviceHealthSink, DeviceStatus } from "../../device/health.js";
import { serialTransport } from "../../device/transports/serial.js";
import { tcpTransport } from "../../device/transports/tcp.js";
import { boardCodec } from "../../protocols/boards/index.js";
import type { BoardBusConfig, LedDisplayConfig } from "../boards/board-schema.js";
import { type DeviceTrial, sleep, until } from "./trial.js";

interface Heard {
  status?: DeviceStatus;
  faults: string[];
  alert?: string;
}

function listeningSink(heard: Heard): DeviceHealthSink {
  return {
    report(status, faults) {
      heard.status = status;
      heard.faults = faults;
    },
    raise(_code, _severity, message) {
      heard.alert = message;
    },
    clear() {
      delete heard.alert;
    },
  };
}

function busTarget(t: BoardBusConfig["transport"]): string {
  if (t.type === "serial") return `serial ${t.path} @ ${t.baudRate}`;
  if (t.type === "tcp") return `tcp ${t.host}:${t.port}`;
  if (t.type === "node") return `node ${t.node}`;
  return "simulated";
}

export async function tryBoardBus(bus: BoardBusConfig, timeoutMs = 5000): Promise<DeviceTrial[]> {
  const target = busTarget(bus.transport);
  const t = bus.transport;
  if (t.type === "simulated")
    return [
      { id: bus.id, kind: "board bus", target, status: "skipped", detail: "simulated boards inside vooru" },
    ];
  if (t.type === "node")
    return [{ id: bus.id, kind: "board bus", target, status: "skipped", detail: `on device node ${t.node}` }];
  const codec = boardCodec(bus.protocol);
  const busHeard: Heard = { faults: [] };
  const boards = new Map(bus.boards.map((b) => [b.id, { faults: [] } as Heard]));
  const driver = new BoardBus({
    id: bus.id,
    transport:
      t.type === "serial"
        ? serialTransport({
            path: t.path,
            baudRate: t.baudRate,
            ...(bus.protocol === "alpha" ? { dataBits: 7 as const, parity: "even" as const } : {}),
          })
        : tcpTransport({ host: t.host, port: t.port }),
    codec,
    baudRate: t.type === "serial" ? t.baudRate : 9600,
    boards: bus.boards.map((b) => ({ id: b.id, address: b.address })),
    health: (id) => listeningSink(boards.get(id) ?? { faults: [] }),
    busHealth: listeningSink(busHeard),
    backoffInitialMs: 60_000, // one attempt: this is a check, not a service
  });
  const answering = bus.boards.filter((b) => codec.expectsReply(b.address));
  // A board that answers reports "ok"; one that misses its probe reports no_answer.
  const settled = (h: Heard) => h.status === "ok" || h.faults.includes("no_answer");
  driver.start();
  try {
    await until(
      () =>
        busHeard.alert !== undefined ||
        (busHeard.status === "ok" && answering.every((b) => settled(boards.get(b.id) ?? { faults: [] }))),
      timeoutMs,
    );
    if (busHeard.alert !== undefined || busHeard.status !== "ok")
      return [
        {
          id: bus.id,
          kind: "board bus",
          target,
          status: "failed",
          detail:
            busHeard.alert?.replace(/^Board bus \S+ is unreachable: /, "") ?? "the bus did not open in time",
        },
      ];
    const trials: DeviceTrial[] = [
      { id: bus.id, kind: "board bus", target, status: "ok", detail: `open (${bus.protocol})` },
    ];
    for (const board of bus.boards) {
      const heard = boards.get(board.id) ?? { faults: [] };
      const where = `${bus.id} address ${board.address}`;
      if (!codec.expectsReply(board.address))
        trials.push({
          id: board.id,
          kind: "board",
          target: where,
          status: "ok",
          detail: "written only (Alpha signs never answer): look at the sign",
        });
      else if (heard.status === "ok")
        trials.push({
          id: board.id,
          kind: "board",
          target: where,
          status: "ok",
          detail: "answered the probe",
        });
      else
        trials.push({
          id: board.id,
          kind: "board",
          target: where,
          status: "failed",
          detail: `no answer at address ${board.address} (wiring, A/B swapped, address or baud rate?)`,
        });
    }
    return trials;
  } finally {
    await driver.stop();
    await sleep(0);
  }
}

export async function tryLedDisplay(display: LedDisplayConfig, timeoutMs = 10_000): Promise<DeviceTrial> {
  const io = display.io;
  const base = { id: display.id, kind: "led display" };
  if (io.type === "simulated")
    return { ...base, target: "simulated", status: "skipped", detail: "a simulated Arduino inside vooru" };
  const target = `firmata ${io.path} @ ${io.baudRate}`;
  const heard: Heard = { faults: [] };
  const board = new LedDigitsBoard({
    id: display.id,
    controller: display.controller,
    io: firmataIoFactory({ transport: serialTransport({ path: io.path, baudRate: io.baudRate }) }),
    ...(display.address !== undefined ? { address: display.address } : {}),
    ...(display.pins ? { pins: display.pins } : {}),
    ...(display.digits !== undefined ? { digits: display.digits } : {}),
    health: listeningSink(heard),
    backoffInitialMs: 60_000,
  });
  board.start();
  try {
    // An Arduino resets when its port opens and needs about two seconds before Firmata answers.
    await until(() => heard.status === "ok" || heard.alert !== undefined, timeoutMs);
    if (heard.status === "ok")
      return {
        ...base,
        target,
        status: "ok",
        detail: `StandardFirmata answered; ${display.controller} set up`,
      };
    return {
      ...base,
      target,
      status: "failed",
      detail:
        heard.alert?.replace(/^LED board \S+ is unreachable: /, "") ??
        "no answer from StandardFirmata in time",
    };
  } finally {
    await board.stop();
    await sleep(0);
  }
}
