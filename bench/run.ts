// `npm run bench`: runs every bench module in turn, prints one table and the machine, and writes
// bench-results.json in the working directory. A new module exports
// `async function run(): Promise<BenchResult[]>` and gets a line in MODULES.
//   node --expose-gc dist/bench/run.js load-day panels   runs only those modules
//   npm run bench -- --docs [docs/benchmarks.md]         runs nothing: rewrites the table in
//                                                       docs/benchmarks.md between the bench
//                                                       markers from bench-results.json
import { writeFileSync } from "node:fs";
import { arch, cpus, platform, totalmem } from "node:os";
import { resolve } from "node:path";
import { consoleTable, rewriteBenchTable } from "./report.js";
import { type BenchModule, type BenchResult, benchDir, fsTypeOf } from "./support.js";

const MODULES: Array<{ name: string; load: () => Promise<BenchModule> }> = [
  { name: "queue", load: () => import("./queue.js") },
  { name: "printer", load: () => import("./printer.js") },
  { name: "boards", load: () => import("./boards.js") },
  { name: "mqtt", load: () => import("./mqtt.js") },
  { name: "panels", load: () => import("./panels.js") },
  { name: "load-day", load: () => import("./load-day.js") },
  { name: "load-peak", load: () => import("./load-peak.js") },
  { name: "stats", load: () => import("./stats.js") },
  // After the load benches: Chromium and the sounds must not weigh on their memory figures.
  { name: "announcements", load: () => import("./announcements.js") },
  { name: "display", load: () => import("./display.js") },
];

interface Machine {
  cpu: string;
  cores: number;
  memoryMB: number;
  node: string;
  platform: string;
  /** Where the fsync tests write, and its file system. */
  fsyncDir: string;
  fsyncFs: string;
  gcExposed: boolean;
}

function machine(): Machine {
  const cpuList = cpus();
  const dir = benchDir();
  return {
    cpu: cpuList[0]?.model.trim() ?? "unknown",
    cores: cpuList.length,
    memoryMB: Math.round(totalmem() / 1024 / 1024),
    node: process.version,
    platform: `${platform()}/${arch()}`,
    fsyncDir: dir,
    fsyncFs: fsTypeOf(dir),
    gcExposed: typeof globalThis.gc === "function",
  };
}

async function main(): Promise<void> {
  const started = Date.now();
  const host = machine();
  if (!host.gcExposed)
    console.error("warning: run node with --expose-gc (npm run bench does) for steadier figures");
  const results: BenchResult[] = [];
  const failed: string[] = [];
  // `run.js panels boards` runs only those modules.
  const only = process.argv.slice(2);
  for (const module of only.length > 0 ? MODULES.filter((m) => only.includes(m.name)) : MODULES) {
    const t0 = Date.now();
    process.stderr.write(`bench ${module.name} ... `);
    try {
      const loaded = await module.load();
      results.push(...(await loaded.run()));
      process.stderr.write(`${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    } catch (error) {
      process.stderr.write("FAILED\n");
      console.error((error as Error).stack ?? String(error));
      failed.push(module.name);
    }
  }

  console.log(consoleTable(results));
  console.log();
  console.log(`cpu:      ${host.cpu} (${host.cores} cores), ${host.memoryMB} MB RAM`);
  console.log(`node:     ${host.node} on ${host.platform}${host.gcExposed ? "" : " (no --expose-gc)"}`);
  console.log(`fsync in: ${host.fsyncDir} (${host.fsyncFs}; set VOORU_BENCH_DIR to test another disk)`);

  const file = resolve("bench-results.json");
  const report = { machine: host, date: new Date(started).toISOString(), results };
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`written:  ${file} in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const missed = results.filter((r) => r.ok === false).length;
  if (missed > 0) console.log(`${missed} figure(s) MISSED their target`);
  if (failed.length > 0) {
    console.error(`bench module(s) failed: ${failed.join(", ")}`);
    process.exitCode = 1;
  }
}

const args = process.argv.slice(2);
const docs = args.indexOf("--docs");
if (docs >= 0) {
  const file = resolve(args[docs + 1] ?? "docs/benchmarks.md");
  rewriteBenchTable(file, resolve("bench-results.json"));
  console.log(`rewrote the bench table in ${file} from ${resolve("bench-results.json")}`);
} else await main();
