// The manager's statistics (/stats.html, desk and admin users): today live from stats/today, or
// any range of days by desk/request/report; headline figures, three charts, tables by service,
// counter, day and hour, each downloadable as CSV. Definitions: docs/statistics.md.
import { type ReportPayload, reportSchema } from "../protocols/mqtt/stats-schemas.js";
import { groupsCsv, toCsv } from "../protocols/stats/csv.js";
import { connectOffice } from "./lib/connection.js";
import { pick } from "./lib/i18n.js";
import { trackOffice } from "./lib/office-state.js";
import { statsCharts } from "./lib/stats-charts.js";
import { type StatsKey, st } from "./lib/stats-strings.js";
import { h, pageFrame, replace } from "./lib/ui.js";

type Mode = { kind: "today" } | { kind: "range"; from: string; to: string };

let mode: Mode = { kind: "today" };
let today: ReportPayload | null = null;
let shown: ReportPayload | null = null;
let status: "loading" | "refused" | "error" | null = null;
let problem = "";

const frame = pageFrame("pageStats", () => draw());
const connection = await connectOffice();
frame.attach(connection);
const office = trackOffice(connection, () => draw());
const charts = statsCharts();

connection.onMessage((path, payload) => {
  if (path !== "stats/today" || payload === "") return;
  const parsed = reportSchema.safeParse(JSON.parse(payload));
  if (!parsed.success) return;
  today = parsed.data;
  if (mode.kind === "today") draw();
});

const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const fromInput = h("input", {
  type: "date",
  id: "stats-from",
  value: isoDay(new Date(Date.now() - 6 * 86_400_000)),
});
const toInput = h("input", { type: "date", id: "stats-to", value: isoDay(new Date()) });
const todayButton = h("button", { type: "button", id: "stats-today", onclick: () => showToday() });
const showButton = h("button", { type: "button", id: "stats-show", onclick: () => void showRange() });
const fromLabel = h("label", { for: "stats-from" });
const toLabel = h("label", { for: "stats-to" });
const content = h("div", { id: "stats" });

function showToday(): void {
  mode = { kind: "today" };
  status = null;
  draw();
}

async function showRange(): Promise<void> {
  mode = { kind: "range", from: fromInput.value, to: toInput.value };
  status = "loading";
  draw();
  const reply = await connection.request({ scope: "desk", verb: "report" }, { from: mode.from, to: mode.to });
  if (!reply.ok) {
    status = reply.error.code === "UNAUTHORIZED" ? "refused" : "error";
    problem = reply.error.message;
  } else {
    const parsed = reportSchema.safeParse(reply.result);
    status = parsed.success ? null : "error";
    problem = parsed.success ? "" : "the reply is not a report";
    shown = parsed.success ? parsed.data : null;
  }
  draw();
}

const serviceName = (id: string) => {
  const service = office.info?.services.find((s) => s.id === id);
  return service ? `${pick(service.names, id)} (${service.prefix})` : id;
};
const minutes = (x: number | null) => (x === null ? "–" : `${x.toFixed(1)} ${st("minutes")}`);
const pct = (x: number | null) => (x === null ? "–" : `${x.toFixed(1)} %`);

