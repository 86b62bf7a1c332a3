// Every active alert of a device on its own retained topic, alerts/{device}/{code}: a stuck button
// no longer hides that the same panel then went offline. alerts/{device} stays (the most severe);
// this is additive. Cleared by an empty retained message; after a (re)connect the controller also
// clears what a broker kept from before that is no longer active (Mosquitto persists retained).
import type { OfficeTopics } from "../../protocols/mqtt/topics.js";
import type { Alert, HealthBoard, HealthChange } from "../health/health-board.js";
import { contractAlert } from "./contract-views.js";

type Publish = (topic: string, body: object | string) => void;

/** device/code as a topic's two last levels; codes are A-Z and _, device ids topic-safe. */
const key = (device: string, code: string) => `${device}/${code}`;

export class AlertTopics {
  constructor(
    private readonly topics: Pick<OfficeTopics, "base" | "alertCode">,
    private readonly health: Pick<HealthBoard, "activeAlerts">,
    private readonly publish: Publish,
  ) {}

  /** The filter to read back what the broker kept (subscribe once connected). */
  get filter(): string {
    return this.topics.alertCode("+", "+");
  }

  onChange(change: HealthChange): void {
    if (change.type === "device") return;
    const { device, code } = change.alert;
    this.publish(
      this.topics.alertCode(device, code),
      change.type === "alert_raised" ? contractAlert(change.alert) : "",
    );
  }

  /** Every active alert again (after a reconnect or a resync). */
  publishAll(): void {
    for (const alert of this.health.activeAlerts()) this.publishOne(alert);
  }

  /**
   * A retained alert the broker delivered on subscribe: cleared if it is no longer active (an
   * alert raised before a restart that ended meanwhile). Returns true if the topic was one of these.
   */
  onRetained(topic: string, payload: Buffer): boolean {
    const prefix = `${this.topics.base}alerts/`;
    if (!topic.startsWith(prefix)) return false;
    const rest = topic.slice(prefix.length).split("/");
    if (rest.length !== 2) return false;
    if (payload.length === 0) return true;
    const [device, code] = rest as [string, string];
    const active = this.health.activeAlerts().some((a) => key(a.device, a.code) === key(device, code));
    if (!active) this.publish(topic, "");
    return true;
  }

  private publishOne(alert: Alert): void {
    this.publish(this.topics.alertCode(alert.device, alert.code), contractAlert(alert));
  }
}
