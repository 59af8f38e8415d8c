/**
 * What a column of a dpd table is, from its parquet type and its name: how its values are shown,
 * whether it is a time axis, a category to group by, or a measure to chart.
 */
import type { ValueFormat } from "./format.ts";

/** A column's role in the explorer. */
export type ColumnKind = "date" | "month" | "text" | "integer" | "number";

/** Columns holding money (docs/schemas.md: cents summed, written as DOUBLE with 2 decimals). */
const MONEY_COLUMNS = new Set([
  "revenue",
  "avg_order_value",
  "avg_unit_price",
  "discount_given",
  "unit_price",
]);
/** Columns holding a fraction shown as a percentage. */
const PERCENT_COLUMNS = new Set(["share", "avg_discount", "discount_percent", "rejection_rate"]);

/** The display format of a column. */
export function formatOfColumn(name: string, kind: ColumnKind): ValueFormat {
  if (kind === "date") return "date";
  if (kind === "month" || kind === "text") return "text";
  if (MONEY_COLUMNS.has(name)) return "money";
  if (PERCENT_COLUMNS.has(name)) return "percent";
  return kind === "integer" ? "count" : "decimal";
}

/** Whether a column holds numbers (right-aligned, chartable). */
export function isNumericKind(kind: ColumnKind): boolean {
  return kind === "integer" || kind === "number";
}

/** `YYYY-MM`: how aggregation tables write months. */
export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;
