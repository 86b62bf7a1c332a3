import { describe, expect, it } from "vitest";
import { renderBoardSvg } from "../../../simulators/boards/render.js";

const count = (svg: string, fragment: string) => svg.split(fragment).length - 1;

describe("renderBoardSvg", () => {
  it("draws seven-segment digits from segments and names the text", () => {
    const svg = renderBoardSvg("A123", { style: "seven-segment" });
    expect(svg.startsWith("<svg xmlns=")).toBe(true);
    expect(svg).toContain("<title>A123</title>");
    expect(svg).toContain('aria-label="A123"');
    expect(count(svg, "<polygon")).toBe(4 * 7);
    // A 6, 1 2, 2 5, 3 5 segments lit.
    const lit = svg.slice(svg.indexOf('class="lit"'));
    expect(count(lit, "<polygon")).toBe(6 + 2 + 5 + 5);
    expect(svg).not.toContain("<animate");
    expect(svg).not.toMatch(/href|<script|@import/);
  });

  it("pads to the digits asked for, and a dot lights the decimal point", () => {
    const svg = renderBoardSvg("1.5", { style: "seven-segment", digits: 4 });
    expect(count(svg, "<polygon")).toBe(4 * 7);
    const lit = svg.slice(svg.indexOf('class="lit"'));
    expect(count(lit, "<circle")).toBe(1);
  });

  it("writes a matrix board's text, escaped, and blinks when flashing", () => {
    const svg = renderBoardSvg("A<1>&\n2", { style: "matrix", flashing: true });
    expect(svg).toContain("A&#60;1&#62;&#38; 2</text>");
    expect(svg).toContain('<animate attributeName="opacity"');
    expect([...svg].some((c) => c < " ")).toBe(false);
  });
});
