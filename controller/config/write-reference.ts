// Writes the configuration reference, docs/configuration.md, from the zod schema (npm run
// config-reference). A test fails when the file differs from what this would write.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { configurationDocument } from "./reference.js";

const target = fileURLToPath(new URL("../../docs/configuration.md", import.meta.url));
writeFileSync(target, configurationDocument());
console.error(`wrote the configuration reference to ${target}`);
