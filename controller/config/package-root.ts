// Where the package lives, from the sources and from the build alike: the web pages, the example
// configuration and package.json are found from here.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The nearest folder at or above `from` holding a package.json: the repository root both when run
 * from the sources (controller/config/) and from the build (dist/controller/config/).
 */
export function packageRoot(from = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json found at or above ${from}`);
  }
}

/** Path of the example office configuration that ships with the package. */
export function exampleConfigPath(): string {
  return join(packageRoot(), "examples", "office.yaml");
}
