// Every active alert visible (issue #20): alerts/{device}/{code} per alert besides the most severe
// on alerts/{device}; stale ones a broker kept are cleared; messages say where and what to do.
import { afterEach, describe, expect, it } from "vitest";
import { actionableMessage, plainReason } from "../../../controller/health/alert-advice.js";
import { HealthBoard } from "../../../controller/health/health-board.js";
import { AlertTopics } from "../../../controller/mqtt/alert-topics.js";
import { officeTopics } from "../../../protocols/mqtt/topics.js";
import { type Harness, startHarness } from "../../support/office-harness.js";

describe("alert messages", () => {
  it("say in plain words what happened, where the device is and what to do", () => {
    expect(
      actionableMessage(
        "PANEL_OFFLINE",
        "Button panel desk-panel is offline: error: bad file descriptor",
        "Arduino on /dev/ttyACM0",
      ),
    ).toBe(
      "Button panel desk-panel is offline: error: the device went away (unplugged or switched off) (Arduino on /dev/ttyACM0). Check the panel's USB cable (an Arduino panel: its USB cable and board); it reconnects by itself.",
    );
    expect(
      actionableMessage("PAPER_OUT", "Printer kiosk-1: out of paper", "serial /dev/ttyUSB0 @ 19200"),
    ).toBe(
      "Printer kiosk-1: out of paper (serial /dev/ttyUSB0 @ 19200). Load a new paper roll; the kiosk's buttons flash until then.",
    );
    expect(plainReason("cannot open: EACCES")).toContain("is vooru in the dialout");
    expect(actionableMessage("SOMETHING_NEW", "odd.")).toBe("odd.");
  });
});

describe("AlertTopics", () => {
  const topics = officeTopics("t");
  it("clears a retained alert the broker kept that is no longer active, keeps active ones", () => {
    const health = new HealthBoard(() => 1000);
    health.raise({ device: "kiosk-1", code: "PAPER_OUT", severity: "critical", message: "m" });
    const sent: Array<[string, unknown]> = [];
    const alerts = new AlertTopics(topics, health, (topic, body) => sent.push([topic, body]));
    expect(alerts.onRetained(`${topics.base}alerts/kiosk-1/PAPER_OUT`, Buffer.from("{}"))).toBe(true);
    expect(alerts.onRetained(`${topics.base}alerts/kiosk-1/COVER_OPEN`, Buffer.from("{}"))).toBe(true);
    expect(alerts.onRetained(`${topics.base}alerts/kiosk-1`, Buffer.from("{}"))).toBe(false);
    expect(sent).toEqual([[`${topics.base}alerts/kiosk-1/COVER_OPEN`, ""]]);
  });
});

describe("alerts/{device}/{code} on MQTT", () => {
  let h: Harness;
  afterEach(async () => h?.stop());

  it("shows a stuck button and the panel going offline at once; the top one stays on alerts/{device}", async () => {
    h = await startHarness();
    const w = await h.watch();
    const health = h.office.health;
    health.raise({ device: "kiosk-1", code: "BUTTON_STUCK", severity: "warning", message: "stuck" });
    health.raise({ device: "kiosk-1", code: "PRINTER_OFFLINE", severity: "critical", message: "gone" });
    const at = (code: string) => `${h.base}alerts/kiosk-1/${code}`;
    await w.waitFor((m) => m.topic === at("PRINTER_OFFLINE"));
    expect(w.json(at("BUTTON_STUCK"))).toMatchObject({ code: "BUTTON_STUCK", severity: "warning" });
    expect(w.json(at("PRINTER_OFFLINE"))).toMatchObject({ code: "PRINTER_OFFLINE", severity: "critical" });
    await w.waitFor((m) => m.topic === `${h.base}alerts/kiosk-1` && m.payload.includes("PRINTER_OFFLINE"));
    health.clear("kiosk-1", "BUTTON_STUCK");
    await w.waitFor((m) => m.topic === at("BUTTON_STUCK") && m.payload.length === 0);
    expect(w.json(at("BUTTON_STUCK"))).toBeUndefined();
    // A new subscriber sees the one still active on its own topic.
    const late = await h.watch({ filter: `${h.base}alerts/+/+` });
    await late.waitFor((m) => m.topic === at("PRINTER_OFFLINE"));
    expect(late.messages.filter((m) => m.payload.length > 0).map((m) => m.topic)).toEqual([
      at("PRINTER_OFFLINE"),
    ]);
  });
});
