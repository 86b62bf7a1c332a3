// mqtt.users[].password takes a hash in Mosquitto's passwd format or plain text of 8 characters
// or more; a damaged hash is refused rather than taken for a password.
import { describe, expect, it } from "vitest";
import { ConfigError, parseOfficeConfig } from "../../../controller/config/load.js";
import { hashPassword } from "../../../controller/mqtt/password-hash.js";

const office = (password: string) =>
  [
    "office: {id: t, name: {en: T}}",
    "services: [{id: a, prefix: A, names: {en: A}}]",
    "counters: [{id: '1', services: [a]}]",
    "mqtt:",
    "  users:",
    `    - {username: desk, password: ${JSON.stringify(password)}, role: desk}`,
  ].join("\n");

function problems(password: string): string[] {
  try {
    parseOfficeConfig(office(password), "office.yaml");
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe("mqtt.users[].password", () => {
  it("takes a hash, of any iteration count Mosquitto writes", () => {
    for (const iterations of [101, 20_000]) {
      const hash = hashPassword("a password", { iterations });
      expect(parseOfficeConfig(office(hash)).mqtt.users[0]?.password).toBe(hash);
    }
  });

  it("takes plain text of at least 8 characters", () => {
    expect(problems("12345678")).toEqual([]);
    expect(problems("1234567")).toEqual([
      "mqtt.users[0].password: must be at least 8 characters (or a hash from vooru passwd)",
    ]);
  });

  it("refuses what starts like a hash but is not one", () => {
    const hash = hashPassword("a password", { iterations: 101 });
    for (const broken of [hash.slice(0, -10), hash.replace("$7$", "$6$"), "$7$x$y$z"])
      expect(problems(broken), broken).toEqual([
        expect.stringMatching(/^mqtt\.users\[0\]\.password: starts like a password hash but is not one/),
      ]);
  });
});
