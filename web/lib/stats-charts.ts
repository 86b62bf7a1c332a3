// The statistics page's charts with Chart.js: only the parts they use are registered, so the
// bundle stays small. No animation: a slow Pi and a test see the final chart at once. Each chart
// is made once on its own canvas (in a box of its own, which Chart.js watches for resizes) and
// then given each new report's data.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from "chart.js";
import type { ReportPayload } from "../../protocols/mqtt/stats-schemas.js";
import { h } from "./dom.js";
import { t } from "./i18n.js";

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Legend,
  Tooltip,
);
Chart.defaults.animation = false;

const BLUE = "#1f5fa8";
const ORANGE = "#d9822b";
const GREEN = "#2e7d32";

const CHART_IDS = {
  wait: "chart-wait",
  arrivals: "chart-arrivals",
  level: "chart-service-level",
  buckets: "chart-wait-buckets",
} as const;
export type ChartName = keyof typeof CHART_IDS;

/** The wait buckets' labels: 0–5, 5–10, …, 55–60, 60+ minutes. */
function bucketLabels(count: number): string[] {
  return Array.from({ length: count }, (_, i) => (i === count - 1 ? `${i * 5}+` : `${i * 5}–${i * 5 + 5}`));
}

export interface StatsCharts {
  /** Each chart's box (a canvas with the chart's id inside), to place on the page. */
  boxes: Record<ChartName, HTMLElement>;
  /** Draws the report; call with the boxes in the page. */
  draw(report: ReportPayload, serviceName: (id: string) => string): void;
}

type AnyConfig = ChartConfiguration<"bar" | "line", Array<number | null>, string>;

export function statsCharts(): StatsCharts {
  const canvases = {} as Record<ChartName, HTMLCanvasElement>;
  const boxes = {} as Record<ChartName, HTMLElement>;
  for (const [name, id] of Object.entries(CHART_IDS) as Array<[ChartName, string]>) {
    canvases[name] = h("canvas", { id, role: "img" });
    boxes[name] = h("div", { class: "chart-box" }, canvases[name]);
  }
  const charts = new Map<ChartName, Chart<"bar" | "line", Array<number | null>, string>>();

  const show = (name: ChartName, config: AnyConfig) => {
    const chart = charts.get(name);
    if (chart) {
      chart.data = config.data;
      if (config.options) chart.options = config.options;
      chart.update();
    } else charts.set(name, new Chart(canvases[name], config));
  };
  const axes = (y: string, extra: object = {}) => ({
    responsive: true,
    maintainAspectRatio: false,
    scales: { y: { beginAtZero: true, title: { display: true, text: y }, ...extra } },
  });

  return {
    boxes,
    draw(report, serviceName) {
      const labels = report.intervals.map((i) => i.interval);
      const services = report.groups.service ?? [];
      show("wait", {
        type: "line",
        data: {
          labels,
          datasets: [
            {
              label: t("stats_meanWait"),
              data: report.intervals.map((i) => i.meanWaitMinutes),
              borderColor: BLUE,
              backgroundColor: BLUE,
              spanGaps: true,
            },
          ],
        },
        options: axes(t("stats_waitMinutesAxis")),
      });
      show("arrivals", {
        type: "bar",
        data: {
          labels,
          datasets: [
            {
              type: "bar",
              label: t("stats_arrivals"),
              data: report.intervals.map((i) => i.arrivals),
              backgroundColor: ORANGE,
              yAxisID: "y",
            },
            {
              type: "line",
              label: t("stats_countersOpen"),
              data: report.intervals.map((i) => i.countersOpen),
              borderColor: GREEN,
              backgroundColor: GREEN,
              yAxisID: "counters",
            },
          ],
        },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          scales: {
            y: {
              beginAtZero: true,
              position: "left",
              title: { display: true, text: t("stats_arrivals") },
            },
            counters: {
              beginAtZero: true,
              position: "right",
              grid: { drawOnChartArea: false },
              title: { display: true, text: t("stats_countersOpen") },
            },
          },
        },
      });
      show("level", {
        type: "bar",
        data: {
          labels: services.map((g) => serviceName(g.key)),
          datasets: [
            {
              label: t("stats_levelPercent"),
              data: services.map((g) => g.serviceLevelPercent),
              backgroundColor: BLUE,
            },
          ],
        },
        options: axes("%", { max: 100 }),
      });
      show("buckets", {
        type: "bar",
        data: {
          labels: bucketLabels(report.totals.waitBuckets.length),
          datasets: [
            {
              label: t("stats_tickets"),
              data: report.totals.waitBuckets,
              backgroundColor: GREEN,
            },
          ],
        },
        options: axes(t("stats_tickets"), { ticks: { precision: 0 } }),
      });
    },
  };
}
