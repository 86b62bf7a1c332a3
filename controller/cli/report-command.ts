// `vooru report`: the manager's figures over a range of days, read straight from the data folder
// (summaries and journal, without the lock, so it works while the controller runs).
import { resolve } from "node:path";
import { AUDIT_ACTIONS, type AuditAction } from "../../protocols/mqtt/stats-schemas.js";
import { FIGURE_COLUMNS, figureCells, toCsv } from "../../protocols/stats/csv.js";
import { loadOfficeConfig } from "../config/load.js";
import { businessDay } from "../queue/core/calendar.js";
import { type AuditRowWithNote, readAuditTrail } from "../stats/audit-trail.js";
import { daysBetween, forEachDayRecord } from "../stats/history.js";
import {
  GROUPINGS,
  type Grouping,
  MAX_REPORT_DAYS,
  NO_GROUP,
  type Report,
  ReportBuilder,
} from "../stats/report.js";
import type { Command } from "./command.js";
import { UsageError } from "./usage-error.js";

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const reportCommand: Command = {
  name: "report",
  usage: `usage: vooru report [--config office.yaml | --data-dir DIR] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
                    [--by service|counter|staff|booking|day|weekday|hour|interval] [--csv | --json]
       vooru report --audit [--user NAME] [--actions a,b,...] [--from ...] [--to ...] [--csv | --json]
  Reads the data folder's daily summaries and journal directly; works while the controller runs.
  --config FILE   the office's configuration: its data folder, time zone and service targets
  --data-dir DIR  a data folder alone (the system's time zone, a 15-minute target for every service)
  --from, --to    business days, both included (default: today; --to defaults to --from)
  --by G          group the figures (default service); the totals come last
  --csv           the grouped table as CSV (RFC 4180)
  --json          the whole report: totals, groups, counter times and 15-minute intervals
  --audit         the audit trail instead: who cancelled, reissued, marked a no-show, transferred,
                  parked, resumed or reprinted which ticket, when, with the reason and the note
  --user NAME     only what this staff user did
  --actions LIST  of called, recalled, no_show, transferred, parked, resumed, cancelled, reissued,
                  reprinted (default: all but called and recalled)
  The figures' definitions: docs/statistics.md.`,
  options: {
    config: { type: "string", short: "c" },
    "data-dir": { type: "string" },
    from: { type: "string" },
    to: { type: "string" },
    by: { type: "string" },
    csv: { type: "boolean" },
    json: { type: "boolean" },
    audit: { type: "boolean" },
    user: { type: "string" },
    actions: { type: "string" },
  },
  async run({ values }) {
    const configPath = typeof values.config === "string" ? values.config : undefined;
    const dataDirOption = typeof values["data-dir"] === "string" ? values["data-dir"] : undefined;
    if (configPath === undefined && dataDirOption === undefined)
      throw new UsageError("give --config office.yaml or --data-dir DIR");
    const config = configPath === undefined ? null : loadOfficeConfig(configPath);
    const dataDir = resolve(dataDirOption ?? config?.journal.dataDir ?? ".");
    const timeZone = config?.office.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
    const now = Date.now();
    const today = businessDay(now, timeZone, config?.office.dailyReset ?? "00:00");
    const from = typeof values.from === "string" ? values.from : today;
    const to = typeof values.to === "string" ? values.to : from;
    for (const [name, day] of [
      ["--from", from],
      ["--to", to],
    ] as const)
      if (!DATE.test(day) || Number.isNaN(Date.parse(day)))
        throw new UsageError(`${name} ${day}: expected a date YYYY-MM-DD`);
    if (from > to) throw new UsageError(`--from ${from} is after --to ${to}`);
    if (daysBetween(from, to) >= MAX_REPORT_DAYS)
      throw new UsageError(`a report covers at most ${MAX_REPORT_DAYS} days`);
    if (values.csv && values.json) throw new UsageError("give --csv or --json, not both");
    if (values.audit) {
      const actions = typeof values.actions === "string" ? values.actions.split(",") : undefined;
      for (const action of actions ?? [])
        if (!(AUDIT_ACTIONS as readonly string[]).includes(action))
          throw new UsageError(`--actions ${action}: expected some of ${AUDIT_ACTIONS.join(", ")}`);
      const trail = readAuditTrail(dataDir, {
        from,
        to,
        withNotes: true,
        ...(typeof values.user === "string" ? { user: values.user } : {}),
        ...(actions ? { actions: actions as AuditAction[] } : {}),
      });
      if (values.json) console.log(JSON.stringify(trail, null, 2));
      else if (values.csv) process.stdout.write(auditCsv(trail.rows));
      else console.log(auditText(trail.rows, from, to));
      return 0;
    }
    const by = (typeof values.by === "string" ? values.by : "service") as Grouping;
    if (!GROUPINGS.includes(by)) throw new UsageError(`--by ${by}: expected one of ${GROUPINGS.join(", ")}`);

    const targets = new Map(config?.services.map((s) => [s.id, s.targetWaitMinutes]) ?? []);
    const builder = new ReportBuilder({
      office: config?.office.id ?? "",
      from,
      to,
      timeZone,
      targetMinutes: (service) => targets.get(service) ?? config?.stats.targetWaitMinutes ?? 15,
      groupings: [by],
      now,
    });
    await forEachDayRecord(dataDir, from, to, { now }, (record) => builder.add(record));
    const report = builder.build();
    if (values.json) console.log(JSON.stringify({ ...report, by }, null, 2));
    else if (values.csv) process.stdout.write(csvOf(report, by));
    else console.log(textOf(report, by));
    return 0;
  },
};

