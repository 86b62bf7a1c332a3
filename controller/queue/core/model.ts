// The parts of the office configuration the queue core reads, indexed once.
import type { CounterConfig, OfficeConfig, ServiceConfig } from "../../config/schema.js";

export interface CounterProfile {
  config: CounterConfig;
  /** service id -> weight at this counter */
  weights: Map<string, number>;
}

export interface QueueModel {
  config: OfficeConfig;
  services: Map<string, ServiceConfig>;
  counters: Map<string, CounterProfile>;
}

export function buildModel(config: OfficeConfig): QueueModel {
  const services = new Map(config.services.map((s) => [s.id, s]));
  const counters = new Map<string, CounterProfile>();
  for (const counter of config.counters) {
    const weights = new Map<string, number>();
    for (const entry of counter.services) {
      const id = typeof entry === "string" ? entry : entry.service;
      const explicit = typeof entry === "string" ? undefined : entry.weight;
      weights.set(id, explicit ?? services.get(id)?.weight ?? 1);
    }
    counters.set(counter.id, { config: counter, weights });
  }
  return { config, services, counters };
}

export function digitsOf(service: ServiceConfig): number {
  return service.digits ?? String(service.range.last).length;
}

export function formatNumber(service: ServiceConfig, n: number): string {
  return `${service.prefix}${String(n).padStart(digitsOf(service), "0")}`;
}
