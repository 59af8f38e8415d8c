/**
 * The anomaly-flagged rows of the clean parquet the real clean stage wrote, compared with every
 * row read by hyparquet: pages in file order, sorted by a column, and filtered by discount.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { parquetReadObjects } from "hyparquet";
import { asyncBufferFromFile } from "hyparquet/src/node.js";
import { everyAnomalyPage } from "./_anomaly_pages.ts";
import { sharedFixtureWorkspace } from "./_fixture_workspace.ts";

async function flaggedRows(): Promise<{ path: string; rows: Record<string, unknown>[] }> {
  const workspace = await sharedFixtureWorkspace();
  const path = join(workspace.dataDir, "clean", "dirty_fixture_clean.parquet");
  const all = await parquetReadObjects({ file: await asyncBufferFromFile(path) });
  return { path, rows: all.filter((row) => row.anomaly_flag !== null) };
}

const ids = (rows: Record<string, unknown>[]) => rows.map((row) => row.order_id);

Deno.test("flagged rows page in file order, and sort by any column", async () => {
  const { path, rows } = await flaggedRows();
  assert.ok(rows.length > 20);
  assert.deepEqual(ids(await everyAnomalyPage(path, {})), ids(rows));
  const byRevenue = rows
    .map((row, at) => ({ row, at }))
    .sort((a, b) => (b.row.revenue as number) - (a.row.revenue as number) || a.at - b.at)
    .map(({ row }) => row);
  assert.deepEqual(
    ids(await everyAnomalyPage(path, { sort: "revenue", direction: "desc" })),
    ids(byRevenue),
  );
  const byName = await everyAnomalyPage(path, { sort: "product_name", direction: "asc" });
  const names = byName.map((row) => String(row.product_name));
  assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b)));
});

Deno.test("flagged rows filter by discount percent, bounds inclusive", async () => {
  const { path, rows } = await flaggedRows();
  const percent = (row: Record<string, unknown>) =>
    Math.round((row.discount_percent as number) * 10_000) / 100;
  const cases: [number | undefined, number | undefined][] = [
    [95, undefined],
    [95.5, undefined],
    [undefined, 94],
    [80, 95],
    [100, undefined],
  ];
  for (const [min, max] of cases) {
    const expected = rows.filter((row) =>
      (min === undefined || percent(row) >= min) && (max === undefined || percent(row) <= max)
    );
    const found = await everyAnomalyPage(path, {
      minDiscountPercent: min,
      maxDiscountPercent: max,
    });
    assert.deepEqual(ids(found), ids(expected), `${min}–${max}`);
  }
});
