// Builds the web pages (web/) into dist/web: one esbuild bundle per page (the contract's topics
// and zod schemas from protocols/mqtt, and mqtt's browser build), an HTML shell per page and the
// stylesheet. `npm run build` runs it; the e2e tests call buildWeb() into a temp folder.
import { copyFile, mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

export const PAGES = ["index", "counter", "desk", "kiosk", "board", "display", "stats"] as const;

const root = resolve(fileURLToPath(new URL("..", import.meta.url)));

function shell(page: string): string {
  return `<!doctype html>
<html lang="et">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>vooru</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/style.css">
<script type="module" src="/${page}.js"></script>
</head>
<body>
<noscript>vooru needs JavaScript: the page talks to the office over MQTT.</noscript>
</body>
</html>
`;
}

export async function buildWeb(outdir = join(root, "dist", "web")): Promise<string> {
  await mkdir(outdir, { recursive: true });
  await build({
    entryPoints: PAGES.map((page) => join(root, "web", `${page}.ts`)),
    outdir,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    sourcemap: true,
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
    logLevel: "warning",
    tsconfig: join(root, "web", "tsconfig.json"),
  });
  // The customer's follow page (controller/follow/): one self-contained bundle, no shared chunks,
  // since its listener serves only follow.html, follow.js and follow.css.
  await build({
    entryPoints: [join(root, "web", "follow.ts")],
    outdir,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    logLevel: "warning",
    tsconfig: join(root, "web", "tsconfig.json"),
  });
  await Promise.all([
    ...PAGES.map((page) => writeFile(join(outdir, `${page}.html`), shell(page))),
    copyFile(join(root, "web", "style.css"), join(outdir, "style.css")),
    copyFile(join(root, "web", "follow.html"), join(outdir, "follow.html")),
    copyFile(join(root, "web", "follow.css"), join(outdir, "follow.css")),
  ]);
  return outdir;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await buildWeb(process.argv[2]);
  console.error(`web pages built into ${out}`);
}
