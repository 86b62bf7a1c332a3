// The information desk (/desk.html): the whole queue by service, a ticket issued by hand at a
// chosen printer (or none), a wrong ticket cancelled with a reason and reissued for the right
// service keeping its place, reprints, device health and active alerts. The reason is a choice of
// the office's codes (info.cancelReasons) shown in the page's language; the optional note is kept
// in the journal only (the controller publishes it nowhere). Below, who did what on a day (the
// audit trail, audit-panel.ts).

import { appointmentBadge } from "./lib/appointment-badge.js";
import { auditPanel } from "./lib/audit-panel.js";
import { connectOffice } from "./lib/connection.js";
import { pick, type StringKey, t, tMaybe } from "./lib/i18n.js";
import { byPlace, type OfficeState, type Ticket, trackOffice } from "./lib/office-state.js";
import { actor, h, label, pageFrame, replace, tickWaited, waited } from "./lib/ui.js";

let state: OfficeState | null = null;
const frame = pageFrame("pageDesk", () => draw());
const connection = await connectOffice();
frame.attach(connection);
const act = actor(connection, frame);
state = trackOffice(connection, () => draw());
tickWaited();

// The forms live outside the redrawn lists, so a redraw never loses what the user is typing.
const issueService = h("select", { id: "issue-service" });
const issuePrinter = h("select", { id: "issue-printer" });
// A booked customer's code, typed at the desk: checked in at the issue printer (docs/appointments.md).
const checkInCode = h("input", { id: "checkin-code", type: "text", maxlength: 32, autocomplete: "off" });
const fixTicket = h("select", { id: "fix-ticket" });
const fixReason = h("select", { id: "fix-reason" });
const fixNote = h("input", { id: "fix-note", type: "text", maxlength: 200, autocomplete: "off" });
const fixService = h("select", { id: "fix-service" });
const fixPrinter = h("select", { id: "fix-printer" });
const queue = h("div", { id: "queue" });
const devices = h("div", { id: "devices" });
const alerts = h("div", { id: "alerts" });
const labels: Array<[HTMLElement, StringKey]> = [];

function titled(key: StringKey, tag: "h2" | "legend" = "h2"): HTMLElement {
  const element = h(tag, {});
  labels.push([element, key]);
  return element;
}

function labelled(key: StringKey, control: HTMLElement): HTMLElement {
  const element = label("", control);
  labels.push([element, key]);
  return element;
}

function button(id: string, key: StringKey, onclick: () => void): HTMLButtonElement {
  const element = h("button", { type: "button", id, onclick });
  labels.push([element, key]);
  return element;
}

frame.main.append(
  h(
    "div",
    { class: "columns" },
    h(
      "section",
      { class: "panel", "aria-labelledby": "issue-h" },
      Object.assign(titled("issueTicket"), { id: "issue-h" }),
      h(
        "div",
        { class: "form" },
        labelled("service", issueService),
        issueService,
        labelled("printer", issuePrinter),
        issuePrinter,
        labelled("bookingCode", checkInCode),
        checkInCode,
      ),
      h(
        "div",
        { class: "buttons" },
        button("issue", "issue", () => void issue()),
        button("check-in", "checkIn", () => void checkIn()),
      ),
    ),
    h(
      "section",
      { class: "panel", "aria-labelledby": "fix-h" },
      Object.assign(titled("fixTicket"), { id: "fix-h" }),
      h(
        "div",
        { class: "form" },
        labelled("ticket", fixTicket),
        fixTicket,
        labelled("reason", fixReason),
        fixReason,
        labelled("note", fixNote),
        fixNote,
        labelled("rightService", fixService),
        fixService,
        labelled("printer", fixPrinter),
        fixPrinter,
      ),
      h(
        "div",
        { class: "buttons" },
        button("cancel", "cancel", () => void fix("cancel")),
        button("reissue", "reissue", () => void fix("reissue")),
        button("reprint", "reprint", () => void reprint(fixTicket.value)),
      ),
    ),
  ),
  h(
    "section",
    { class: "panel", "aria-labelledby": "queue-h" },
    Object.assign(titled("queueByService"), { id: "queue-h" }),
    queue,
  ),
  h(
    "div",
    { class: "columns" },
    h(
      "section",
      { class: "panel", "aria-labelledby": "alerts-h" },
      Object.assign(titled("alerts"), { id: "alerts-h" }),
      alerts,
    ),
    h(
      "section",
      { class: "panel", "aria-labelledby": "devices-h" },
      Object.assign(titled("devices"), { id: "devices-h" }),
      devices,
    ),
  ),
);

// Who did what on a day: the journal's attributed cancellations, reissues, no-shows, transfers.
const audit = auditPanel(
  connection,
  () => state,
  labelled,
  (key) => titled(key),
);
frame.main.append(audit.element);

function serviceName(id: string): string {
  const service = state?.info?.services.find((s) => s.id === id);
  return service ? `${service.prefix} · ${pick(service.names, id)}` : id;
}

function printerValue(select: HTMLSelectElement): Record<string, string> {
  return select.value ? { printer: select.value } : {};
}

async function issue(): Promise<void> {
  await act(
    { scope: "desk", verb: "issue" },
    { service: issueService.value, ...printerValue(issuePrinter) },
    t("issue"),
  );
}

async function checkIn(): Promise<void> {
  const code = checkInCode.value.trim().toUpperCase();
  if (!code) return frame.say(t("failed", { code: "VALIDATION_FAILED", message: t("bookingCode") }), "error");
  const reply = await act(
    { scope: "appointments", verb: "check_in" },
    { code, ...printerValue(issuePrinter) },
    `${t("checkIn")} ${code}`,
  );
  if (reply.ok) checkInCode.value = "";
}

