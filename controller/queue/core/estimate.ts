// Estimated wait, as a range: people ahead x the service's moving-average service time, shared by
// the counters open for that service (at least one: counters may open later).
import type { QueueModel } from "./model.js";
import type { QueueState } from "./types.js";

export interface WaitEstimate {
  minMinutes: number;
  maxMinutes: number;
}

/** Ranges are printed in steps of five minutes: "10–15 min" reads better than "11–14 min". */
const STEP = 5;

export function openCountersFor(model: QueueModel, state: QueueState, service: string): number {
  let open = 0;
  for (const [id, profile] of model.counters)
    if (profile.weights.has(service) && state.counters.get(id)?.status === "open") open++;
  return open;
}

export function estimateWait(
  model: QueueModel,
  state: QueueState,
  service: string,
  ahead: number,
): WaitEstimate {
  return waitEstimator(model, state)(service, ahead);
}

/**
 * Estimates for many tickets at once: the per-service pace and open counters are worked out once
 * per service, not once per ticket (the tickets topic lists every open ticket).
 */
export function waitEstimator(
  model: QueueModel,
  state: QueueState,
): (service: string, ahead: number) => WaitEstimate {
  const minutesPerService = new Map<string, number>();
  return (service, ahead) => {
    let minutes = minutesPerService.get(service);
    if (minutes === undefined) {
      const perCustomer =
        state.services.get(service)?.serviceMinutes ?? model.config.queue.defaultServiceMinutes;
      minutes = perCustomer / Math.max(1, openCountersFor(model, state, service));
      minutesPerService.set(service, minutes);
    }
    return rangeOf(ahead * minutes);
  };
}

function rangeOf(expected: number): WaitEstimate {
  const minMinutes = Math.floor((expected * 0.8) / STEP) * STEP;
  const maxMinutes = Math.max(minMinutes + STEP, Math.ceil((expected * 1.25) / STEP) * STEP);
  return { minMinutes, maxMinutes };
}
