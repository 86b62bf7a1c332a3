// The waiting-room view (/board.html): every LED board as it shows now (boards/{board}), big: the
// main boards' last calls ("A023 → 4") and a tile per counter board. A new call blinks while the
// board itself blinks.
import { connectOffice } from "./lib/connection.js";
import { t } from "./lib/i18n.js";
import { type BoardState, type OfficeState, trackOffice } from "./lib/office-state.js";
import { h, pageFrame, replace } from "./lib/ui.js";

let state: OfficeState | null = null;
const frame = pageFrame("boardTitle", () => draw());
document.body.classList.add("board-page");
const connection = await connectOffice();
frame.attach(connection);
state = trackOffice(connection, () => draw());

function lines(board: BoardState): HTMLElement[] {
  return board.lines.length === 0
    ? [h("span", { class: "line idle" }, "\u00a0")]
    : board.lines.map((line, i) => h("span", { class: `line${i === 0 ? " newest" : ""}` }, line));
}

function draw(): void {
  if (!state) return;
  const boards = [...state.boards.entries()].sort(([a], [b]) =>
    a.localeCompare(b, undefined, { numeric: true }),
  );
  const main = boards.filter(([, b]) => b.counter === undefined);
  const counters = boards.filter(([, b]) => b.counter !== undefined);
  if (boards.length === 0) {
    replace(frame.main, h("p", { class: "empty" }, t("noBoards")));
    return;
  }
  replace(
    frame.main,
    main.length > 0
      ? h(
          "section",
          { "aria-labelledby": "main-h" },
          h("h2", { id: "main-h" }, t("mainBoards")),
          ...main.map(([id, b]) =>
            h("div", { class: `main-board${b.blink ? " blink" : ""}`, "data-board": id }, ...lines(b)),
          ),
        )
      : null,
    counters.length > 0
      ? h(
          "section",
          { "aria-labelledby": "counters-h" },
          h("h2", { id: "counters-h" }, t("counterBoards")),
          h(
            "ul",
            { class: "counter-boards" },
            ...counters.map(([id, b]) =>
              h(
                "li",
                {
                  class: `counter-board${b.blink ? " blink" : ""}`,
                  "data-board": id,
                  "data-counter": b.counter ?? "",
                },
                h("span", { class: "counter-label" }, t("counterN", { id: b.counter ?? id })),
                h("span", { class: "counter-text" }, b.text || "\u00a0"),
              ),
            ),
          ),
        )
      : null,
  );
}
draw();
