/**
 * A clean report in lines for people: what `clean-data`, `update-lookups`' dry run and `pipeline`
 * print after a clean. One module, so the three commands describe a clean the same way.
 */
import { formatTable } from "../cli/summary.ts";
import type { CleanReport } from "./clean_data.ts";

/** What the description reads of a report. */
export type CleanCounts = Pick<
  CleanReport,
  "input_rows" | "clean_rows" | "rejected_rows" | "reasons" | "anomalies"
>;

/** The counts (input = clean + rejected), then the reasons with rows and share, then anomalies. */
export function describeCleanReport(report: CleanCounts): string[] {
  const reasonRows = Object.entries(report.reasons)
    .filter(([, rows]) => rows > 0)
    .map(([reason, rows]) => [
      reason,
      rows,
      `${(100 * rows / Math.max(report.input_rows, 1)).toFixed(2)}%`,
    ]);
  return [
    `input ${report.input_rows.toLocaleString("en-US")} rows = clean ${
      report.clean_rows.toLocaleString("en-US")
    } + rejected ${report.rejected_rows.toLocaleString("en-US")}`,
    ...(reasonRows.length ? formatTable(["rejection_reason", "rows", "share"], reasonRows) : []),
    `heavy_discount anomalies: ${(report.anomalies.heavy_discount ?? 0).toLocaleString("en-US")}`,
  ];
}
