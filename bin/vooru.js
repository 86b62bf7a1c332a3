#!/usr/bin/env node
// The `vooru` command: runs the compiled entry point (npm install builds it; so does npm start).
// Here the two compositions meet: the controller's CLI, and the demo office it starts for a
// configuration with simulated devices (loaded only then).
import { existsSync } from "node:fs";

// Before anything else is loaded: on an older Node (Debian bookworm's own is 18) a dependency
// fails with a SyntaxError that says nothing about the cause.
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(
    `vooru needs Node.js 20.19 or newer; this is ${process.versions.node}. Install Node.js 20 or 22 LTS (docs/raspberry-pi.md, section 2: Node.js, uses NodeSource's packages).`,
  );
  process.exit(1);
}

const entry = new URL("../dist/controller/cli/main.js", import.meta.url);
if (!existsSync(entry)) {
  console.error("vooru is not built yet: run `npm run build` in the vooru folder");
  process.exit(1);
}
const { main } = await import(entry.href);
const loadDemo = async () =>
  (await import(new URL("../dist/demo/index.js", import.meta.url).href)).demoComposition;
process.exitCode = await main(process.argv.slice(2), undefined, { loadDemo });
