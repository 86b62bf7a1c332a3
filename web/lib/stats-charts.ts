// The statistics page's three charts with Chart.js: only the parts they use are registered, so the
// bundle stays small. No animation: a slow Pi and a test see the final chart at once.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from "chart.js";
import type { ReportPayload } from "../../protocols/mqtt/stats-schemas.js";
import { st } from "./stats-strings.js";

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

export interface StatsCharts {
  wait: HTMLCanvasElement;
  arrivals: HTMLCanvasElement;
  level: HTMLCanvasElement;
  draw(report: ReportPayload, serviceName: (id: string) => string): void;
}

export function statsCharts(): StatsCharts {
  const canvas = (id: string) => Object.assign(document.createElement("canvas"), { id });
  const wait = canvas("chart-wait");
  const arrivals = canvas("chart-arrivals");
  const level = canvas("chart-service-level");
  const charts: Chart[] = [];
  return {
    wait,
    arrivals,
    level,
    draw(report, serviceName) {
      for (const chart of charts.splice(0)) chart.destroy();
      const labels = report.intervals.map((i) => i.interval);
      charts.push(
        new Chart(wait, {
          type: "line",
          data: {
            labels,
            datasets: [
              {
                label: st("meanWait"),
                data: report.intervals.map((i) => i.meanWaitMinutes),
                borderColor: BLUE,
                backgroundColor: BLUE,
                spanGaps: true,
              },
            ],
          },
          options: { responsive: true, maintainAspectRatio: false, scales: { y: { beginAtZero: true } } },
        }),
        new Chart(arrivals, {
          type: "bar",
          data: {
            labels,
            datasets: [
              {
                type: "bar",
                label: st("arrivals"),
                data: report.intervals.map((i) => i.arrivals),
                backgroundColor: ORANGE,
                yAxisID: "y",
              },
              {
                type: "line",
                label: st("countersOpen"),
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
              y: { beginAtZero: true, position: "left" },
              counters: { beginAtZero: true, position: "right", grid: { drawOnChartArea: false } },
            },
          },
        }),
        new Chart(level, {
          type: "bar",
          data: {
            labels: (report.groups.service ?? []).map((g) => serviceName(g.key)),
            datasets: [
              {
                label: `${st("level")} %`,
                data: (report.groups.service ?? []).map((g) => g.serviceLevelPercent),
                backgroundColor: BLUE,
              },
            ],
          },
          options: {
            responsive: true,
            maintainAspectRatio: false,
            scales: { y: { beginAtZero: true, max: 100 } },
          },
        }),
      );
    },
  };
}
