/**
 * The explorer's filters, sort and paging over real aggregation tables (built from the fixture's
 * dirty CSV by the real stages), checked against plain recomputation.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { type DataTable, readDataTable } from "../../dashboard/lib/parquet_table.ts";
import {
  DEFAULT_PAGE_SIZE,
  distinctValues,
  filterRows,
  pageOf,
  parseTableQuery,
  sortRows,
  tableShape,
  timeBounds,
} from "../../dashboard/lib/table_query.ts";
import { isoDateFromDays } from "../../dashboard/shared/format.ts";
import { sharedFixtureWorkspace } from "./_fixture_workspace.ts";

async function table(name: string): Promise<DataTable> {
  const workspace = await sharedFixtureWorkspace();
  return readDataTable(join(workspace.dataDir, "aggregations", `${name}.parquet`));
}

function column(table: DataTable, name: string) {
  const found = table.columns.find((candidate) => candidate.name === name);
  assert.ok(found, `column ${name}`);
  return found;
}

Deno.test("column kinds come from parquet types: DATE, YYYY-MM months, text, integers, doubles", async () => {
  const daily = await table("daily_sales");
  assert.deepEqual(
    daily.columns.map((entry) => [entry.name, entry.kind, entry.format]),
    [
      ["date", "date", "date"],
      ["orders", "integer", "count"],
      ["units", "integer", "count"],
      ["revenue", "number", "money"],
      ["avg_order_value", "number", "money"],
      ["discounted_orders", "integer", "count"],
    ],
  );
  const monthly = await table("monthly_category_sales");
  assert.equal(column(monthly, "month").kind, "month");
  assert.equal(column(monthly, "category").kind, "text");
  const shape = tableShape(monthly);
  assert.equal(shape.time?.name, "month");
  assert.equal(shape.category?.name, "category");
  assert.equal(shape.region, undefined);
});

Deno.test("parseTableQuery keeps only values that fit the table", async () => {
  const daily = await table("daily_sales");
  const cases: [string, Partial<ReturnType<typeof parseTableQuery>>][] = [
    ["", { page: 1, pageSize: DEFAULT_PAGE_SIZE, direction: "asc", sort: undefined }],
    ["sort=revenue&dir=desc&page=3&size=100", {
      sort: "revenue",
      direction: "desc",
      page: 3,
      pageSize: 100,
    }],
    ["sort=nope&page=-2&size=7", { sort: undefined, page: 1, pageSize: DEFAULT_PAGE_SIZE }],
    ["from=2023-02-30&to=2023-05-01", { from: undefined, to: "2023-05-01" }],
    ["from=2024-01-01&to=2023-01-01", { from: "2023-01-01", to: "2024-01-01" }],
    // daily_sales has no category column: the filter is ignored, not applied to nothing.
    ["category=Books&measure=units", { category: [], measure: "units" }],
    ["measure=date", { measure: undefined }],
  ];
  for (const [query, expected] of cases) {
    const parsed = parseTableQuery(new URLSearchParams(query), daily);
    for (const [key, value] of Object.entries(expected)) {
      assert.deepEqual(parsed[key as keyof typeof parsed], value, `${query}: ${key}`);
    }
  }
});

Deno.test("a date range keeps exactly the days inside it, bounds included", async () => {
  const daily = await table("daily_sales");
  const shape = tableShape(daily);
  const query = parseTableQuery(new URLSearchParams("from=2023-03-01&to=2023-03-31"), daily);
  const kept = filterRows(daily, shape, query);
  const dates = column(daily, "date").values as ArrayLike<number>;
  const expected: number[] = [];
  for (let row = 0; row < daily.rowCount; row++) {
    const iso = isoDateFromDays(dates[row]);
    if (iso >= "2023-03-01" && iso <= "2023-03-31") expected.push(row);
  }
  assert.ok(expected.length > 20);
  assert.deepEqual(Array.from(kept), expected);
});

Deno.test("a date range on a month table keeps the months it touches; category filters", async () => {
  const monthly = await table("monthly_category_sales");
  const shape = tableShape(monthly);
  const query = parseTableQuery(
    new URLSearchParams("from=2023-03-15&to=2023-05-02&category=Books"),
    monthly,
  );
  const kept = filterRows(monthly, shape, query);
  const months = column(monthly, "month").values;
  const categories = column(monthly, "category").values;
  assert.deepEqual(Array.from(kept, (row) => months[row]), ["2023-03", "2023-04", "2023-05"]);
  assert.ok(Array.from(kept).every((row) => categories[row] === "Books"));
  assert.deepEqual(timeBounds(shape.time!), { min: "2023-01-01", max: "2024-06-30" });
  assert.deepEqual(
    distinctValues(shape.category!),
    ["Books", "Clothing", "Electronics", "Grocery", "Home & Kitchen", "Toys & Games"],
  );
});

Deno.test("sorting orders by the column either way, stable on ties", async () => {
  const daily = await table("daily_sales");
  const all = filterRows(daily, tableShape(daily), parseTableQuery(new URLSearchParams(), daily));
  const orders = column(daily, "orders");
  for (const direction of ["asc", "desc"] as const) {
    const sorted = Array.from(sortRows(all, orders, direction));
    for (let index = 1; index < sorted.length; index++) {
      const previous = orders.values[sorted[index - 1]] as number;
      const current = orders.values[sorted[index]] as number;
      assert.ok(direction === "asc" ? previous <= current : previous >= current);
      // Equal values keep table order (the date order here).
      if (previous === current) assert.ok(sorted[index - 1] < sorted[index]);
    }
  }
});

Deno.test("missing values sort last in both directions", () => {
  const values = [3, null, 1, null, 2];
  const table: DataTable = {
    path: "memory",
    rowCount: values.length,
    modifiedMs: 0,
    bytes: 0,
    columns: [{ name: "x", kind: "integer", format: "count", values }],
  };
  const rows = Uint32Array.from([0, 1, 2, 3, 4]);
  assert.deepEqual(Array.from(sortRows(rows, table.columns[0], "asc")), [2, 4, 0, 1, 3]);
  assert.deepEqual(Array.from(sortRows(rows, table.columns[0], "desc")), [0, 4, 2, 1, 3]);
});

Deno.test("pages are clamped to the rows that exist", () => {
  const rows = Uint32Array.from({ length: 120 }, (_, index) => index);
  const cases: [
    number,
    number,
    { page: number; pageCount: number; first: number; size: number },
  ][] = [
    [1, 50, { page: 1, pageCount: 3, first: 0, size: 50 }],
    [3, 50, { page: 3, pageCount: 3, first: 100, size: 20 }],
    [9, 50, { page: 3, pageCount: 3, first: 100, size: 20 }],
    [0, 25, { page: 1, pageCount: 5, first: 0, size: 25 }],
  ];
  for (const [page, pageSize, expected] of cases) {
    const result = pageOf(rows, page, pageSize);
    assert.deepEqual(
      {
        page: result.page,
        pageCount: result.pageCount,
        first: result.first,
        size: result.rows.length,
      },
      expected,
    );
  }
  assert.deepEqual(pageOf(new Uint32Array(0), 4, 25).pageCount, 1);
});
