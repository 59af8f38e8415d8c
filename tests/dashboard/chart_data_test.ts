/** Which chart each real aggregation table gets, and that it draws the table's numbers. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { buildChart, defaultMeasure, MAX_BARS } from "../../dashboard/lib/chart_data.ts";
import { type DataTable, readDataTable } from "../../dashboard/lib/parquet_table.ts";
import { filterRows, parseTableQuery, tableShape } from "../../dashboard/lib/table_query.ts";
import { sharedFixtureWorkspace } from "./_fixture_workspace.ts";

async function chartOf(name: string, query = "") {
  const workspace = await sharedFixtureWorkspace();
  const table = await readDataTable(join(workspace.dataDir, "aggregations", `${name}.parquet`));
  const shape = tableShape(table);
  const parsed = parseTableQuery(new URLSearchParams(query), table);
  const rows = filterRows(table, shape, parsed);
  const measure = shape.measures.find((column) => column.name === parsed.measure) ??
    defaultMeasure(shape);
  return { table, chart: buildChart(table, shape, rows, measure), rows };
}

function total(table: DataTable, name: string, where?: (row: number) => boolean): number {
  const column = table.columns.find((candidate) => candidate.name === name)!;
  let sum = 0;
  for (let row = 0; row < table.rowCount; row++) {
    if (!where || where(row)) sum += column.values[row] as number;
  }
  return sum;
}

const sum = (values: (number | null)[]) => values.reduce<number>((a, b) => a + (b ?? 0), 0);

Deno.test("daily_sales: one revenue line over ascending days", async () => {
  const { table, chart } = await chartOf("daily_sales");
  assert.equal(chart?.kind, "line");
  assert.equal(chart.timeUnit, "day");
  assert.equal(chart.series.length, 1);
  assert.equal(chart.x!.length, table.rowCount);
  assert.ok(chart.x!.every((seconds, index) => index === 0 || seconds > chart.x![index - 1]));
  assert.ok(Math.abs(sum(chart.series[0].values) - total(table, "revenue")) < 1e-6);
  assert.equal(chart.format, "money");
});

Deno.test("monthly_category_sales: a line per category, each summing that category", async () => {
  const { table, chart } = await chartOf("monthly_category_sales", "measure=units");
  assert.equal(chart?.kind, "line");
  assert.equal(chart.timeUnit, "month");
  assert.equal(chart.series.length, 6);
  const categories = table.columns.find((column) => column.name === "category")!.values;
  for (const series of chart.series) {
    assert.equal(
      sum(series.values),
      total(table, "units", (row) => categories[row] === series.label),
      series.label,
    );
  }
  assert.equal(chart.format, "count");
});

Deno.test("discount_bands: bars in band order, not by size", async () => {
  const { table, chart } = await chartOf("discount_bands");
  assert.equal(chart?.kind, "bars");
  const bands = table.columns.find((column) => column.name === "band")!.values;
  assert.deepEqual(chart.labels, Array.from(bands as ArrayLike<string>));
});

Deno.test("category_region_revenue: bars by category, summed over regions, largest first", async () => {
  const { table, chart } = await chartOf("category_region_revenue");
  assert.equal(chart?.kind, "bars");
  assert.match(chart.note ?? "", /Summed over region/);
  const values = chart.series[0].values as number[];
  assert.ok(values.every((value, index) => index === 0 || value <= values[index - 1]));
  assert.ok(Math.abs(sum(values) - total(table, "revenue")) < 1e-6);
  assert.ok(chart.labels!.length <= MAX_BARS);
});

Deno.test("averages are charted per row, never summed", async () => {
  const { table, chart } = await chartOf("product_performance", "measure=avg_unit_price");
  assert.equal(chart?.kind, "bars");
  const products = table.columns.find((column) => column.name === "product_name")!.values;
  const categories = table.columns.find((column) => column.name === "category")!.values;
  const prices = table.columns.find((column) => column.name === "avg_unit_price")!.values;
  const byLabel = new Map<string, number>();
  for (let row = 0; row < table.rowCount; row++) {
    byLabel.set(`${products[row]} · ${categories[row]}`, prices[row] as number);
  }
  chart.labels!.forEach((label, index) =>
    assert.equal(chart.series[0].values[index], byLabel.get(label))
  );
});

Deno.test("no rows, no chart", async () => {
  const { chart, rows } = await chartOf("daily_sales", "from=1990-01-01&to=1990-01-31");
  assert.equal(rows.length, 0);
  assert.equal(chart, undefined);
});
