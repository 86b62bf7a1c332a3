// The display's elements, built from the data alone (the page decides what to show and when):
// a call big, a call in the history, a service's waiting count. The data-* attributes let a test
// or a kiosk script read what is shown.
import type { z } from "zod";
import type { infoSchema, zoneCallsSchema } from "../../protocols/mqtt/schemas.js";
import { h } from "./dom.js";
import { type Lang, pickIn, type StringKey, tIn } from "./i18n.js";

type Call = z.infer<typeof zoneCallsSchema>["calls"][number];
type Service = z.infer<typeof infoSchema>["services"][number];

/** "Counter 4", "Desk 4", "Room 4" in the language shown. */
export function placeWords(lang: Lang, call: Call): string {
  return tIn(lang, `place_${call.place}` as StringKey, { id: call.counter });
}

export function callElement(call: Call, lang: Lang, blink: boolean): HTMLElement {
  const element = h(
    "div",
    {
      class: `now-call${blink ? " blink" : ""}`,
      "data-ticket": call.ticket,
      "data-number": call.number,
      "data-counter": call.counter,
      "data-place": call.place,
      "data-recall": String(call.recall),
    },
    h("span", { class: "now-number" }, call.number),
    h(
      "span",
      { class: "now-counter" },
      h("span", { class: "now-arrow", "aria-hidden": "true" }, "→"),
      ` ${call.counter}`,
    ),
    h("span", { class: "now-place" }, placeWords(lang, call)),
  );
  // A few blinks (the CSS animation), then it stands still.
  element.addEventListener("animationend", () => element.classList.remove("blink"), { once: true });
  return element;
}

export function historyElement(call: Call, lang: Lang): HTMLElement {
  return h(
    "li",
    {
      class: "history-call",
      "data-ticket": call.ticket,
      "data-number": call.number,
      "data-counter": call.counter,
    },
    h("span", { class: "history-number" }, call.number),
    h("span", { class: "history-arrow", "aria-hidden": "true" }, "→"),
    h("span", { class: "history-counter", title: placeWords(lang, call) }, call.counter),
  );
}

export function waitingElement(service: Service, waiting: number, open: boolean, lang: Lang): HTMLElement {
  return h(
    "li",
    { class: `waiting-service${open ? "" : " closed"}`, "data-service": service.id },
    h("span", { class: "waiting-name" }, pickIn(lang, service.names, service.id)),
    h("span", { class: "waiting-count" }, String(waiting)),
    open ? null : h("span", { class: "waiting-closed" }, tIn(lang, "st_closed")),
  );
}
