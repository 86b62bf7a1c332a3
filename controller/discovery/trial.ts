// One line of `vooru check --try-devices`: a configured device, how it was reached, and what
// trying it once showed. Shared by the printer, board and panel trials and the table.

export interface DeviceTrial {
  /** The configured id (a printer, a bus, a board on a bus, a display, a panel). */
  id: string;
  /** printer, test ticket, board bus, board, led display, panel. */
  kind: string;
  /** How it is reached: "serial /dev/... @ 19200", "tcp 10.0.0.5:9100", "hid 05f3:0405". */
  target: string;
  /** skipped: simulated, nothing to try; warning: works, with something to look at. */
  status: "ok" | "warning" | "failed" | "skipped";
  detail: string;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `done` every 20 ms; true once it holds, false when `timeoutMs` passed first. */
export async function until(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() >= deadline) return false;
    await sleep(20);
  }
  return true;
}

const MARK: Record<DeviceTrial["status"], string> = {
  ok: "ok",
  warning: "WARN",
  failed: "FAIL",
  skipped: "skip",
};

/** A plain-text table, widths from the content; the detail column last so it may run long. */
export function formatTrials(trials: DeviceTrial[]): string {
  if (trials.length === 0) return "no devices configured";
  const rows = [
    ["result", "device", "kind", "via", "detail"],
    ...trials.map((t) => [MARK[t.status], t.id, t.kind, t.target, t.detail]),
  ];
  const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => (c < 4 ? cell.padEnd(widths[c] ?? 0) : cell))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

export function trialsFailed(trials: DeviceTrial[]): boolean {
  return trials.some((t) => t.status === "failed");
}
