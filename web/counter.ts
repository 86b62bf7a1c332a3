// The counter page (/counter.html?counter=1): a counter's staff open and close it, call, serve,
// transfer and park tickets, and see the waiting list of its services with each ticket's wait.
// Without ?counter= it lists the counters to choose from. Keys: N call next, R recall, S start,
// F finish (also Alt+letter through accesskey).
//
// Signed in, the page asks the controller who it is (whoami below) to know its counters:
// a counter user who opens the chooser goes to its own counter, and one who opens another
// counter's page sees at once that its requests there are refused as UNAUTHORIZED.
import type { CounterVerb } from "../protocols/mqtt/topics.js";
import { appointmentBadge } from "./lib/appointment-badge.js";
import { type Access, connectOffice, type PageReply } from "./lib/connection.js";
import { pick, type StringKey, t } from "./lib/i18n.js";
import { byPlace, type OfficeState, type Ticket, trackOffice } from "./lib/office-state.js";
import { actor, h, label, pageFrame, replace, tickWaited, waited } from "./lib/ui.js";

const counterId = new URLSearchParams(location.search).get("counter");
const SHORTCUTS: Record<string, CounterVerb> = { n: "call_next", r: "recall", s: "start", f: "finish" };

let state: OfficeState | null = null;
const frame = pageFrame(
  counterId ? "counterN" : "chooseCounter",
  () => draw(),
  counterId ? { id: counterId } : {},
);
const connection = await connectOffice();
frame.attach(connection);
const act = actor(connection, frame);
state = trackOffice(connection, () => {
  checkRights();
  draw();
});
tickWaited();

/**
 * Which counters the signed-in user may act for: true (the broker let a request through), false
 * (it answered UNAUTHORIZED), null (no answer). Only for a named user; anonymous is the demo's admin.
 */
let rights: { username: string; allowed: Map<string, boolean | null> } | null = null;
let checking: string | null = null;
/** A request at this counter came back UNAUTHORIZED (for this user). */
let refusedFor: string | null = null;
let access: Access = { kind: "connecting" };
connection.onAccessChange((next) => {
  access = next;
  checkRights();
  draw();
});

function signedInUser(): string | null {
  return access.kind === "connected" ? access.username : null;
}

/**
 * What this user may act for, from system/request/whoami (the username, role and counter the
 * broker authenticated): desk and admin any counter, a counter user only its own. null: no answer.
 */
async function whoami(): Promise<{ role: string | null; counter?: string } | null> {
  const reply: PageReply = await connection.request({ scope: "system", verb: "whoami" });
  if (!reply.ok) return null;
  const result = reply.result as { role?: unknown; counter?: unknown };
  return {
    role: typeof result.role === "string" ? result.role : null,
    ...(typeof result.counter === "string" ? { counter: result.counter } : {}),
  };
}

/**
 * Finds which counters the signed-in user may act for, once per user: on the chooser to send a
 * counter user to its own counter, on a counter's page to offer the way to its own when refused.
 */
function checkRights(): void {
  const user = signedInUser();
  const counters = state?.info?.counters.map((c) => c.id) ?? [];
  if (!user || counters.length === 0 || rights?.username === user || checking === user) return;
  checking = user;
  void (async () => {
    const me = await whoami();
    if (checking === user) checking = null;
    if (signedInUser() !== user) return; // signed out or in as someone else meanwhile
    const mayAct = (id: string): boolean | null =>
      me === null
        ? null
        : me.role === "desk" || me.role === "admin"
          ? true
          : me.role === "counter" && me.counter === id;
    rights = { username: user, allowed: new Map(counters.map((id) => [id, mayAct(id)])) };
    const own = counters.filter((id) => mayAct(id) === true);
    // A counter user's chooser has one choice: its own counter.
    if (!counterId && own.length === 1 && own[0] !== undefined) {
      location.replace(`/counter.html?counter=${encodeURIComponent(own[0])}`);
      return;
    }
    draw();
  })();
}

/** The user's own counter, when the rights check found exactly one. */
function ownCounter(): string | null {
  const own = [...(rights?.allowed.entries() ?? [])].filter(([, allowed]) => allowed === true);
  return own.length === 1 && own[0] ? own[0][0] : null;
}

