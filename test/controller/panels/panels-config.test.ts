// devices.panels in the configuration: defaults, what a button may be per kind, and the checks
// against the rest of the office, each problem named by its path.
import { describe, expect, it } from "vitest";
import { parseOfficeConfig } from "../../../controller/config/load.js";

const base = `
office: {id: t, name: {en: T}}
services: [{id: a, prefix: A, names: {en: A}}, {id: b, prefix: B, names: {en: B}}]
counters: [{id: "1", services: [a, b]}]
`;

const printers = `
devices:
  printers:
    - {id: kiosk, profile: epson-tm-t20iii, transport: {type: simulated}}
`;

function problems(extra: string): string[] {
  try {
    parseOfficeConfig(base + extra, "office.yaml");
    return [];
  } catch (error) {
    return (error as { problems: string[] }).problems;
  }
}

describe("devices.panels", () => {
  it("is optional; a panel's rules default, numbers are taken as button names", () => {
    expect(parseOfficeConfig(base).devices.panels).toEqual([]);
    const config = parseOfficeConfig(
      `${base}${printers}
  panels:
    - {id: p, kind: gpio, printer: kiosk, io: {type: gpio}, buttons: [{button: 17, service: a, led: 27}]}
`,
    );
    expect(config.devices.panels[0]).toEqual({
      id: "p",
      kind: "gpio",
      printer: "kiosk",
      io: { type: "gpio", chip: "gpiochip0" },
      buttons: [{ button: "17", service: "a", led: 27 }],
      rules: {
        debounceMs: 30,
        minPressIntervalMs: 2000,
        stuckAfterSeconds: 10,
        maxQueuedPerPrinter: 3,
        refusedFlashSeconds: 3,
      },
    });
  });

  it("buttons, LEDs and io must fit the panel's kind", () => {
    expect(
      problems(`${printers}
  panels:
    - id: x
      kind: xkeys
      printer: kiosk
      io: {type: gpio}
      buttons:
        - {button: "80", service: a, led: 3}
        - {button: "1", service: b, pullUp: true}
    - id: k
      kind: keypad
      printer: kiosk
      io: {type: hid, vendorId: 0x04d9}
      buttons:
        - {button: kp_1, service: a}
        - {button: NOPE, service: b, led: true}
    - id: f
      kind: firmata
      printer: kiosk
      io: {type: firmata, path: /dev/ttyACM0}
      buttons:
        - {button: "1", service: a}
        - {button: A0, service: b, led: true}
`),
    ).toEqual([
      'devices.panels[0].io.type: a xkeys panel is reached by io type "hid" or "simulated"',
      'devices.panels[0].buttons[0].button: an X-keys button is a key index 0..79 (column*8+row), got "80"',
      "devices.panels[0].buttons[0].led: an X-keys key lights its own backlight: write `led: true`",
      "devices.panels[0].buttons[1].pullUp: pullUp is for GPIO and Arduino inputs",
      'devices.panels[1].buttons[0].button: write the key as "KP_1"',
      'devices.panels[1].buttons[1].button: a keypad button is a key usage name ("KP_1", "A", "KP_ENTER"), got "NOPE"',
      "devices.panels[1].buttons[1].led: a keypad has no button LEDs",
      "devices.panels[2].buttons[0].button: pins 0 and 1 are the Arduino's serial port (Firmata talks over them)",
      "devices.panels[2].buttons[1].led: an Arduino LED is an output pin (13, A1)",
    ]);
  });

  it("printer and services exist, ids are unique among devices, buttons and LED pins once per panel, one queue length per printer", () => {
    expect(
      problems(`${printers}
  ledDisplays:
    - {id: led, controller: HT16K33, counter: "1", io: {type: firmata, path: /dev/ttyACM0}}
  panels:
    - id: kiosk
      kind: firmata
      printer: kiosk
      io: {type: firmata, path: /dev/ttyACM0}
      buttons:
        - {button: 2, service: a, led: 3}
        - {button: 3, service: c}
        - {button: 2, service: b, led: 8}
    - id: p2
      kind: xkeys
      printer: nope
      io: {type: simulated}
      buttons: [{button: "0", service: a}]
    - id: p3
      kind: xkeys
      printer: kiosk
      io: {type: simulated}
      rules: {maxQueuedPerPrinter: 5}
      buttons: [{button: "0", service: a}]
`),
    ).toEqual([
      'devices.panels[0].id: "kiosk" is already used by devices.printers[0]',
      'devices.panels[0].io.path: "/dev/ttyACM0" is already used by devices.ledDisplays[0].io',
      "devices.panels[0].buttons[0].led: pin 3 is a button of this panel",
      'devices.panels[0].buttons[1].service: service "c" is not defined in services',
      'devices.panels[0].buttons[2].button: "2" is already used by devices.panels[0].buttons[0]',
      'devices.panels[1].printer: printer "nope" is not defined in devices.printers',
      'devices.panels[2].rules.maxQueuedPerPrinter: must equal devices.panels[0]\'s (3): panels on printer "kiosk" share its queue',
    ]);
  });
});
