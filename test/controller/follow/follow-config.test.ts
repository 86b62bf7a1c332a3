// The follow part of the config: defaults, a publicUrl without a trailing slash, and never the
// port of the staff pages or MQTT.
import { describe, expect, it } from "vitest";
import { officeConfigSchema } from "../../../controller/config/office-config.js";
import { officeConfig } from "../../support/office.js";

const base = () => {
  const { follow: _none, ...rest } = officeConfig();
  return rest;
};

describe("the follow config", () => {
  it("has defaults for host and the rate limit", () => {
    const config = officeConfigSchema.parse({ ...base(), follow: { port: 8090 } });
    expect(config.follow).toEqual({ port: 8090, host: "0.0.0.0", rateLimit: { perMinute: 60, burst: 20 } });
    expect(officeConfigSchema.parse(base()).follow).toBeUndefined();
  });

  it("takes a publicUrl with a path, and refuses one with a trailing slash or a query", () => {
    const ok = officeConfigSchema.safeParse({
      ...base(),
      follow: { port: 8090, publicUrl: "https://x.example/q" },
    });
    expect(ok.success).toBe(true);
    for (const publicUrl of ["https://x.example/q/", "https://x.example/?a=1", "ftp://x.example"])
      expect(
        officeConfigSchema.safeParse({ ...base(), follow: { port: 8090, publicUrl } }).success,
        publicUrl,
      ).toBe(false);
  });

  it("refuses the port of the staff pages or the embedded broker", () => {
    for (const port of [8080, 1883]) {
      const result = officeConfigSchema.safeParse({ ...base(), follow: { port } });
      expect(result.success).toBe(false);
      expect(result.error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("\n")).toContain(
        `follow.port: port ${port} is mqtt.embedded.`,
      );
    }
  });
});