async function fix(verb: "cancel" | "reissue"): Promise<void> {
  const ticket = fixTicket.value;
  if (!ticket) return frame.say(t("failed", { code: "VALIDATION_FAILED", message: t("ticket") }), "error");
  const note = fixNote.value.trim();
  const why = { reason: fixReason.value, ...(note ? { note } : {}) };
  const reply =
    verb === "cancel"
      ? await act({ scope: "desk", verb }, { ticket, ...why }, `${t("cancel")} ${ticket}`)
      : await act(
          { scope: "desk", verb },
          { ticket, ...why, service: fixService.value, ...printerValue(fixPrinter) },
          `${t("reissue")} ${ticket}`,
        );
  // The note belonged to that ticket: not to be sent again with the next one.
  if (reply.ok) fixNote.value = "";
}

async function reprint(ticket: string): Promise<void> {
  if (!ticket) return;
  await act(
    { scope: "desk", verb: "reprint" },
    { ticket, ...printerValue(fixPrinter) },
    `${t("reprint")} ${ticket}`,
  );
}

/** Refills a select with [value, text] options, keeping the chosen value if it is still there. */
function fill(select: HTMLSelectElement, options: Array<[string, string]>): void {
  const chosen = select.value;
  select.replaceChildren(...options.map(([value, text]) => h("option", { value }, text)));
  if (options.some(([value]) => value === chosen)) select.value = chosen;
}

function queueTable(tickets: Ticket[]): HTMLElement {
  if (tickets.length === 0) return h("p", { class: "empty" }, t("nobodyWaiting"));
  const headers = [t("number"), t("state"), t("waited"), t("counter"), t("actions")];
  return h(
    "table",
    {},
    h("thead", {}, h("tr", {}, ...headers.map((c) => h("th", { scope: "col" }, c)))),
    h(
      "tbody",
      {},
      ...tickets.map((ticket) =>
        h(
          "tr",
          { "data-ticket": ticket.number },
          h(
            "th",
            { scope: "row" },
            ticket.number,
            ticket.reissuedFrom
              ? h("span", { class: "note" }, ` ← ${ticket.reissuedFrom.split("-").pop()}`)
              : null,
            appointmentBadge(ticket),
          ),
          h("td", {}, t(`ts_${ticket.state}` as StringKey)),
          h("td", { "data-since": ticket.arrivedAt }, waited(ticket.arrivedAt)),
          h("td", {}, ticket.counter ?? ""),
          h(
            "td",
            {},
            h(
              "button",
              {
                type: "button",
                id: `select-${ticket.number}`,
                onclick: () => {
                  fixTicket.value = ticket.id;
                  fixReason.focus();
                },
              },
              `${t("select")} ${ticket.number}`,
            ),
          ),
        ),
      ),
    ),
  );
}

function draw(): void {
  for (const [element, key] of labels) element.textContent = t(key);
  audit.draw();
  fixNote.placeholder = t("noteHint");
  if (!state?.info) return;
  fill(
    fixReason,
    (state.info.cancelReasons ?? []).map((r): [string, string] => [r.code, pick(r.names, r.code)]),
  );
  const services = state.info.services.map((s): [string, string] => [s.id, serviceName(s.id)]);
  const printers = state.info.devices
    .filter((d) => d.kind === "printer")
    .map((d): [string, string] => [d.id, d.id]);
  fill(issueService, services);
  fill(fixService, services);
  fill(issuePrinter, [["", t("noPrinter")], ...printers]);
  fill(fixPrinter, [["", t("noPrinter")], ...printers]);
  const open = [...state.tickets].sort(byPlace);
  fill(
    fixTicket,
    open.map((x): [string, string] => [
      x.id,
      `${x.number} · ${serviceName(x.service)} · ${t(`ts_${x.state}` as StringKey)}`,
    ]),
  );
  replace(
    queue,
    ...state.info.services.map((s) => {
      const tickets = open.filter((x) => x.service === s.id);
      return h(
        "section",
        { class: "service", "data-service": s.id },
        h("h3", {}, `${serviceName(s.id)} (${tickets.filter((x) => x.state === "waiting").length})`),
        queueTable(tickets),
      );
    }),
  );
  const active = [...state.alerts.values()];
  replace(
    alerts,
    active.length === 0
      ? h("p", { class: "empty" }, t("noAlerts"))
      : h(
          "ul",
          { class: "alerts" },
          ...active.map((a) =>
            h(
              "li",
              { class: `alert alert-${a.severity}`, "data-code": a.code },
              h("strong", {}, `${a.device}: ${a.code}`),
              ` ${a.message}`,
            ),
          ),
        ),
  );
  replace(
    devices,
    h(
      "table",
      {},
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          ...[t("device"), t("kind"), t("status"), t("faults")].map((c) => h("th", { scope: "col" }, c)),
        ),
      ),
      h(
        "tbody",
        {},
        ...[...state.devices.entries()]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([id, d]) =>
            h(
              "tr",
              { "data-device": id },
              h("th", { scope: "row" }, id),
              h("td", {}, d.kind),
              h("td", { class: `ds ds-${d.status}` }, t(`ds_${d.status}`)),
              h("td", {}, d.faults.map((f) => tMaybe(`f_${f}`, f)).join(", ")),
            ),
          ),
      ),
    ),
  );
}
draw();
