// The desk's audit trail (desk/request/audit): who cancelled, reissued, marked a no-show,
// transferred, parked or reprinted which ticket on a day, when, and why. The names are the staff
// users the broker authenticated; the reasons are shown in the page's language.
import { type AuditPayload, auditSchema } from "../../protocols/mqtt/stats-schemas.js";
import type { OfficeConnection } from "./connection.js";
import { h } from "./dom.js";
import { pick, type StringKey, t, tMaybe } from "./i18n.js";
import type { OfficeState } from "./office-state.js";
import { describeReply, replace } from "./ui.js";

export function auditPanel(
  connection: Pick<OfficeConnection, "request">,
  state: () => OfficeState | null,
  labelled: (key: StringKey, control: HTMLElement) => HTMLElement,
  titled: (key: StringKey) => HTMLElement,
): { element: HTMLElement; draw(): void } {
  // Empty until the first answer: the controller knows today's business day (the daily reset).
  const day = h("input", { id: "audit-day", type: "date" });
  const show = h("button", { type: "button", id: "audit-show" });
  const table = h("div", { id: "audit" });
  const status = h("p", { class: "hint", role: "status" });
  let trail: AuditPayload | null = null;

  const reasonText = (code: string | undefined) => {
    if (code === undefined) return "";
    const reason = state()?.info?.cancelReasons?.find((r) => r.code === code);
    return reason ? pick(reason.names, code) : code;
  };

  const draw = () => {
    show.textContent = t("auditShow");
    if (!trail) return replace(table);
    if (trail.rows.length === 0) return replace(table, h("p", { class: "hint" }, t("auditEmpty")));
    // The office's clock, wherever the browser is.
    const timeZone = state()?.info?.office.timeZone;
    const head = [
      "auditTime",
      "auditAction",
      "auditTicket",
      "auditBy",
      "auditCounter",
      "auditReason",
    ] as const;
    replace(
      table,
      h(
        "table",
        { class: "audit" },
        h("thead", {}, h("tr", {}, ...head.map((key) => h("th", { scope: "col" }, t(key))))),
        h(
          "tbody",
          {},
          ...trail.rows.map((row) =>
            h(
              "tr",
              {},
              h(
                "td",
                {},
                new Date(row.at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", timeZone }),
              ),
              h("td", {}, tMaybe(`audit_${row.action}`, row.action)),
              h("td", {}, row.to ? `${row.ticket} → ${row.to}` : row.ticket),
              h("td", {}, row.by ?? t("auditNobody")),
              h("td", {}, row.counter ?? ""),
              h("td", {}, reasonText(row.reason)),
            ),
          ),
        ),
      ),
      trail.truncated ? h("p", { class: "hint" }, t("auditTruncated")) : null,
    );
  };

  show.addEventListener("click", async () => {
    status.textContent = t("auditLoading");
    const range = day.value ? { from: day.value, to: day.value } : {};
    const reply = await connection.request({ scope: "desk", verb: "audit" }, range);
    if (!reply.ok) {
      status.textContent = describeReply(reply, t("auditTitle")).text;
      return;
    }
    const parsed = auditSchema.safeParse(reply.result);
    trail = parsed.success ? parsed.data : null;
    if (trail && !day.value) day.value = trail.from;
    status.textContent = "";
    draw();
  });

  const element = h(
    "section",
    { class: "panel", "aria-labelledby": "audit-h" },
    Object.assign(titled("auditTitle"), { id: "audit-h" }),
    h("div", { class: "form" }, labelled("auditDay", day), day, show),
    status,
    table,
  );
  return { element, draw };
}
