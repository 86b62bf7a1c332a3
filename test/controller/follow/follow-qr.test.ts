// The printed QR with a follow page: <publicUrl>/t/<token>, read back by the virtual printer, and
// the ticket stays small; without follow the ticket.qrUrl template stays (now with {token} too).
import { describe, expect, it } from "vitest";
import { newFollowToken } from "../../../controller/follow/token.js";
import { encodeTicket, type TicketContent, ticketTexts } from "../../../controller/printing/ticket-layout.js";
import { demoOfficeConfig } from "../../../demo/demo-config.js";
import { profileById } from "../../../protocols/escpos/profiles.js";
import { decodeEscPos } from "../../../simulators/printer/escpos-decoder.js";

const token = newFollowToken();
const content: TicketContent = {
  ticket: {
    id: "2026-11-25-A023",
    number: "A023",
    service: "pensions",
    issuedAt: Date.UTC(2026, 10, 25, 7, 14),
    ahead: 3,
    estimatedWait: { minMinutes: 10, maxMinutes: 15 },
    token,
  },
  now: Date.UTC(2026, 10, 25, 7, 14),
};

describe("the ticket's QR", () => {
  it("is the follow page's <publicUrl>/t/<token> when follow is configured, over any qrUrl", () => {
    const config = demoOfficeConfig();
    config.ticket.qrUrl = "https://vooru.example/q/{office}/{number}";
    const followUrl = "http://192.168.10.2:8090";
    expect(ticketTexts(config, { ...content, followUrl }).qr).toBe(`${followUrl}/t/${token}`);
    for (const profile of ["epson-tm-t20iii", "generic-58mm"]) {
      const bytes = encodeTicket(config, profileById(profile), { ...content, followUrl });
      expect(decodeEscPos(bytes).tickets[0]?.qr).toEqual([`${followUrl}/t/${token}`]);
      // A 16-character token keeps the ticket about the size of today's with a short link.
      expect(bytes.length).toBeLessThan(400);
    }
  });

  it("without follow, keeps the ticket.qrUrl template, which may use {token}", () => {
    const config = demoOfficeConfig();
    config.ticket.qrUrl = "https://vooru.example/q/{office}/{number}";
    expect(ticketTexts(config, content).qr).toBe("https://vooru.example/q/demo/A023");
    config.ticket.qrUrl = "https://queue.example/follow/{token}";
    expect(ticketTexts(config, content).qr).toBe(`https://queue.example/follow/${token}`);
    config.ticket.qrUrl = undefined;
    expect(ticketTexts(config, content).qr).toBeNull();
    // A ticket from before tokens (an old journal) with follow: no QR rather than a dead link.
    expect(
      ticketTexts(config, {
        ...content,
        ticket: { ...content.ticket, token: undefined },
        followUrl: "http://x",
      }).qr,
    ).toBeNull();
  });
});
