#!/usr/bin/env node
// The `vooru` command: runs the compiled entry point (npm install builds it; so does npm start).
import { existsSync } from "node:fs";

const entry = new URL("../dist/controller/cli/main.js", import.meta.url);
if (!existsSync(entry)) {
  console.error("vooru is not built yet: run `npm run build` in the vooru folder");
  process.exit(1);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