function download(name: string, csv: string, report: ReportPayload): void {
  const url = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
  const a = h("a", { href: url, download: `vooru-${report.office}-${name}-${report.from}-${report.to}.csv` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function headline(report: ReportPayload): HTMLElement {
  const f = report.totals;
  const item = (key: StatsKey, value: string, id: string) =>
    h("div", { class: "figure", id }, h("span", { class: "note" }, st(key)), h("strong", {}, value));
  return h(
    "div",
    { class: "figures", id: "headline" },
    item("issued", String(f.issued), "fig-issued"),
    item("served", String(f.served), "fig-served"),
    item("noShows", `${f.noShows} (${pct(f.noShowPercent)})`, "fig-no-shows"),
    item("wrong", `${f.reissued} (${pct(f.reissuedPercent)})`, "fig-reissued"),
    item("waitMean", minutes(f.waitMinutes.mean), "fig-wait-mean"),
    item("waitP90", minutes(f.waitMinutes.p90), "fig-wait-p90"),
    item("waitMax", minutes(f.waitMinutes.max), "fig-wait-max"),
    item("level", pct(f.serviceLevelPercent), "fig-level"),
  );
}

type Row = ReportPayload["totals"] & { key: string };
const COLUMNS: Array<[StatsKey, (r: Row) => string]> = [
  ["issued", (r) => String(r.issued)],
  ["served", (r) => String(r.served)],
  ["noShows", (r) => `${r.noShows} (${pct(r.noShowPercent)})`],
  ["wrong", (r) => `${r.reissued} (${pct(r.reissuedPercent)})`],
  ["cancelled", (r) => String(r.cancelled)],
  ["transferred", (r) => String(r.transferred)],
  ["waitMean", (r) => minutes(r.waitMinutes.mean)],
  ["waitP90", (r) => minutes(r.waitMinutes.p90)],
  ["serviceMean", (r) => minutes(r.serviceMinutes.mean)],
  ["level", (r) => pct(r.serviceLevelPercent)],
];

function table(
  id: string,
  title: StatsKey,
  keyName: string,
  rows: Row[],
  label: (key: string) => string,
  report: ReportPayload,
) {
  if (rows.length === 0) return null;
  return h(
    "section",
    { class: "panel", id },
    h("h2", {}, st(title)),
    h(
      "button",
      {
        type: "button",
        class: "download",
        id: `${id}-csv`,
        onclick: () => download(id, groupsCsv(keyName, rows), report),
      },
      st("download"),
    ),
    h(
      "table",
      {},
      h("thead", {}, h("tr", {}, h("th", {}, ""), ...COLUMNS.map(([key]) => h("th", {}, st(key))))),
      h(
        "tbody",
        {},
        ...rows.map((r) =>
          h("tr", {}, h("th", {}, label(r.key)), ...COLUMNS.map(([, cell]) => h("td", {}, cell(r)))),
        ),
      ),
    ),
  );
}

function counterTable(report: ReportPayload) {
  if (report.counters.length === 0) return null;
  const keys: StatsKey[] = ["openMinutes", "pausedMinutes", "servingMinutes", "idleMinutes", "served"];
  const csv = () =>
    toCsv(
      ["counter", "open_min", "paused_min", "serving_min", "idle_min", "served"],
      report.counters.map((c) => [
        c.counter,
        c.openMinutes,
        c.pausedMinutes,
        c.servingMinutes,
        c.idleMinutes,
        c.served,
      ]),
    );
  return h(
    "section",
    { class: "panel", id: "counter-time" },
    h("h2", {}, st("counterTime")),
    h(
      "button",
      {
        type: "button",
        class: "download",
        id: "counter-time-csv",
        onclick: () => download("counter-time", csv(), report),
      },
      st("download"),
    ),
    h(
      "table",
      {},
      h("thead", {}, h("tr", {}, h("th", {}, st("counter")), ...keys.map((k) => h("th", {}, st(k))))),
      h(
        "tbody",
        {},
        ...report.counters.map((c) =>
          h(
            "tr",
            {},
            h("th", {}, c.counter),
            ...[c.openMinutes, c.pausedMinutes, c.servingMinutes, c.idleMinutes, c.served].map((v) =>
              h("td", {}, String(v)),
            ),
          ),
        ),
      ),
    ),
  );
}

function draw(): void {
  todayButton.textContent = st("today");
  showButton.textContent = st("show");
  fromLabel.textContent = st("from");
  toLabel.textContent = st("to");
  todayButton.setAttribute("aria-pressed", String(mode.kind === "today"));
  const report = mode.kind === "today" ? today : shown;
  const controls = h(
    "div",
    { class: "form stats-controls" },
    todayButton,
    fromLabel,
    fromInput,
    toLabel,
    toInput,
    showButton,
  );
  let body: Array<HTMLElement | null>;
  if (status === "loading" || (mode.kind === "today" && !today))
    body = [h("p", { id: "stats-state" }, st("loading"))];
  else if (status === "refused")
    body = [h("p", { id: "stats-state", class: "message-error" }, st("refused"))];
  else if (status === "error") body = [h("p", { id: "stats-state", class: "message-error" }, problem)];
  else if (!report || report.days.length === 0)
    body = [h("p", { id: "stats-state", class: "no-data" }, st("noData"))];
  else {
    const chart = (title: StatsKey, canvas: HTMLCanvasElement) =>
      h(
        "section",
        { class: "panel chart" },
        h("h2", {}, st(title)),
        h("div", { class: "chart-box" }, canvas),
      );
    body = [
      h(
        "p",
        { class: "note", id: "stats-range" },
        `${report.from} – ${report.to} · ${st("updated", { time: new Date(report.generatedAt).toLocaleTimeString() })}`,
      ),
      headline(report),
      h(
        "div",
        { class: "charts" },
        chart("chartWait", charts.wait),
        chart("chartArrivals", charts.arrivals),
        chart("chartLevel", charts.level),
      ),
      table("by-service", "byService", "service", report.groups.service ?? [], serviceName, report),
      table(
        "by-counter",
        "byCounter",
        "counter",
        report.groups.counter ?? [],
        (k) => (k === "-" ? "–" : k),
        report,
      ),
      counterTable(report),
      table("by-day", "byDay", "day", report.groups.day ?? [], (k) => k, report),
      table("by-hour", "byHour", "hour", report.groups.hour ?? [], (k) => k, report),
    ];
  }
  replace(content, ...body);
  replace(frame.main, controls, content);
  if (report && report.days.length > 0 && status === null) charts.draw(report, serviceName);
}

draw();
