// Who may send appointments/request/{verb}: the desk and admin, as themselves; not a counter or a
// monitor. The embedded broker's rights (broker-acl.ts) and the generated Mosquitto ACL agree.
import { describe, expect, it } from "vitest";
import { publishRefusal } from "../../../controller/mqtt/broker-acl.js";
import { generateMosquittoFiles } from "../../../controller/mqtt/mosquitto-config.js";
import { baseTopic, parseRequestTopic } from "../../../protocols/mqtt/topics.js";
import { officeConfig } from "../../support/office.js";

const base = baseTopic("test");
const users = [
  { username: "booking", password: "booking-secret", role: "desk" as const },
  { username: "counter-2", password: "counter-2-secret", role: "counter" as const, counter: "2" },
  { username: "hall", password: "hall-secret", role: "monitor" as const },
];

describe("appointments requests: rights", () => {
  it("the topics parse, plain and attributed", () => {
    expect(parseRequestTopic(base, `${base}appointments/request/check_in`)).toEqual({
      scope: "appointments",
      verb: "check_in",
    });
    expect(parseRequestTopic(base, `${base}appointments/request/delete`)).toEqual({
      unknownVerb: "delete",
      replyTopic: `${base}appointments/reply/delete`,
    });
  });

  it("the embedded broker lets the desk and admin send them, not a counter or a monitor", () => {
    const topic = `${base}by/%u/appointments/request/add`;
    const as = (username: string) => topic.replace("%u", username);
    expect(publishRefusal({ username: "booking", role: "desk" }, base, as("booking"), false)).toBeNull();
    expect(publishRefusal({ username: "it", role: "admin" }, base, as("it"), false)).toBeNull();
    expect(
      publishRefusal({ username: "counter-2", role: "counter", counter: "2" }, base, as("counter-2"), false),
    ).toBe("counter-2 may not send add to appointments");
    expect(publishRefusal({ username: "hall", role: "monitor" }, base, as("hall"), false)).toBe(
      "hall may not send add to appointments",
    );
    expect(publishRefusal({ username: "booking", role: "desk" }, base, as("someone"), false)).toBe(
      "booking may not send requests as someone",
    );
  });

  it("the generated Mosquitto ACL gives the desk its own by/{username}/appointments/request/+ only", () => {
    const files = generateMosquittoFiles(officeConfig({ mqtt: { users } }), {
      controllerUser: "vooru-controller",
      controllerPassword: "controller-secret",
      dir: "/etc/mosquitto/vooru/",
    });
    const block = (user: string) => files.acl.split(`user ${user}\n`)[1]?.split("\n\n")[0] ?? "";
    expect(block("booking")).toContain(`topic write ${base}by/booking/appointments/request/+`);
    expect(block("counter-2")).not.toContain("appointments");
    expect(block("hall")).not.toContain("appointments");
  });
});
