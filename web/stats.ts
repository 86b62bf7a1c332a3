// The manager's statistics (/stats.html, desk and admin users): today live from stats/today (and
// asked for by desk/request/report, which also tells a counter or monitor user plainly that the
// figures are not for them), or any range of days by desk/request/report; headline figures,
// charts, tables by service, counter, day and hour, each downloadable as CSV. Definitions:
// docs/statistics.md.
import { type ReportPayload, reportSchema } from "../protocols/mqtt/stats-schemas.js";
import { groupsCsv, toCsv } from "../protocols/stats/csv.js";
import { addDays, businessDayIn } from "./lib/business-day.js";
import type { PageReply } from "./lib/connection.js";
import { connectOffice } from "./lib/connection.js";
import { lang, pick, type StringKey, t } from "./lib/i18n.js";
import { type Info, trackOffice } from "./lib/office-state.js";
import { type ChartName, statsCharts } from "./lib/stats-charts.js";
import { describeReply, h, pageFrame, replace } from "./lib/ui.js";

type Mode = { kind: "today" } | { kind: "range"; from: string; to: string };
/** What a request left to show: nothing yet, a report, or why there is none. */
type Outcome =
  | { kind: "loading" }
  | { kind: "report"; report: ReportPayload }
  | { kind: "refused" }
  | { kind: "error"; text: string };

let mode: Mode = { kind: "today" };
/** The retained stats/today, as the controller republishes it while tickets move. */
let live: ReportPayload | null = null;
/** Today asked for by a report request (answers before any ticket moves, or says "not for you"). */
let todayAsked: Outcome = { kind: "loading" };
let range: Outcome = { kind: "loading" };
/** Each request's number: a reply to an older request than the latest of its kind is dropped. */
let todayRequest = 0;
let rangeRequest = 0;
let drawnInfo: Info | null = null;

const frame = pageFrame("pageStats", () => draw());
const connection = await connectOffice();
frame.attach(connection);
const office = trackOffice(connection, () => {
  // Only the office's info (service names) shows here; the queue's every move does not.
  if (office.info !== drawnInfo) draw();
});
const charts = statsCharts();

/**
 * The office's business day: the calendar's today in its time zone (yesterday before the daily
 * reset), or the day stats/today is
 * about when that is later (the controller's clock is the one that counts). A stats/today of an
 * earlier day is yesterday's, retained until the first ticket of today.
 */
function today(): string {
  const calendar = businessDayIn(office.info?.office.timeZone, office.info?.office.dailyReset);
  return live && live.from > calendar ? live.from : calendar;
}

