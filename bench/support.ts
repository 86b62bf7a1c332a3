// What every bench module shares: the result record, targets, statistics and where fsync tests write.
import { statfsSync } from "node:fs";
import { tmpdir } from "node:os";
import { performance } from "node:perf_hooks";

/** A figure's target. Informative targets are shown but give no verdict (ok stays unset). */
export interface Target {
  op: "<" | ">";
  value: number;
  informative?: boolean;
}

export interface BenchResult {
  /** The module that measured it: "queue", later "printer", "mqtt", "boards". */
  bench: string;
  figure: string;
  value: number;
  unit: string;
  target?: Target;
  /** Whether the value meets the target; absent without a target or for an informative one. */
  ok?: boolean;
}

/** What run.ts loads: each bench module exports run(). */
export interface BenchModule {
  run(): Promise<BenchResult[]>;
}

export function meets(value: number, target: Target): boolean {
  return target.op === "<" ? value < target.value : value > target.value;
}

export function figure(
  bench: string,
  name: string,
  value: number,
  unit: string,
  target?: Target,
): BenchResult {
  const result: BenchResult = { bench, figure: name, value: Math.round(value * 1000) / 1000, unit };
  if (target) {
    result.target = target;
    if (!target.informative) result.ok = meets(value, target);
  }
  return result;
}

/** Where tests that fsync write: VOORU_BENCH_DIR (e.g. a folder on the Pi's SD card), else the OS temp dir. */
export function benchDir(): string {
  return process.env.VOORU_BENCH_DIR ?? tmpdir();
}

const FS_TYPES: Record<number, string> = {
  61267: "ext2/3/4",
  16914836: "tmpfs",
  2035054128: "overlayfs",
  2435016766: "btrfs",
  1481003842: "xfs",
  19780: "vfat",
  1397118030: "ntfs",
  801189825: "zfs",
  26985: "nfs",
  16914839: "9p",
  1702057286: "fuse",
};

/** The file system type of a path, by its statfs magic number ("unknown 0x..." if not listed). */
export function fsTypeOf(path: string): string {
  try {
    const type = statfsSync(path).type;
    return FS_TYPES[type] ?? `unknown 0x${type.toString(16)}`;
  } catch {
    return "unknown";
  }
}

export function sorted(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** Nearest-rank percentile (p in 0..100) of a non-empty list. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError("percentile of an empty list");
  const s = sorted(values);
  const rank = Math.max(1, Math.ceil((p / 100) * s.length));
  return s[Math.min(rank, s.length) - 1] as number;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Milliseconds a call takes. */
export function timeMs(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

/** Collects garbage if node runs with --expose-gc, so one figure does not pay for the last one's garbage. */
export function collectGarbage(): void {
  globalThis.gc?.();
}

/** 1234 -> "1.2k", 100005 -> "100k": sizes in figure names (the exact counts are figures of their own). */
export function count(n: number): string {
  if (n < 1000) return String(n);
  const k = n / 1000;
  return `${k >= 10 || Number.isInteger(k) ? Math.round(k) : k.toFixed(1)}k`;
}

/**
 * p50, p99 and max of a latency list, the p99 with its target; zeros for an empty list. Named
 * "<name>, <n> <counted>: p50" and so on.
 */
export function latencyFigures(
  bench: string,
  name: string,
  values: readonly number[],
  target?: Target,
  counted = "timed",
): BenchResult[] {
  const of = (p: number) => (values.length ? percentile(values, p) : 0);
  const label = `${name}, ${values.length} ${counted}`;
  return [
    figure(bench, `${label}: p50`, of(50), "ms"),
    figure(bench, `${label}: p99`, of(99), "ms", target),
    figure(bench, `${label}: max`, values.length ? Math.max(...values) : 0, "ms"),
  ];
}
