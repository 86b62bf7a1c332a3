// The start page: the office's pages, each with what it is for.
import { type StringKey, t } from "./lib/i18n.js";
import { h, pageFrame, replace } from "./lib/ui.js";

const PAGES: Array<[string, StringKey, StringKey]> = [
  ["/counter.html", "pageCounter", "pageCounterNote"],
  ["/desk.html", "pageDesk", "pageDeskNote"],
  ["/kiosk.html", "pageKiosk", "pageKioskNote"],
  ["/board.html", "pageBoard", "pageBoardNote"],
  ["/display", "pageDisplay", "pageDisplayNote"],
  ["/stats.html", "pageStats", "pageStatsNote"],
];

const frame = pageFrame("indexTitle", () => draw());
// The start page needs no connection: it only links to the pages.
document.querySelector(".conn")?.remove();

function draw(): void {
  replace(
    frame.main,
    h("p", {}, t("indexIntro")),
    h(
      "ul",
      { class: "cards" },
      ...PAGES.map(([href, title, note]) =>
        h(
          "li",
          {},
          h("a", { href, class: "card" }, h("strong", {}, t(title)), h("span", { class: "note" }, t(note))),
        ),
      ),
    ),
  );
}
draw();
