// The printed ticket, byte for byte per profile, and read back by the virtual printer: every line
// in its own letters (õ š ž and Cyrillic), the number 4x, the QR, one cut.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  encodeTicket,
  fillTemplate,
  localDateTime,
  type TicketContent,
  ticketTexts,
} from "../../../controller/printing/ticket-layout.js";
import { demoOfficeConfig } from "../../../demo/demo-config.js";
import { profileById } from "../../../protocols/escpos/profiles.js";
import { decodeEscPos } from "../../../simulators/printer/escpos-decoder.js";
import { lineText } from "../../../simulators/printer/ticket.js";

const golden = join(dirname(fileURLToPath(import.meta.url)), "../../golden");
const content: TicketContent = {
  ticket: {
    id: "2026-11-25-A023",
    number: "A023",
    service: "pensions",
    issuedAt: Date.UTC(2026, 10, 25, 7, 14),
    ahead: 3,
    estimatedWait: { minMinutes: 10, maxMinutes: 15 },
  },
  now: Date.UTC(2026, 10, 25, 7, 14),
};

function config() {
  const c = demoOfficeConfig();
  c.ticket.qrUrl = "https://vooru.example/q/{office}/{number}";
  // Every Estonian letter outside ASCII, on top of the Russian lines.
  c.ticket.footer = { et: "Tere tulemast! õäöüšž ÕÄÖÜŠŽ", en: "Welcome!", ru: "Добро пожаловать!" };
  return c;
}

describe("ticket layout", () => {
  for (const profile of ["epson-tm-t20iii", "epson-tm-t88vi", "generic-58mm"]) {
    it(`${profile}: golden bytes, and the virtual printer reads every line back exactly`, () => {
      const bytes = encodeTicket(config(), profileById(profile), content);
      const file = join(golden, `ticket-${profile}.hex`);
      const hex = Buffer.from(bytes)
        .toString("hex")
        .replace(/(.{64})/g, "$1\n");
      if (process.env.UPDATE_GOLDEN) writeFileSync(file, `${hex}\n`);
      expect(`${hex}\n`, `${file} differs: check the change, then UPDATE_GOLDEN=1`).toBe(
        readFileSync(file, "utf8"),
      );
      // The bench's standard ticket (a shorter footer) is under 350 bytes; this one carries 12 more letters.
      expect(bytes.length).toBeLessThan(380);

      const { tickets, unknownCommands } = decodeEscPos(bytes);
      expect(unknownCommands).toBe(0);
      expect(tickets).toHaveLength(1);
      const ticket = tickets[0]!;
      expect(ticket.lines.map((l) => lineText(l).trim()).filter(Boolean)).toEqual([
        "Vooru näidisbüroo",
        "Pensionid",
        "Pensions",
        "Пенсии",
        "A023",
        "25.11.2026 09:14",
        "Ees 3, ootus 10-15 min",
        "Ahead 3, wait 10-15 min",
        "Впереди 3, ожидание 10-15 мин",
        "Tere tulemast! õäöüšž ÕÄÖÜŠŽ",
        "Welcome!",
        "Добро пожаловать!",
      ]);
      const numberLine = ticket.lines.find((l) => lineText(l).trim() === "A023");
      expect(numberLine?.segments[0]).toMatchObject({ width: 4, height: 4, bold: true });
      expect(numberLine?.align).toBe("center");
      expect(ticket.qr).toEqual(["https://vooru.example/q/demo/A023"]);
      expect(ticket.cut).toBe("full");
    });
  }

  it("texts follow the office's languages and the config", () => {
    const c = config();
    c.office.languages = ["ru", "et"];
    c.ticket.waitLabel = { et: "oota", ru: "ждать" };
    const t = ticketTexts(c, content);
    expect(t.serviceNames).toEqual(["Пенсии", "Pensionid"]);
    expect(t.waitLines).toEqual(["Впереди 3, ждать 10-15 мин", "Ees 3, oota 10-15 min"]);
    expect(t.officeName).toBe("Демонстрационное бюро Vooru");
  });

  it("a ticket not waiting has no wait lines; no QR without a URL", () => {
    const c = demoOfficeConfig();
    const t = ticketTexts(c, {
      ...content,
      ticket: { ...content.ticket, ahead: undefined, estimatedWait: undefined },
    });
    expect(t.waitLines).toEqual([]);
    expect(t.qr).toBeNull();
  });

  it("local date and time in the office's zone; URL templates are escaped", () => {
    expect(localDateTime(Date.UTC(2026, 6, 1, 21, 5), "Europe/Tallinn")).toBe("02.07.2026 00:05");
    expect(
      fillTemplate("https://x/{office}/{number}?t={ticket}", {
        office: "demo",
        number: "A 1",
        ticket: "id/1",
      }),
    ).toBe("https://x/demo/A%201?t=id%2F1");
  });
});