/** The banner a user sees at a counter it may not act for: who, why, and the way out. */
function notAllowedBanner(id: string): HTMLElement | null {
  const user = signedInUser();
  if (!user) return null;
  const refused = refusedFor === user || (rights?.username === user && rights.allowed.get(id) === false);
  if (!refused) return null;
  const own = ownCounter();
  return h(
    "div",
    { id: "not-allowed", class: "fault-banner not-allowed", role: "alert" },
    h("p", {}, t("notAllowedHere", { user, id })),
    h(
      "div",
      { class: "buttons" },
      own && own !== id
        ? h(
            "a",
            {
              id: "own-counter",
              class: "button-link",
              href: `/counter.html?counter=${encodeURIComponent(own)}`,
            },
            t("goToOwnCounter", { id: own }),
          )
        : null,
      h(
        "button",
        { type: "button", id: "sign-in-other", onclick: () => connection.signOut() },
        t("signInOther"),
      ),
    ),
  );
}

function serviceName(id: string): string {
  const service = state?.info?.services.find((s) => s.id === id);
  return service ? `${service.prefix} · ${pick(service.names, id)}` : id;
}

function verb(v: CounterVerb, args: Record<string, unknown> = {}, what: string = v) {
  if (!counterId) return;
  void act({ scope: "counter", counter: counterId, verb: v }, args, what).then((reply) => {
    const user = signedInUser();
    if (!reply.ok && reply.error.code === "UNAUTHORIZED" && user && refusedFor !== user) {
      refusedFor = user;
      draw();
    }
  });
}

function button(id: string, key: StringKey, onclick: () => void, accesskey?: string): HTMLButtonElement {
  return h(
    "button",
    {
      type: "button",
      id,
      onclick,
      ...(accesskey ? { accesskey, "aria-keyshortcuts": accesskey.toUpperCase() } : {}),
    },
    t(key),
    accesskey ? h("kbd", {}, accesskey.toUpperCase()) : null,
  );
}

function drawChooser(): void {
  const counters = state?.info?.counters ?? [];
  replace(
    frame.main,
    h(
      "ul",
      { class: "cards" },
      ...counters.map((c) =>
        h(
          "li",
          {},
          h(
            "a",
            { href: `/counter.html?counter=${encodeURIComponent(c.id)}`, class: "card" },
            h("strong", {}, t("counterN", { id: c.id })),
            c.name ? ` (${c.name})` : "",
            h("span", { class: "note" }, c.services.map(serviceName).join(", ")),
          ),
        ),
      ),
    ),
  );
}

function ticketRow(ticket: Ticket, action: HTMLButtonElement): HTMLTableRowElement {
  return h(
    "tr",
    { "data-ticket": ticket.number },
    h("th", { scope: "row" }, ticket.number, appointmentBadge(ticket)),
    h("td", {}, serviceName(ticket.service)),
    h("td", { "data-since": ticket.arrivedAt }, waited(ticket.arrivedAt)),
    h("td", {}, action),
  );
}

function ticketTable(caption: string, tickets: Ticket[], action: (t: Ticket) => HTMLButtonElement) {
  if (tickets.length === 0) return h("p", { class: "empty" }, t("nobodyWaiting"));
  return h(
    "table",
    {},
    h("caption", { class: "sr-only" }, caption),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        ...[t("number"), t("service"), t("waited"), t("actions")].map((c) => h("th", { scope: "col" }, c)),
      ),
    ),
    h("tbody", {}, ...tickets.map((ticket) => ticketRow(ticket, action(ticket)))),
  );
}

