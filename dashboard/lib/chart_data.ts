/**
 * Picks a fitting chart for a table and turns its filtered rows into a {@linkcode ChartSpec}:
 * time → line (one series per category when the table has one), categories → bars.
 */
import type { ChartSeries, ChartSpec } from "../shared/chart_spec.ts";
import { formatCount, humanize } from "../shared/format.ts";
import type { DataTable, TableColumn } from "./parquet_table.ts";
import type { TableShape } from "./table_query.ts";

/** Lines drawn at most; more categories would be an unreadable tangle. */
export const MAX_LINE_SERIES = 8;
/** Bars drawn at most (the largest). */
export const MAX_BARS = 25;

/** The measure charted when the URL names none: revenue, else rows, else the first number. */
export function defaultMeasure(shape: TableShape): TableColumn | undefined {
  return shape.measures.find((column) => column.name === "revenue") ??
    shape.measures.find((column) => column.name === "rows") ??
    shape.measures.find((column) => column.name !== "share") ??
    shape.measures[0];
}

/** Averages cannot be summed across rows; everything else in dpd's tables can. */
function isAdditive(column: TableColumn): boolean {
  return !column.name.startsWith("avg_");
}

/** A chart of `measure` over the given rows, or undefined when the table has nothing to chart. */
export function buildChart(
  table: DataTable,
  shape: TableShape,
  rows: Uint32Array,
  measure: TableColumn | undefined,
): ChartSpec | undefined {
  if (!measure || rows.length === 0) return undefined;
  if (shape.time) return lineChart(shape, shape.time, rows, measure);
  if (shape.dimensions.length > 0) return barChart(table, shape, rows, measure);
  return undefined;
}

function unixSecondsOf(time: TableColumn, value: number | string): number {
  if (time.kind === "date") return (value as number) * 86_400;
  const [year, month] = (value as string).split("-").map(Number);
  return Date.UTC(year, month - 1, 1) / 1000;
}

function lineChart(
  shape: TableShape,
  time: TableColumn,
  rows: Uint32Array,
  measure: TableColumn,
): ChartSpec {
  const split = shape.dimensions[0];
  const times = new Map<number, number>();
  const totalsBySeries = new Map<string, number>();
  for (const row of rows) {
    const timeValue = time.values[row];
    if (timeValue === null) continue;
    times.set(unixSecondsOf(time, timeValue), 0);
    const key = split ? String(split.values[row] ?? "(none)") : "";
    totalsBySeries.set(key, (totalsBySeries.get(key) ?? 0) + Math.abs(valueAt(measure, row)));
  }
  const x = [...times.keys()].sort((a, b) => a - b);
  x.forEach((seconds, index) => times.set(seconds, index));
  const seriesKeys = [...totalsBySeries.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, MAX_LINE_SERIES)
    .map(([key]) => key);
  const seriesIndex = new Map(seriesKeys.map((key, index) => [key, index]));
  const series: ChartSeries[] = seriesKeys.map((key) => ({
    label: split ? key : humanize(measure.name),
    values: new Array<number | null>(x.length).fill(null),
  }));
  const additive = isAdditive(measure);
  for (const row of rows) {
    const timeValue = time.values[row];
    if (timeValue === null) continue;
    const target = series[seriesIndex.get(split ? String(split.values[row] ?? "(none)") : "")!];
    if (!target) continue;
    const at = times.get(unixSecondsOf(time, timeValue))!;
    const value = valueAt(measure, row);
    // Several rows per point only when the table has a grain finer than the split; sum them.
    target.values[at] = target.values[at] === null || !additive
      ? value
      : target.values[at]! + value;
  }
  const hidden = totalsBySeries.size - seriesKeys.length;
  return {
    kind: "line",
    xLabel: time.kind === "date" ? "Date" : "Month",
    title: `${humanize(measure.name)} by ${time.name}${split ? ` and ${split.name}` : ""}`,
    x,
    timeUnit: time.kind === "date" ? "day" : "month",
    series,
    format: measure.format,
    note: hidden > 0
      ? `The ${seriesKeys.length} largest ${split!.name} values by ${
        humanize(measure.name).toLowerCase()
      }; ${hidden} more in the table.`
      : undefined,
  };
}

/** Labels like discount bands have a natural order that sorting by value would scramble. */
function isOrdinal(column: TableColumn): boolean {
  if (column.name === "band") return true;
  const values = column.values as ArrayLike<string | null>;
  for (let index = 0; index < values.length; index++) {
    const value = values[index];
    if (value !== null && !/^(none|\d+(\.\d+)?-\d+(\.\d+)?%)$/.test(value)) return false;
  }
  return values.length > 0;
}

function barChart(
  _table: DataTable,
  shape: TableShape,
  rows: Uint32Array,
  measure: TableColumn,
): ChartSpec {
  // Averages are charted per row (all text columns make the label); sums group by the first one.
  const groupColumns = isAdditive(measure) ? [shape.dimensions[0]] : shape.dimensions;
  const totals = new Map<string, number>();
  for (const row of rows) {
    const label = groupColumns.map((column) => String(column.values[row] ?? "(none)")).join(" · ");
    totals.set(label, (totals.get(label) ?? 0) + valueAt(measure, row));
  }
  let entries = [...totals.entries()];
  const ordinal = groupColumns.length === 1 && isOrdinal(groupColumns[0]);
  if (!ordinal) entries.sort((a, b) => b[1] - a[1]);
  const hidden = Math.max(0, entries.length - MAX_BARS);
  entries = entries.slice(0, MAX_BARS);
  const groupName = groupColumns.map((column) => column.name).join(" and ");
  const notes: string[] = [];
  if (hidden > 0) notes.push(`The ${MAX_BARS} largest of ${formatCount(entries.length + hidden)}.`);
  if (isAdditive(measure) && shape.dimensions.length > 1) {
    notes.push(`Summed over ${shape.dimensions.slice(1).map((column) => column.name).join(", ")}.`);
  }
  return {
    kind: "bars",
    xLabel: humanize(groupName),
    title: `${humanize(measure.name)} by ${groupName}`,
    labels: entries.map(([label]) => label),
    series: [{ label: humanize(measure.name), values: entries.map(([, value]) => value) }],
    format: measure.format,
    note: notes.length > 0 ? notes.join(" ") : undefined,
  };
}

function valueAt(column: TableColumn, row: number): number {
  const value = column.values[row];
  return typeof value === "number" ? value : 0;
}
