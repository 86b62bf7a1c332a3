#!/usr/bin/env node
// The `vooru` command: runs the compiled entry point (npm install builds it; so does npm start).
// Here the two compositions meet: the controller's CLI, and the demo office it starts for a
// configuration with simulated devices (loaded only then).
import { existsSync } from "node:fs";

const entry = new URL("../dist/controller/cli/main.js", import.meta.url);
if (!existsSync(entry)) {
  console.error("vooru is not built yet: run `npm run build` in the vooru folder");
  process.exit(1);
}
const { main } = await import(entry.href);
const loadDemo = async () =>
  (await import(new URL("../dist/demo/index.js", import.meta.url).href)).demoComposition;
process.exitCode = await main(process.argv.slice(2), undefined, { loadDemo });
