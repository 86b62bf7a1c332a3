// The kiosk view (/kiosk.html?printer=kiosk-1): the simulated topic-button panel, each ticket as it
// came out of the simulated printer, and the simulator's switches (paper low, paper out, cover
// open, unplug printer, unplug panel). A press goes to the virtual panel device (sim/request/press)
// so the real panel driver and printing path run; the printer's fault is shown as the customer
// would need to see it.
import { connectOffice } from "./lib/connection.js";
import { pick, type StringKey, t, tMaybe } from "./lib/i18n.js";
import { type OfficeState, type SimPanel, trackOffice } from "./lib/office-state.js";
import { actor, h, pageFrame, replace } from "./lib/ui.js";

const wanted = new URLSearchParams(location.search).get("printer");
let state: OfficeState | null = null;
const frame = pageFrame("pageKiosk", () => draw());
const connection = await connectOffice();
frame.attach(connection);
const act = actor(connection, frame);
state = trackOffice(connection, () => draw());

const fault = h("div", { id: "printer-fault", role: "alert" });
const panelBox = h("section", { class: "panel kiosk-panel", "aria-labelledby": "panel-h" });
const ticketsBox = h("section", { class: "panel", "aria-labelledby": "tickets-h" });
const controls = h("section", { class: "panel", "aria-labelledby": "sim-h" });
frame.main.append(fault, h("div", { class: "columns" }, panelBox, ticketsBox), controls);

/** The printer this kiosk shows: ?printer=, else the first simulated printer with a panel. */
function printerId(s: OfficeState): string | undefined {
  if (wanted) return wanted;
  const withPanel = [...s.simPanels.values()].map((p) => p.printer).find((p) => s.simPrinters.has(p));
  return withPanel ?? [...s.simPrinters.keys()][0];
}

function panelOf(s: OfficeState, printer: string): [string, SimPanel] | undefined {
  return [...s.simPanels.entries()].find(([, p]) => p.printer === printer);
}

function serviceLabel(id: string): { prefix: string; name: string } {
  const service = state?.info?.services.find((s) => s.id === id);
  return { prefix: service?.prefix ?? "", name: service ? pick(service.names, id) : id };
}

/** A switch: a real button whose pressed state is aria-pressed. */
function toggle(id: string, key: StringKey, on: boolean, change: (next: boolean) => void): HTMLButtonElement {
  return h(
    "button",
    {
      type: "button",
      id,
      class: "toggle",
      "aria-pressed": on ? "true" : "false",
      onclick: () => change(!on),
    },
    t(key),
  );
}

function draw(): void {
  if (!state) return;
  const printer = printerId(state);
  if (!printer) {
    replace(panelBox, h("p", { class: "empty" }, t("noPanel")));
    return;
  }
  const sim = state.simPrinters.get(printer);
  const health = state.devices.get(printer);
  const panelEntry = panelOf(state, printer);

  // The fault banner: what IT support and the customer must see at once.
  const faulty = health && health.status !== "ok";
  fault.className = faulty ? "fault-banner" : "ok-banner";
  fault.textContent = faulty
    ? t("printerFault", {
        faults: health.faults.map((f) => tMaybe(`f_${f}`, f)).join(", ") || t(`ds_${health.status}`),
      })
    : t("printerOk");

  const panelHeading = h("h2", { id: "panel-h" }, t("takeTicket"));
  if (!panelEntry) replace(panelBox, panelHeading, h("p", { class: "empty" }, t("noPanel")));
  else {
    const [panelId, panel] = panelEntry;
    replace(
      panelBox,
      panelHeading,
      h(
        "div",
        { class: `topic-buttons${panel.plugged ? "" : " unplugged"}` },
        ...panel.buttons.map((b) => {
          const { prefix, name } = serviceLabel(b.service);
          return h(
            "button",
            {
              type: "button",
              id: `press-${b.button}`,
              class: `topic led-${b.led}`,
              "data-service": b.service,
              "aria-describedby": `led-${b.button}`,
              onclick: () =>
                void act({ scope: "sim", verb: "press" }, { panel: panelId, button: b.button }, name),
            },
            h("span", { class: "prefix" }, prefix),
            h("span", { class: "name" }, name),
            h(
              "span",
              { class: "led", id: `led-${b.button}`, title: t(`led_${b.led}`) },
              h("span", { class: "sr-only" }, t(`led_${b.led}`)),
            ),
          );
        }),
      ),
    );
  }

  const tickets = [...(sim?.tickets ?? [])].reverse();
  replace(
    ticketsBox,
    h("h2", { id: "tickets-h" }, `${t("printed")} · ${printer}`),
    tickets.length === 0
      ? h("p", { class: "empty" }, t("noTickets"))
      : h(
          "ol",
          { class: "tickets", reversed: true },
          ...tickets.map((ticket) =>
            h(
              "li",
              { class: "ticket", "data-number": ticket.number ?? "" },
              // An <img> with a data URL: the SVG is drawn but can run nothing in the page.
              h("img", {
                src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(ticket.svg)}`,
                alt: ticket.number ?? t("ticket"),
              }),
            ),
          ),
        ),
  );

  const setPrinter = (field: string, key: StringKey) => (next: boolean) =>
    void act({ scope: "sim", verb: "printer" }, { printer, [field]: next }, t(key));
  replace(
    controls,
    h("h2", { id: "sim-h" }, t("simulator")),
    h(
      "div",
      { class: "buttons" },
      toggle("sim-paper-low", "paperLow", sim?.paperLow ?? false, setPrinter("paperLow", "paperLow")),
      toggle("sim-paper-out", "paperOut", sim?.paperOut ?? false, setPrinter("paperOut", "paperOut")),
      toggle("sim-cover-open", "coverOpen", sim?.coverOpen ?? false, setPrinter("coverOpen", "coverOpen")),
      toggle(
        "sim-unplug-printer",
        "unplugPrinter",
        sim?.unplugged ?? false,
        setPrinter("unplugged", "unplugPrinter"),
      ),
      panelEntry
        ? toggle(
            "sim-unplug-panel",
            "unplugPanel",
            !panelEntry[1].plugged,
            (next) =>
              void act(
                { scope: "sim", verb: "panel" },
                { panel: panelEntry[0], plugged: !next },
                t("unplugPanel"),
              ),
          )
        : null,
    ),
  );
}
draw();
