// How a driver's health reaches the office: every room hands its drivers a sink made here, so a
// printer, a board, a panel or a speaker is one device on the health board, MQTT and the webhook.
import type { DeviceHealthSink } from "../../device/health.js";
import { actionableMessage } from "./alert-advice.js";
import type { HealthBoard } from "./health-board.js";

/**
 * A health sink that feeds the office's health board for one device. `place`: where it is plugged
 * (a transport's description), said in its alerts with what to do.
 */
export function healthSinkFor(
  board: HealthBoard,
  id: string,
  kind: string,
  place?: string,
): DeviceHealthSink {
  board.register(id, kind, { status: "offline", faults: ["connecting"] });
  return {
    report: (status, faults, lastSeen, details) =>
      board.report(id, {
        status,
        faults,
        ...(lastSeen !== undefined ? { lastSeen } : {}),
        ...(details !== undefined ? { details } : {}),
      }),
    raise: (code, severity, message) =>
      board.raise({ device: id, code, severity, message: actionableMessage(code, message, place) }),
    clear: (code) => board.clear(id, code),
  };
}