function draw(): void {
  if (!state?.info) return;
  if (!counterId) {
    drawChooser();
    return;
  }
  const config = state.info.counters.find((c) => c.id === counterId);
  if (!config) {
    replace(frame.main, h("p", { class: "empty" }, t("noSuchCounter", { id: counterId })));
    return;
  }
  const counter = state.counters.get(counterId);
  const status = counter?.status ?? "closed";
  const current = counter?.ticket ?? null;
  const mine = new Set(config.services);
  const waiting = state.tickets.filter((x) => x.state === "waiting" && mine.has(x.service)).sort(byPlace);
  const parked = state.tickets.filter((x) => x.state === "parked" && mine.has(x.service)).sort(byPlace);

  const transferTo = h("select", { id: "transfer-service" });
  for (const s of state.info.services) transferTo.append(h("option", { value: s.id }, serviceName(s.id)));
  const previous = document.getElementById("transfer-service") as HTMLSelectElement | null;
  if (previous) transferTo.value = previous.value;

  replace(
    frame.main,
    notAllowedBanner(counterId),
    h(
      "section",
      { class: "panel", "aria-labelledby": "status-h" },
      h(
        "h2",
        { id: "status-h" },
        `${t("status")}: `,
        h("span", { id: "counter-status", class: `st st-${status}` }, t(`st_${status}`)),
      ),
      config.name
        ? h("p", { class: "note" }, config.name, " · ", config.services.map(serviceName).join(", "))
        : null,
      h(
        "div",
        { class: "buttons" },
        button("open", "open", () => verb("open", {}, t("open"))),
        button("pause", "pause", () => verb("pause", {}, t("pause"))),
        button("close", "close", () => verb("close", {}, t("close"))),
      ),
    ),
    h(
      "section",
      { class: "panel current", "aria-labelledby": "current-h" },
      h("h2", { id: "current-h" }, t("currentTicket")),
      current
        ? h(
            "p",
            { class: "big-number", id: "current-ticket" },
            current.number,
            h(
              "span",
              { class: "note" },
              ` ${serviceName(current.service)} · ${t(`ts_${current.state}` as StringKey)}`,
            ),
            current.recalls > 0
              ? h("span", { class: "note" }, ` · ${t("recalls", { n: current.recalls })}`)
              : null,
            current.calledAt
              ? h("span", { class: "note", "data-since": current.calledAt }, waited(current.calledAt))
              : null,
          )
        : h("p", { class: "big-number empty", id: "current-ticket" }, t("noTicket")),
      h(
        "div",
        { class: "buttons" },
        button("call-next", "callNext", () => verb("call_next", {}, t("callNext")), "n"),
        button("recall", "recall", () => verb("recall", {}, t("recall")), "r"),
        button("start", "start", () => verb("start", {}, t("start")), "s"),
        button("finish", "finish", () => verb("finish", {}, t("finish")), "f"),
        button("no-show", "noShow", () => verb("no_show", {}, t("noShow"))),
        button("return", "return", () => verb("return", {}, t("return"))),
        button("park", "park", () => verb("park", {}, t("park"))),
      ),
      h(
        "div",
        { class: "inline-form" },
        label(t("transferTo"), transferTo),
        transferTo,
        button("transfer", "transfer", () => verb("transfer", { service: transferTo.value }, t("transfer"))),
      ),
      h("p", { class: "note" }, t("shortcuts")),
    ),
    h(
      "section",
      { class: "panel", "aria-labelledby": "waiting-h" },
      h("h2", { id: "waiting-h" }, `${t("waitingList")} (${waiting.length})`),
      ticketTable(t("waitingList"), waiting, (x) =>
        h(
          "button",
          {
            type: "button",
            id: `call-${x.number}`,
            onclick: () => verb("call", { ticket: x.id }, `${t("call")} ${x.number}`),
          },
          `${t("call")} ${x.number}`,
        ),
      ),
    ),
    parked.length > 0
      ? h(
          "section",
          { class: "panel", "aria-labelledby": "parked-h" },
          h("h2", { id: "parked-h" }, `${t("parkedList")} (${parked.length})`),
          ticketTable(t("parkedList"), parked, (x) =>
            h(
              "button",
              {
                type: "button",
                id: `resume-${x.number}`,
                onclick: () => verb("resume", { ticket: x.id }, `${t("resume")} ${x.number}`),
              },
              `${t("resume")} ${x.number}`,
            ),
          ),
        )
      : null,
  );
}

// Plain letters act as shortcuts unless the user is typing; Alt+letter is the buttons' accesskey.
document.addEventListener("keydown", (event) => {
  if (!counterId || event.altKey || event.ctrlKey || event.metaKey || event.repeat) return;
  const target = event.target as HTMLElement | null;
  if (target && ["INPUT", "SELECT", "TEXTAREA"].includes(target.tagName)) return;
  const action = SHORTCUTS[event.key.toLowerCase()];
  if (!action) return;
  event.preventDefault();
  document.getElementById(action === "call_next" ? "call-next" : action)?.click();
});