function parseReport(value: unknown): ReportPayload | null {
  const parsed = reportSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

function outcome(reply: PageReply): Outcome {
  if (!reply.ok)
    return reply.error.code === "UNAUTHORIZED"
      ? { kind: "refused" }
      : { kind: "error", text: describeReply(reply, t("pageStats")).text };
  const report = parseReport(reply.result);
  return report
    ? { kind: "report", report }
    : { kind: "error", text: t("failed", { code: "INVALID_REPLY", message: "not a report" }) };
}

connection.onMessage((path, payload) => {
  if (path !== "stats/today") return;
  let body: unknown = null;
  try {
    body = payload === "" ? null : JSON.parse(payload);
  } catch {
    return;
  }
  live = body === null ? null : (parseReport(body) ?? live);
  if (mode.kind === "today") draw();
  else setDefaultRange();
});

// Every (re)connection asks for today again: the sign-in may be another user's now.
connection.onConnectionChange((connected) => {
  if (!connected) return;
  todayAsked = { kind: "loading" };
  void askToday();
});

async function askToday(): Promise<void> {
  const asked = ++todayRequest;
  const day = today();
  const reply = await connection.request(
    { scope: "desk", verb: "report" },
    { from: day, to: day, groupings: ["service", "counter", "hour", "interval"] },
  );
  if (asked !== todayRequest) return;
  todayAsked = outcome(reply);
  if (mode.kind === "today") draw();
}

const fromInput = h("input", { type: "date", id: "stats-from", required: true });
const toInput = h("input", { type: "date", id: "stats-to", required: true });
/** The range offered until the user picks one: the last seven days up to today. */
let rangeEdited = false;
for (const input of [fromInput, toInput])
  input.addEventListener("input", () => {
    rangeEdited = true;
  });
function setDefaultRange(): void {
  if (rangeEdited) return;
  toInput.value = today();
  fromInput.value = addDays(toInput.value, -6);
}

const todayButton = h("button", { type: "button", id: "stats-today", onclick: () => showToday() });
const showButton = h("button", {
  type: "button",
  id: "stats-show",
  class: "primary",
  onclick: () => void showRange(),
});
const fromLabel = h("label", { for: fromInput.id });
const toLabel = h("label", { for: toInput.id });
const controls = h(
  "div",
  { class: "form stats-controls" },
  todayButton,
  h("span", { class: "stats-range-pick" }, fromLabel, fromInput, toLabel, toInput, showButton),
);
const content = h("div", { id: "stats" });
frame.main.append(controls, content);

function showToday(): void {
  mode = { kind: "today" };
  draw();
  void askToday();
}

async function showRange(): Promise<void> {
  rangeEdited = true;
  mode = { kind: "range", from: fromInput.value, to: toInput.value };
  const asked = ++rangeRequest;
  range = { kind: "loading" };
  draw();
  const reply = await connection.request({ scope: "desk", verb: "report" }, { from: mode.from, to: mode.to });
  if (asked !== rangeRequest) return;
  range = outcome(reply);
  if (mode.kind === "range") draw();
}

/**
 * What the today view shows: a refusal first; else the newer of stats/today and the asked report
 * that are about today (stats/today on a tie); else the asked report, whatever its day; else why
 * the asking failed.
 */
function todayOutcome(): Outcome {
  if (todayAsked.kind === "refused") return todayAsked;
  const day = today();
  const asked = todayAsked.kind === "report" ? todayAsked.report : null;
  let newest: ReportPayload | null = null;
  for (const report of [live, asked])
    if (report?.from === day && (!newest || Date.parse(report.generatedAt) > Date.parse(newest.generatedAt)))
      newest = report;
  if (newest ?? asked) return { kind: "report", report: (newest ?? asked) as ReportPayload };
  return todayAsked;
}

// Figures as the user's language writes them.
const decimal = (x: number, digits = 1) =>
  x.toLocaleString(lang(), { minimumFractionDigits: digits, maximumFractionDigits: digits });
const minutes = (x: number | null) => (x === null ? "–" : t("stats_minutes", { n: decimal(x) }));
const pct = (x: number | null) => (x === null ? "–" : `${decimal(x)} %`);

const serviceName = (id: string) => {
  const service = office.info?.services.find((s) => s.id === id);
  return service ? `${pick(service.names, id)} (${service.prefix})` : id;
};
const counterName = (id: string) => (id === "-" ? t("stats_noCounter") : t("counterN", { id }));

function download(table: string, csv: string, report: ReportPayload): void {
  const url = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
  const a = h("a", {
    href: url,
    download: `vooru-${report.office}-${table}-${report.from}-${report.to}.csv`,
    hidden: true,
  });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function headline(report: ReportPayload): HTMLElement {
  const f = report.totals;
  const item = (key: StringKey, value: string, id: string) =>
    h("div", { class: "figure", id }, h("span", { class: "note" }, t(key)), h("strong", {}, value));
  return h(
    "div",
    { class: "figures", id: "headline" },
    item("stats_issued", String(f.issued), "fig-issued"),
    item("stats_served", String(f.served), "fig-served"),
    item("stats_noShows", `${f.noShows} (${pct(f.noShowPercent)})`, "fig-no-shows"),
    item("stats_wrong", `${f.reissued} (${pct(f.reissuedPercent)})`, "fig-reissued"),
    item("stats_waitMean", minutes(f.waitMinutes.mean), "fig-wait-mean"),
    item("stats_waitP90", minutes(f.waitMinutes.p90), "fig-wait-p90"),
    item("stats_waitMax", minutes(f.waitMinutes.max), "fig-wait-max"),
    item("stats_level", pct(f.serviceLevelPercent), "fig-level"),
  );
}

type Row = ReportPayload["totals"] & { key: string };
const COLUMNS: Array<[StringKey, (r: Row) => string]> = [
  ["stats_issued", (r) => String(r.issued)],
  ["stats_served", (r) => String(r.served)],
  ["stats_noShows", (r) => `${r.noShows} (${pct(r.noShowPercent)})`],
  ["stats_wrong", (r) => `${r.reissued} (${pct(r.reissuedPercent)})`],
  ["stats_cancelled", (r) => String(r.cancelled)],
  ["stats_transferred", (r) => String(r.transferred)],
  ["stats_waitMean", (r) => minutes(r.waitMinutes.mean)],
  ["stats_waitP90", (r) => minutes(r.waitMinutes.p90)],
  ["stats_serviceMean", (r) => minutes(r.serviceMinutes.mean)],
  ["stats_level", (r) => pct(r.serviceLevelPercent)],
];

/** A table section with its title and a "Download CSV" button (id `<id>-csv`). */
function tableSection(
  id: string,
  title: StringKey,
  csv: () => string,
  report: ReportPayload,
  head: string[],
  rows: string[][],
): HTMLElement {
  const heading = h("h2", { id: `${id}-h` }, t(title));
  return h(
    "section",
    { class: "panel stats-table", id, "aria-labelledby": heading.id },
    h(
      "div",
      { class: "stats-table-head" },
      heading,
      h(
        "button",
        { type: "button", class: "download", id: `${id}-csv`, onclick: () => download(id, csv(), report) },
        t("stats_download"),
      ),
    ),
    h(
      "div",
      { class: "table-scroll" },
      h(
        "table",
        {},
        h("thead", {}, h("tr", {}, ...head.map((c) => h("th", { scope: "col" }, c)))),
        h(
          "tbody",
          {},
          ...rows.map(([first, ...cells]) =>
            h("tr", {}, h("th", { scope: "row" }, first ?? ""), ...cells.map((c) => h("td", {}, c))),
          ),
        ),
      ),
    ),
  );
}

function groupTable(
  id: string,
  title: StringKey,
  keyName: string,
  keyTitle: string,
  rows: Row[] | undefined,
  label: (key: string) => string,
  report: ReportPayload,
): HTMLElement | null {
  if (!rows || rows.length === 0) return null;
  return tableSection(
    id,
    title,
    () => groupsCsv(keyName, rows),
    report,
    [keyTitle, ...COLUMNS.map(([key]) => t(key))],
    rows.map((r) => [label(r.key), ...COLUMNS.map(([, cell]) => cell(r))]),
  );
}

function counterTimeTable(report: ReportPayload): HTMLElement | null {
  if (report.counters.length === 0) return null;
  const values = (c: ReportPayload["counters"][number]) => [
    c.openMinutes,
    c.pausedMinutes,
    c.servingMinutes,
    c.idleMinutes,
  ];
  return tableSection(
    "counter-time",
    "stats_counterTime",
    () =>
      toCsv(
        ["counter", "open_min", "paused_min", "serving_min", "idle_min", "served"],
        report.counters.map((c) => [c.counter, ...values(c), c.served]),
      ),
    report,
    [
      t("counter"),
      t("stats_openMinutes"),
      t("stats_pausedMinutes"),
      t("stats_servingMinutes"),
      t("stats_idleMinutes"),
      t("stats_served"),
    ],
    report.counters.map((c) => [
      counterName(c.counter),
      ...values(c).map((v) => decimal(v)),
      String(c.served),
    ]),
  );
}

const CHART_TITLES: Array<[ChartName, StringKey]> = [
  ["wait", "stats_chartWait"],
  ["arrivals", "stats_chartArrivals"],
  ["level", "stats_chartLevel"],
  ["buckets", "stats_chartBuckets"],
];

function reportView(report: ReportPayload): HTMLElement[] {
  const updated = new Date(report.generatedAt).toLocaleTimeString(lang(), {
    timeZone: office.info?.office.timeZone,
  });
  return [
    h(
      "p",
      { class: "note", id: "stats-range" },
      `${t("stats_range", { from: report.from, to: report.to })} · ${t("stats_updated", { time: updated })}`,
    ),
    headline(report),
    h(
      "div",
      { class: "charts" },
      ...CHART_TITLES.map(([name, title]) => {
        const box = charts.boxes[name];
        box.querySelector("canvas")?.setAttribute("aria-label", t(title));
        return h("section", { class: "panel chart" }, h("h2", {}, t(title)), box);
      }),
    ),
    ...[
      groupTable(
        "by-service",
        "stats_byService",
        "service",
        t("service"),
        report.groups.service,
        serviceName,
        report,
      ),
      groupTable(
        "by-counter",
        "stats_byCounter",
        "counter",
        t("counter"),
        report.groups.counter,
        counterName,
        report,
      ),
      counterTimeTable(report),
      groupTable("by-day", "stats_byDay", "day", t("stats_day"), report.groups.day, (k) => k, report),
      groupTable("by-hour", "stats_byHour", "hour", t("stats_hour"), report.groups.hour, (k) => k, report),
    ].filter((x): x is HTMLElement => x !== null),
  ];
}

function stateLine(key: StringKey | null, text: string, kind: "loading" | "no-data" | "error"): HTMLElement {
  return h(
    "p",
    { id: "stats-state", class: kind === "error" ? "message-error" : kind, role: "status" },
    key ? t(key) : text,
  );
}

function draw(): void {
  drawnInfo = office.info;
  setDefaultRange();
  todayButton.textContent = t("stats_today");
  showButton.textContent = t("stats_show");
  fromLabel.textContent = t("stats_from");
  toLabel.textContent = t("stats_to");
  todayButton.setAttribute("aria-pressed", String(mode.kind === "today"));
  const shown = mode.kind === "today" ? todayOutcome() : range;
  let report: ReportPayload | null = null;
  if (shown.kind === "loading") replace(content, stateLine("stats_loading", "", "loading"));
  else if (shown.kind === "refused") {
    const user = connection.username() ?? t("stats_anonymous");
    replace(content, stateLine(null, t("stats_refused", { user }), "error"));
  } else if (shown.kind === "error") replace(content, stateLine(null, shown.text, "error"));
  else if (shown.report.days.length === 0)
    replace(content, stateLine(mode.kind === "today" ? "stats_noDataToday" : "stats_noData", "", "no-data"));
  else {
    report = shown.report;
    replace(content, ...reportView(report));
  }
  content.dataset.state = report ? "report" : shown.kind === "report" ? "no-data" : shown.kind;
  // The charts draw once their boxes are in the page (Chart.js sizes them from the box).
  if (report) charts.draw(report, serviceName);
}

draw();