function csvOf(report: Report, by: Grouping): string {
  const rows = (report.groups[by] ?? []).map((r) => [r.key, ...figureCells(r)]);
  return toCsv([by, ...FIGURE_COLUMNS], [...rows, ["total", ...figureCells(report.totals)]]);
}

const TEXT_COLUMNS: Array<[string, (f: Report["totals"]) => string]> = [
  ["issued", (f) => String(f.issued)],
  ["served", (f) => String(f.served)],
  ["no-show", (f) => `${f.noShows} ${pct(f.noShowPercent)}`],
  ["wrong", (f) => `${f.reissued} ${pct(f.reissuedPercent)}`],
  ["cancel", (f) => String(f.cancelled)],
  ["transf", (f) => String(f.transferred)],
  [
    "wait mean/p90/max",
    (f) => `${min(f.waitMinutes.mean)}/${min(f.waitMinutes.p90)}/${min(f.waitMinutes.max)}`,
  ],
  ["service mean/p90", (f) => `${min(f.serviceMinutes.mean)}/${min(f.serviceMinutes.p90)}`],
  ["level", (f) => pct(f.serviceLevelPercent)],
];

const pct = (x: number | null) => (x === null ? "-" : `${x.toFixed(1)}%`);
const min = (x: number | null) => (x === null ? "-" : x.toFixed(1));

function textOf(report: Report, by: Grouping): string {
  if (report.days.length === 0) return `no tickets from ${report.from} to ${report.to}`;
  const rows = (report.groups[by] ?? []).map((r) => [
    r.key === NO_GROUP ? "(none)" : r.key,
    ...TEXT_COLUMNS.map(([, f]) => f(r)),
  ]);
  rows.push(["total", ...TEXT_COLUMNS.map(([, f]) => f(report.totals))]);
  const header = [by, ...TEXT_COLUMNS.map(([name]) => name)];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
  const days = report.days.length === 1 ? report.days[0] : `${report.days.length} days with tickets`;
  return [
    `${report.office ? `office ${report.office}, ` : ""}${report.from} to ${report.to} (${days}); minutes; wrong = reissued`,
    line(header),
    ...rows.map(line),
  ].join("\n");
}

const AUDIT_COLUMNS = ["at", "action", "ticket", "service", "by", "counter", "reason", "to", "note"] as const;

function auditCsv(rows: AuditRowWithNote[]): string {
  return toCsv(
    [...AUDIT_COLUMNS],
    rows.map((r) => AUDIT_COLUMNS.map((c) => (r[c] === undefined || r[c] === null ? "" : String(r[c])))),
  );
}

function auditText(rows: AuditRowWithNote[], from: string, to: string): string {
  if (rows.length === 0) return `nothing in the audit trail from ${from} to ${to}`;
  return rows
    .map((r) =>
      [
        r.at.slice(0, 19).replace("T", " "),
        r.action.padEnd(11),
        r.ticket.padEnd(6),
        `by ${r.by ?? "(not recorded)"}`,
        r.counter !== undefined ? `at counter ${r.counter}` : "",
        r.to !== undefined ? `-> ${r.to}` : "",
        r.reason !== undefined ? `reason ${r.reason}` : "",
        r.note !== undefined ? `note ${JSON.stringify(r.note)}` : "",
      ]
        .filter((x) => x !== "")
        .join("  "),
    )
    .join("\n");
}
