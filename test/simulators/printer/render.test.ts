import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { decodeEscPos } from "../../../simulators/printer/escpos-decoder.js";
import { renderTicketSvg, renderTicketText } from "../../../simulators/printer/render.js";
import { MODELS, QR, TEXTS, ticketBytes } from "./fixtures.js";

describe.each(MODELS)("rendering a ticket for %s", (model) => {
  const ticket = decodeEscPos(ticketBytes(model, "center")).tickets[0]!;
  const widthMm = model === "pos-5890" ? 58 : 80;

  it("renders aligned text with the wide number spread out", () => {
    const columns = widthMm === 58 ? 32 : 48;
    const text = renderTicketText(ticket, columns);
    for (const t of TEXTS) expect(text).toContain(t);
    expect(text).toContain("A   0   2   3");
    expect(text.replace(/\n\s*/g, "")).toContain(`[QR ${QR}]`);
    const lines = text.split("\n");
    expect(lines.at(-1)).toBe("=".repeat(columns));
    expect(Math.max(...lines.map((l) => [...l].length))).toBeLessThanOrEqual(columns);
  });

  it("renders a self-contained SVG", () => {
    const svg = renderTicketSvg(ticket, { widthMm });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    expect(svg).toContain(`viewBox="0 0 ${widthMm} `);
    expect(svg).toContain(">A023</text>");
    expect(svg).toContain("Пенсии");
    expect(svg).toContain("stroke-dasharray"); // the cut line
    const shown = [...svg.matchAll(/text-anchor="middle">([^<]*)<\/text>/g)].map((m) => m[1]).join("");
    expect(shown).toContain(QR.replace(/&/g, "&#38;")); // the payload, wrapped inside its box
    expect(svg).not.toMatch(/href=|<script|NaN|undefined/);
    // Balanced tags: every opened element is closed.
    const opened = (svg.match(/<(svg|text)\b/g) ?? []).length;
    const closed = (svg.match(/<\/(svg|text)>/g) ?? []).length;
    expect(opened).toBe(closed);
  });
});

describe("render edge cases", () => {
  it("wraps over-long lines, aligns right, marks partial cuts and escapes markup", () => {
    const ticket = {
      lines: [
        {
          align: "right" as const,
          segments: [{ text: "<&>", bold: true, underline: false, width: 1, height: 1 }],
        },
        {
          align: "left" as const,
          segments: [{ text: "abcdefghi", bold: false, underline: false, width: 2, height: 1 }],
        },
      ],
      qr: [],
      logos: [{ kc1: 65, kc2: 66 }],
      cut: "partial" as const,
      rasterBytes: 8,
    };
    expect(renderTicketText(ticket, 16).split("\n")).toEqual([
      "  [logo 65/66]",
      `${" ".repeat(13)}<&>`,
      "a b c d e f g h",
      "i",
      "[image 8 bytes]",
      "-".repeat(16),
    ]);
    const svg = renderTicketSvg(ticket, { widthMm: 58 });
    expect(svg).toContain("&#60;&#38;&#62;");
    expect(svg).toContain("partial cut");
  });
});

describe("loading the simulator", () => {
  it("does not load serialport until a serial attachment is used", () => {
    const script = `
      await import("./simulators/printer/attach.ts");
      await import("./simulators/printer/virtual-printer.ts");
      const { createRequire } = await import("node:module");
      const cache = createRequire(import.meta.url).cache;
      console.log(Object.keys(cache).filter((k) => k.includes("serialport")).length);
    `;
    const out = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: process.cwd(),
      encoding: "utf8",
    });
    expect(out.trim()).toBe("0");
  });
});
