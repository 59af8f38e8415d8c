import assert from "node:assert/strict";
import { join } from "node:path";
import { readDataTable } from "../../dashboard/lib/parquet_table.ts";
import { filterRows, parseTableQuery, tableShape } from "../../dashboard/lib/table_query.ts";
import { columnTotals } from "../../dashboard/lib/table_totals.ts";
import { sharedFixtureWorkspace } from "./_fixture_workspace.ts";

async function totalsOf(name: string, query: string) {
  const workspace = await sharedFixtureWorkspace();
  const table = await readDataTable(join(workspace.dataDir, "aggregations", `${name}.parquet`));
  const rows = filterRows(
    table,
    tableShape(table),
    parseTableQuery(new URLSearchParams(query), table),
  );
  const totals = columnTotals(table, rows);
  const named = (column: string) => totals[table.columns.findIndex((c) => c.name === column)];
  const values = (column: string) =>
    Array.from(rows, (row) => table.columns.find((c) => c.name === column)!.values[row] as number);
  return { named, values, rows };
}

Deno.test("totals: sums over the filtered rows, money in whole cents; averages from the sums", async () => {
  const daily = await totalsOf("daily_sales", "from=2023-03-01&to=2023-03-31");
  assert.ok(daily.rows.length > 20);
  assert.equal(daily.named("date"), undefined);
  assert.equal(daily.named("orders"), daily.values("orders").reduce((a, b) => a + b, 0));
  const cents = daily.values("revenue").reduce((a, b) => a + Math.round(b * 100), 0);
  assert.equal(daily.named("revenue"), cents / 100);
  assert.equal(
    daily.named("avg_order_value"),
    Math.round(cents / (daily.named("orders") as number)) / 100,
  );

  // Averages per product weigh each row by its orders (each is a plain mean over those orders).
  const products = await totalsOf("product_performance", "category=Books&category=Grocery");
  const orders = products.values("orders");
  const prices = products.values("avg_unit_price");
  const weighted = prices.reduce((sum, price, index) => sum + price * orders[index], 0) /
    orders.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs((products.named("avg_unit_price") as number) - weighted) < 1e-9);
  assert.equal(products.named("product_name"), undefined);

  // No orders column: an average has no total.
  const reasons = await totalsOf("rejection_summary", "");
  assert.equal(reasons.named("rows"), reasons.values("rows").reduce((a, b) => a + b, 0));
});
