// Rewrites the configuration reference in README.md from the zod schema (npm run
// config-reference). A test fails when the README's section differs from what this would write.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { withReference } from "./reference.js";

const readme = fileURLToPath(new URL("../../README.md", import.meta.url));
writeFileSync(readme, withReference(readFileSync(readme, "utf8")));
console.error(`wrote the configuration reference into ${readme}`);
