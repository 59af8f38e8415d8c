/**
 * What the server tells the chart island to draw: plain JSON, so it travels in a data attribute.
 */
import type { ValueFormat } from "./format.ts";

export interface ChartSeries {
  label: string;
  values: (number | null)[];
}

export interface ChartSpec {
  /** `line` over time, `bars` over categories. */
  kind: "line" | "bars";
  /** Accessible description, like "Revenue by date". */
  title: string;
  /** What the x axis holds, for the legend: "Date", "Month", "category". */
  xLabel: string;
  /** For `line`: x positions in Unix seconds (UTC days or first days of months). */
  x?: number[];
  /** For `line`: whether x values are months (axis labels `YYYY-MM`) or days. */
  timeUnit?: "day" | "month";
  /** For `bars`: one label per bar. */
  labels?: string[];
  series: ChartSeries[];
  /** How y values are formatted. */
  format: ValueFormat;
  /** A short remark under the chart, like "Top 8 categories by revenue". */
  note?: string;
}
