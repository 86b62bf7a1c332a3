// Health of every device and the alerts for IT support. Drivers report here; the MQTT bridge
// publishes devices/{device} and alerts/{device}, and the webhook hears raised and cleared alerts.

export type DeviceStatus = "ok" | "degraded" | "offline";
export type AlertSeverity = "info" | "warning" | "critical";

export interface DeviceHealth {
  id: string;
  kind: string;
  status: DeviceStatus;
  faults: string[];
  /** When the status last changed (epoch ms). */
  since: number;
  /** When the device last answered, if it talks back. */
  lastSeen: number | null;
  /** What the driver adds: a printer's raw status bytes, for example. */
  details?: Record<string, unknown>;
}

export interface Alert {
  severity: AlertSeverity;
  device: string;
  code: string;
  message: string;
  since: number;
}

export type HealthChange =
  | { type: "device"; device: DeviceHealth }
  | { type: "alert_raised"; alert: Alert }
  | { type: "alert_cleared"; alert: Alert };

const RANK: Record<AlertSeverity, number> = { info: 0, warning: 1, critical: 2 };

export class HealthBoard {
  private readonly devicesById = new Map<string, DeviceHealth>();
  /** device -> code -> alert */
  private readonly active = new Map<string, Map<string, Alert>>();
  private readonly listeners = new Set<(change: HealthChange) => void>();

  constructor(private readonly clock: () => number) {}

  onChange(listener: (change: HealthChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A device that talks back starts offline ("connecting") until its driver has heard from it. */
  register(
    id: string,
    kind: string,
    initial: { status: DeviceStatus; faults: string[] } = { status: "ok", faults: [] },
  ): void {
    if (this.devicesById.has(id)) return;
    const device: DeviceHealth = { id, kind, ...initial, since: this.clock(), lastSeen: null };
    this.devicesById.set(id, device);
    this.emit({ type: "device", device: { ...device } });
  }

  report(
    id: string,
    update: { status: DeviceStatus; faults?: string[]; lastSeen?: number; details?: Record<string, unknown> },
  ): void {
    const device = this.devicesById.get(id);
    if (!device) throw new Error(`unknown device ${id}: register it first`);
    const faults = update.faults ?? (update.status === "ok" ? [] : device.faults);
    const changed =
      device.status !== update.status ||
      faults.join() !== device.faults.join() ||
      (update.details !== undefined && JSON.stringify(update.details) !== JSON.stringify(device.details));
    if (device.status !== update.status) device.since = this.clock();
    device.status = update.status;
    device.faults = faults;
    if (update.lastSeen !== undefined) device.lastSeen = update.lastSeen;
    if (update.details !== undefined) device.details = update.details;
    if (changed) this.emit({ type: "device", device: { ...device } });
  }

  devices(): DeviceHealth[] {
    return [...this.devicesById.values()].map((d) => ({ ...d }));
  }

  /** Raises an alert once; raising it again while active changes nothing. */
  raise(alert: Omit<Alert, "since">): void {
    let codes = this.active.get(alert.device);
    if (!codes) {
      codes = new Map();
      this.active.set(alert.device, codes);
    }
    if (codes.has(alert.code)) return;
    const raised = { ...alert, since: this.clock() };
    codes.set(alert.code, raised);
    this.emit({ type: "alert_raised", alert: raised });
  }

  clear(device: string, code: string): void {
    const alert = this.active.get(device)?.get(code);
    if (!alert) return;
    this.active.get(device)?.delete(code);
    this.emit({ type: "alert_cleared", alert });
  }

  /** The alert a device's alerts/{device} topic shows: the most severe, then the oldest. */
  topAlert(device: string): Alert | null {
    let top: Alert | null = null;
    for (const alert of this.active.get(device)?.values() ?? [])
      if (!top || RANK[alert.severity] > RANK[top.severity]) top = alert;
    return top;
  }

  activeAlerts(): Alert[] {
    return [...this.active.values()].flatMap((codes) => [...codes.values()]);
  }

  private emit(change: HealthChange): void {
    for (const listener of this.listeners) listener(change);
  }
}
