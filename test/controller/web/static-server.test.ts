// The pages' static server: content types, index, 404, no way out of the web root, /config.json,
// and a hint page when the pages are not built.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveWebPath, staticSite } from "../../../controller/web/static-server.js";

const dir = mkdtempSync(join(tmpdir(), "vooru-web-"));
const root = join(dir, "web");
let server: Server;
let unbuilt: Server;
const url = (s: Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`;

async function listen(handler: Parameters<typeof createServer>[1]): Promise<Server> {
  const s = createServer(handler);
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  return s;
}

beforeAll(async () => {
  mkdirSync(join(root, "chunks"), { recursive: true });
  writeFileSync(join(root, "index.html"), "<h1>index</h1>");
  writeFileSync(join(root, "desk.html"), "<h1>desk</h1>");
  writeFileSync(join(root, "desk.js"), "export {}");
  writeFileSync(join(root, "style.css"), "body{}");
  writeFileSync(join(root, "chunks", "c.js"), "export {}");
  writeFileSync(join(dir, "secret.txt"), "secret");
  writeFileSync(join(dir, "letter-a.wav"), "RIFF");
  const clips = new Map([["et/letter-a", join(dir, "letter-a.wav")]]);
  server = await listen(staticSite({ root, office: "demo", clipFile: (clip) => clips.get(clip) ?? null }));
  unbuilt = await listen(staticSite({ root: join(dir, "missing"), office: "demo" }));
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await new Promise((resolve) => unbuilt.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe("static site", () => {
  it("sends a content security policy and frame protection with every answer", async () => {
    for (const path of ["/", "/desk.js", "/nowhere", "/config.json", "/clips/et/letter-a.wav"]) {
      const response = await fetch(`${url(server)}${path}`);
      expect(response.headers.get("x-frame-options"), path).toBe("DENY");
      expect(response.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(response.headers.get("referrer-policy"), path).toBe("no-referrer");
      // HSTS only over HTTPS (test/controller/web/https.test.ts): over HTTP a browser ignores it.
      expect(response.headers.get("strict-transport-security"), path).toBeNull();
      const csp = response.headers.get("content-security-policy") ?? "";
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).toContain("script-src 'self'");
      expect(csp, path).not.toContain("unsafe-inline");
    }
  });

  it("serves announcement clips at /clips/<lang>/<name>.wav for the TV display, and nothing else there", async () => {
    const clip = await fetch(`${url(server)}/clips/et/letter-a.wav`);
    expect(clip.status).toBe(200);
    expect(clip.headers.get("content-type")).toBe("audio/wav");
    expect(await clip.text()).toBe("RIFF");
    for (const path of [
      "/clips/et/letter-b.wav",
      "/clips/fi/letter-a.wav",
      "/clips/et/../secret.txt",
      "/clips/%2e%2e/x.wav",
    ])
      expect((await fetch(`${url(server)}${path}`)).status, path).toBe(404);
  });

  it("serves the index at /, files with their content types, and 404 otherwise", async () => {
    const index = await fetch(`${url(server)}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await index.text()).toContain("index");
    for (const [path, type] of [
      ["/desk.html", "text/html; charset=utf-8"],
      ["/desk", "text/html; charset=utf-8"],
      ["/desk.js", "text/javascript; charset=utf-8"],
      ["/style.css", "text/css; charset=utf-8"],
      ["/chunks/c.js", "text/javascript; charset=utf-8"],
    ]) {
      const response = await fetch(`${url(server)}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get("content-type"), path).toBe(type);
    }
    expect((await fetch(`${url(server)}/nope.js`)).status).toBe(404);
    expect((await fetch(`${url(server)}/chunks`)).status).toBe(404);
    expect((await fetch(`${url(server)}/desk.js`, { method: "POST" })).status).toBe(405);
  });

  it("tells the page the office and where MQTT is", async () => {
    const response = await fetch(`${url(server)}/config.json`);
    expect(await response.json()).toEqual({ office: "demo", mqttPath: "/mqtt" });
  });

  it("never leaves the web root", () => {
    for (const path of ["/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt", "/a/../../secret.txt"])
      expect(resolveWebPath(root, path), path).not.toBe(join(dir, "secret.txt"));
    expect(resolveWebPath(root, "/%2e%2e/secret.txt")).toBe(join(root, "secret.txt"));
    expect(resolveWebPath(root, "/..\\secret.txt")).toBeNull();
    expect(resolveWebPath(root, "/%zz")).toBeNull();
    expect(resolveWebPath(root, "/a%00.js")).toBeNull();
  });

  it("says to run npm run build when the pages are not built", async () => {
    const response = await fetch(`${url(unbuilt)}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("npm run build");
    expect((await fetch(`${url(unbuilt)}/config.json`)).status).toBe(200);
  });
});
