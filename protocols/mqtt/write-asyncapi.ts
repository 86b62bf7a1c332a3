// Writes docs/asyncapi.json from the contract schemas (npm run asyncapi). A test fails when the
// committed file differs from what this would write.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { buildAsyncApi } from "./asyncapi.js";

const target = fileURLToPath(new URL("../../docs/asyncapi.json", import.meta.url));
const biome = fileURLToPath(new URL("../../node_modules/.bin/biome", import.meta.url));
mkdirSync(new URL("../../docs/", import.meta.url), { recursive: true });
writeFileSync(target, `${JSON.stringify(buildAsyncApi(), null, 2)}\n`);
// In biome's layout (short arrays on one line), or `biome check .` would flag the generated file.
execFileSync(biome, ["format", "--write", target], { stdio: "inherit" });
console.error(`wrote ${target}`);
