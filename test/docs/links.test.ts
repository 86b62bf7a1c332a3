// Every relative link in README.md and docs/ leads to a file inside the repository, and every
// #anchor to a heading that is there (GitHub's heading ids): a clone, and a reader on the web, can
// follow them all. Nothing may point outside the repository.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const pages = [
  "README.md",
  ...readdirSync(join(root, "docs"))
    .filter((n) => n.endsWith(".md"))
    .map((n) => `docs/${n}`),
];

/** GitHub's id of a heading: lower case, punctuation dropped, spaces to hyphens; repeats get -1, -2. */
function headingIds(markdown: string): Set<string> {
  const ids = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split("\n")) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const heading = !fenced && /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const text = (heading[1] ?? "")
      .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
      .replace(/<[^>]+>/g, "")
      .replace(/[`*_]/g, (c) => (c === "_" ? "_" : ""));
    const base = text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    ids.add(n === 0 ? base : `${base}-${n}`);
  }
  return ids;
}

/** The links of a markdown text outside code: [text](target) and <a href="target">. */
function linksOf(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "");
  const links = [...prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1] as string);
  links.push(...[...prose.matchAll(/href="([^"]+)"/g)].map((m) => m[1] as string));
  return links;
}

const isExternal = (target: string) => /^[a-z][a-z0-9+.-]*:/i.test(target);

describe("links in README.md and docs/", () => {
  it("finds the pages and their links", () => {
    expect(pages).toContain("docs/configuration.md");
    expect(pages.length).toBeGreaterThanOrEqual(8);
    expect(pages.flatMap((p) => linksOf(readFileSync(join(root, p), "utf8"))).length).toBeGreaterThan(30);
  });

  it("counts repeated headings as GitHub does", () => {
    expect([...headingIds("# A b\n## `x.y` (z)\n## A b\n```\n# not a heading\n```\n")]).toEqual([
      "a-b",
      "xy-z",
      "a-b-1",
    ]);
  });

  for (const page of pages) {
    it(`${page}: every relative link resolves inside the repository`, () => {
      const text = readFileSync(join(root, page), "utf8");
      const broken: string[] = [];
      for (const link of linksOf(text)) {
        if (isExternal(link)) continue;
        const [pathPart = "", anchor] = link.split("#");
        const target =
          pathPart === "" ? join(root, page) : resolve(dirname(join(root, page)), decodeURI(pathPart));
        const inside = relative(root, target);
        if (inside.startsWith("..") || inside.startsWith("/")) {
          broken.push(`${link}: outside the repository`);
          continue;
        }
        if (!existsSync(target)) {
          broken.push(`${link}: no such file`);
          continue;
        }
        if (anchor && target.endsWith(".md") && statSync(target).isFile()) {
          if (!headingIds(readFileSync(target, "utf8")).has(anchor))
            broken.push(`${link}: no heading #${anchor}`);
        }
      }
      expect(broken).toEqual([]);
    });
  }

  it("never points at notes outside the repository", () => {
    for (const page of pages)
      expect(readFileSync(join(root, page), "utf8"), page).not.toMatch(/\.\.\/shared\//);
  });
});
