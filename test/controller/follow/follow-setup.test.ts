// The follow room's setup: the QR's base (publicUrl, or the listener's own address), and a port
// another program holds said in one line naming follow.port.
import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { followSchema } from "../../../controller/follow/follow-schema.js";
import { type FollowSetup, setupFollow } from "../../../controller/follow/follow-setup.js";
import { memoryLogger } from "../../../controller/health/log.js";
import { QueueCore } from "../../../controller/queue/core/queue.js";
import { officeConfig } from "../../support/office.js";

const running: FollowSetup[] = [];
afterEach(async () => {
  for (const f of running.splice(0)) await f.stop();
});

const core = () => QueueCore.fromConfig(officeConfig());

describe("setupFollow", () => {
  it("prints the listener's own address in the QR, or publicUrl when given", async () => {
    const log = memoryLogger();
    const own = await setupFollow({
      config: followSchema.parse({ port: 0, host: "127.0.0.1" }),
      core: core(),
      webRoot: "/nonexistent",
      log,
    });
    running.push(own);
    expect(own.publicUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(own.url).toBe(own.publicUrl);
    expect(log.lines.join("\n")).toContain(`follow page: ${own.publicUrl}/t/<token>`);
    // Not built: the page says so, and still nothing else is served.
    expect((await fetch(`${own.url}/t/AAAAAAAAAAAAAAAA`)).status).toBe(503);
    const proxied = await setupFollow({
      config: followSchema.parse({
        port: 0,
        host: "127.0.0.1",
        publicUrl: "https://www.example.ee/jarjekord",
      }),
      core: core(),
      webRoot: "/nonexistent",
      log,
    });
    running.push(proxied);
    expect(proxied.publicUrl).toBe("https://www.example.ee/jarjekord");
  });

  it("a port in use is PORT_IN_USE naming follow.port", async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
    const port = (holder.address() as { port: number }).port;
    try {
      const error = await setupFollow({
        config: followSchema.parse({ port, host: "127.0.0.1" }),
        core: core(),
        webRoot: "/nonexistent",
        log: memoryLogger(),
      }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "PORT_IN_USE" });
      expect((error as Error).message).toContain("follow.port");
    } finally {
      holder.close();
    }
  });
});
