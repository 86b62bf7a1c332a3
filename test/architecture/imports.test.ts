// The layers as the code must keep them, read from the import statements of every source file:
// protocols (pure codecs) <- device (drivers) <- controller (queue, rooms, composition root) <-
// demo (the demo office's own composition). Simulators serve the demo and the tests only; the
// pages speak the contract alone. No module imports itself back through others (no cycles), and
// one module on each side imports `mqtt`.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const LAYERS = ["protocols", "device", "simulators", "controller", "demo", "web"] as const;
type Layer = (typeof LAYERS)[number];

/** Which top-level folders each layer may import from (besides itself). */
const ALLOWED: Record<Layer, readonly Layer[]> = {
  protocols: [],
  device: ["protocols"],
  // A virtual device may implement a driver's seam (a HID backend): types only, checked below.
  simulators: ["protocols", "device"],
  controller: ["protocols", "device"],
  demo: ["protocols", "device", "simulators", "controller"],
  web: ["protocols"],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(name) && !name.endsWith(".d.ts") ? [path] : [];
  });
}

const IMPORT = /(?:^|\n)\s*(import type|import|export)\s[^;]*?from\s+"([^"]+)"|import\(\s*"([^"]+)"\s*\)/g;

function importsOf(file: string): Array<{ spec: string; typeOnly: boolean }> {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(IMPORT)].map((m) => ({
    spec: (m[2] ?? m[3]) as string,
    typeOnly: m[1] === "import type",
  }));
}

const files = LAYERS.flatMap((layer) => sourceFiles(join(root, layer)));
const rel = (file: string) => relative(root, file);
const layerOf = (file: string) => rel(file).split("/")[0] as Layer;
const graph = new Map<string, string[]>();
const packages = new Map<string, string[]>();
const typeOnly = new Map<string, Set<string>>();
for (const file of files) {
  const local: string[] = [];
  const types = new Set<string>();
  for (const { spec, typeOnly: onlyTypes } of importsOf(file)) {
    if (!spec.startsWith(".")) {
      packages.set(file, [...(packages.get(file) ?? []), spec]);
      continue;
    }
    const target = resolve(dirname(file), spec).replace(/\.js$/, ".ts");
    local.push(target);
    if (onlyTypes) types.add(target);
  }
  graph.set(file, local);
  typeOnly.set(file, types);
}

/** Strongly connected components of more than one module (or a module importing itself). */
function cycles(): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    indices.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!indices.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, indices.get(w) as number));
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop() as string;
        onStack.delete(w);
        component.push(rel(w));
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!indices.has(v)) visit(v);
  return found;
}

describe("the import graph", () => {
  it("reads every layer's sources", () => {
    for (const layer of LAYERS)
      expect(
        files.some((f) => layerOf(f) === layer),
        layer,
      ).toBe(true);
    expect(files.length).toBeGreaterThan(150);
  });

  it("has no import cycles", () => {
    expect(cycles()).toEqual([]);
  });

  it("points only down the layers", () => {
    const wrong: string[] = [];
    for (const [file, targets] of graph) {
      const from = layerOf(file);
      for (const target of targets) {
        const to = rel(target).split("/")[0] as Layer;
        if (to !== from && !ALLOWED[from]?.includes(to)) wrong.push(`${rel(file)} -> ${rel(target)}`);
        if (from === "simulators" && to === "device" && !typeOnly.get(file)?.has(target))
          wrong.push(`${rel(file)} -> ${rel(target)} (a simulator may take only types from device/)`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("resolves every relative import to a file that exists", () => {
    const missing = [...graph].flatMap(([file, targets]) =>
      targets
        .filter((t) => !t.startsWith(`${root}/node_modules`) && !existsTs(t))
        .map((t) => `${rel(file)} -> ${rel(t)}`),
    );
    expect(missing).toEqual([]);
  });

  it("has one module per side that imports mqtt", () => {
    const importers = [...packages]
      .filter(([, specs]) => specs.some((s) => s === "mqtt" || s.startsWith("mqtt/")))
      .map(([file]) => rel(file))
      .sort();
    expect(importers).toEqual(["controller/mqtt/transport.ts", "web/lib/connection.ts"]);
  });

  it("keeps the composition root the only loose file in controller/", () => {
    const loose = readdirSync(join(root, "controller")).filter((n) =>
      statSync(join(root, "controller", n)).isFile(),
    );
    expect(loose).toEqual(["office.ts"]);
  });
});

function existsTs(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
