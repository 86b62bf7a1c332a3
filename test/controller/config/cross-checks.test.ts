import { describe, expect, it } from "vitest";
import { parseOfficeConfig } from "../../../controller/config/load.js";

const base = `
office: {id: t, name: {en: T}}
services: [{id: a, prefix: A, names: {en: A}}]
counters: [{id: "1", zone: hall, services: [a]}]
`;

function problems(extra: string): string[] {
  try {
    parseOfficeConfig(base + extra, "office.yaml");
    return [];
  } catch (error) {
    return (error as { problems: string[] }).problems;
  }
}

describe("configuration cross-checks for devices", () => {
  it("device ids are unique across printers and boards; profiles, counters, zones and the desk printer must exist", () => {
    expect(
      problems(`
devices:
  printers:
    - {id: p1, profile: epson-tm-t20iii, transport: {type: simulated}}
    - {id: p2, profile: epson-tm-9000, transport: {type: simulated}}
  boardBuses:
    - id: bus
      protocol: modbus-7seg
      transport: {type: simulated}
      boards:
        - {id: p1, address: 1, counter: "1"}
        - {id: b2, address: 1, counter: "9"}
        - {id: b3, address: 3, zone: lobby}
desk: {printer: p9}
`),
    ).toEqual([
      'devices.printers[1].profile: unknown printer profile "epson-tm-9000"; known: epson-tm-t20iii, epson-tm-t88vi, generic-58mm, generic-80mm',
      'devices.boardBuses[0].boards[0].id: "p1" is already used by devices.printers[0]',
      "devices.boardBuses[0].boards[1].address: address 1 is already used by devices.boardBuses[0].boards[0]",
      'devices.boardBuses[0].boards[1].counter: counter "9" is not defined in counters',
      'devices.boardBuses[0].boards[2].zone: no counter is in zone "lobby"',
      'desk.printer: printer "p9" is not defined in devices.printers',
    ]);
  });

  it("a board shows a counter or a zone, not both", () => {
    expect(
      problems(`
devices:
  boardBuses:
    - {id: bus, protocol: alpha, transport: {type: simulated}, boards: [{id: b, address: 1, counter: "1", zone: hall}]}
`),
    ).toEqual(["devices.boardBuses[0].boards[0].counter: a board shows either a counter or a zone"]);
  });

  it("led displays: ids unique with the other devices, counter or zone defined, one display per Arduino", () => {
    expect(
      problems(`
devices:
  printers: [{id: p1, profile: epson-tm-t20iii, transport: {type: simulated}}]
  ledDisplays:
    - {id: p1, controller: HT16K33, counter: "1", io: {type: firmata, path: /dev/ttyACM0}}
    - {id: l2, controller: HT16K33, counter: "9", io: {type: firmata, path: /dev/ttyACM0}}
    - {id: l3, controller: MAX7219, zone: lobby, pins: {data: 2, clock: 3, cs: 4}, io: {type: simulated}}
`),
    ).toEqual([
      'devices.ledDisplays[0].id: "p1" is already used by devices.printers[0]',
      'devices.ledDisplays[1].counter: counter "9" is not defined in counters',
      'devices.ledDisplays[1].io.path: "/dev/ttyACM0" is already used by devices.ledDisplays[0].io',
      'devices.ledDisplays[2].zone: no counter is in zone "lobby"',
    ]);
  });

  it("a led display shows a counter or a zone; a MAX7219 needs pins, an HT16K33 takes an address", () => {
    expect(
      problems(`
devices:
  ledDisplays:
    - {id: l1, controller: HT16K33, counter: "1", zone: hall, io: {type: simulated}}
    - {id: l2, controller: MAX7219, counter: "1", address: 112, io: {type: simulated}}
`),
    ).toEqual([
      "devices.ledDisplays[0].counter: a board shows either a counter or a zone",
      "devices.ledDisplays[1].pins: a MAX7219 needs pins {data, clock, cs}",
      "devices.ledDisplays[1].address: address is for an HT16K33 (I2C); a MAX7219 takes pins",
    ]);
  });
});
