/**
 * The explorer's totals row: each number column summed over the filtered rows (all pages), money
 * in whole cents like the aggregations themselves. Averages cannot be summed: the average order
 * value is revenue ÷ orders, other averages are weighted by orders (exact, since each row's average
 * is a plain mean over its orders); without an orders column they are left blank.
 */
import { isNumericKind } from "../shared/columns.ts";
import type { DataTable, TableColumn } from "./parquet_table.ts";

function sumOf(column: TableColumn, rows: Uint32Array): number {
  const scale = column.format === "money" ? 100 : 1;
  let total = 0;
  for (const row of rows) {
    const value = column.values[row];
    if (typeof value === "number") total += scale === 1 ? value : Math.round(value * scale);
  }
  return total / scale;
}

/** One value per column (undefined where a total means nothing: text, dates, unweighted means). */
export function columnTotals(table: DataTable, rows: Uint32Array): (number | undefined)[] {
  const named = (name: string) => table.columns.find((column) => column.name === name);
  const orders = named("orders");
  const revenue = named("revenue");
  const orderCount = orders ? sumOf(orders, rows) : 0;
  return table.columns.map((column) => {
    if (!isNumericKind(column.kind)) return undefined;
    if (!column.name.startsWith("avg_")) return sumOf(column, rows);
    if (!orders || orderCount === 0) return undefined;
    if (column.name === "avg_order_value" && revenue) {
      return Math.round(sumOf(revenue, rows) * 100 / orderCount) / 100;
    }
    // Σ(avg × orders) / Σ orders, without rounding each product to cents.
    let weighted = 0;
    for (const row of rows) {
      weighted += ((column.values[row] as number | null) ?? 0) *
        ((orders.values[row] as number | null) ?? 0);
    }
    return weighted / orderCount;
  });
}
