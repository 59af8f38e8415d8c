/**
 * clean-data --partition-by sale_month: a hive-style dataset holding exactly the single file's
 * rows, month by month, that build-aggregations reads into the same tables.
 */
import { tableRows } from "./_table_rows.ts";
import assert from "node:assert/strict";
import { basename, dirname, join } from "node:path";
import { parquetReadObjects } from "hyparquet";
import { buildAggregations } from "../../src/aggregations/build_aggregations.ts";
import { AGGREGATION_TABLES } from "../../src/aggregations/registry.ts";
import { cleanData } from "../../src/cleaning/clean_data.ts";
import { listDatasetFiles } from "../../src/io/parquet_dataset.ts";
import { DuckDb, sqlString } from "../_duckdb.ts";

const AS_OF = "2026-11-28";
const HEADER =
  "order_id,product_name,category,quantity,unit_price,discount_percent,region,sale_date,customer_email,revenue";

/** 500 rows over more than a year, months in no order, with a few rejected and one quoted line break. */
function monthsInput(): string {
  const lines = [HEADER];
  for (let index = 0; index < 500; index++) {
    const id = `ORD-${String(index % 97 === 5 ? 3 : index + 1).padStart(9, "0")}`;
    const year = index % 14 < 12 ? 2026 : 2025;
    const month = String(1 + ((index * 5) % 12)).padStart(2, "0");
    const name = index === 77 ? '"Lamp\nDeluxe"' : `Item ${index % 11}`;
    const region = ["Asia", "Europe", "Mars"][index % 3];
    lines.push(
      `${id},${name},Toys,${1 + (index % 3)},${index % 40 + 0.5},0.${index % 10},${region},` +
        `${year}-${month}-0${1 + (index % 9)},,1`,
    );
  }
  return lines.join("\n") + "\n";
}

function json(row: Record<string, unknown>): string {
  return JSON.stringify(row, (_, value) => typeof value === "bigint" ? String(value) : value);
}

async function readRows(path: string): Promise<Record<string, unknown>[]> {
  return await parquetReadObjects({ file: (await Deno.readFile(path)).buffer });
}

function monthOf(row: Record<string, unknown>): string {
  return new Date(Number(row.sale_date) * 1000).toISOString().slice(0, 7);
}

Deno.test("--partition-by sale_month holds the single file's rows month by month, and the same tables", async () => {
  const directory = await Deno.makeTempDir({ prefix: "dpd-partitions-" });
  const lookupsDir = join(directory, "lookups");
  await Deno.mkdir(lookupsDir);
  const write = (name: string, value: unknown) =>
    Deno.writeTextFile(join(lookupsDir, name), JSON.stringify(value));
  await write("common_categories.json", ["Books", "Toys"]);
  await write("common_regions.json", ["Asia", "Europe"]);
  await write("region_map.json", { "mars": "UNKNOWN" });
  const input = join(directory, "sales.csv");
  await Deno.writeTextFile(input, monthsInput());
  const common = { input, lookupsDir, asOf: AS_OF, quiet: true, workers: 2, blockBytes: 2048 };

  const single = await cleanData({ ...common, dataDir: join(directory, "single") });
  const dataDir = join(directory, "partitioned");
  const { report } = await cleanData({ ...common, dataDir, partitionBy: "sale_month" });
  const dataset = join(dataDir, "clean", "sales");
  assert.equal(report.output, dataset);
  assert.equal(report.clean_rows, single.report.clean_rows);
  assert.deepEqual(report.reasons, single.report.reasons);
  assert.equal(
    await Deno.readTextFile(report.rejected!),
    await Deno.readTextFile(single.report.rejected!),
  );

  // Row for row: each month's rows in input order, months in order.
  const singleRows = await readRows(single.report.output!);
  const expected = singleRows.map((row, index) => ({ row, index, month: monthOf(row) }))
    .sort((a, b) => a.month < b.month ? -1 : a.month > b.month ? 1 : a.index - b.index)
    .map(({ row }) => json(row));
  const files = await listDatasetFiles(dataset);
  assert.equal(files.length, new Set(singleRows.map(monthOf)).size);
  assert.ok(files.length > 12, `${files.length} months`);
  const actual: string[] = [];
  for (const file of files) {
    assert.equal(basename(file), "part-00000.parquet");
    const month = basename(dirname(file)).replace("sale_month=", "");
    for (const row of await readRows(file)) {
      assert.equal(monthOf(row), month, file);
      actual.push(json(row));
    }
  }
  assert.deepEqual(actual, expected);

  // DuckDB, an independent reader, reads the dataset as hive-partitioned: the same rows.
  {
    using db = await DuckDb.open();
    const glob = sqlString(`${dataset}/**/*.parquet`);
    const partitions = await db.row(
      `SELECT count(*) AS rows, count(*) FILTER (WHERE sale_month <> strftime(make_timestamp(sale_date * 1000000), '%Y-%m'))
         AS misplaced, sum(revenue) AS revenue
       FROM read_parquet(${glob}, hive_partitioning = true)`,
    );
    const whole = await db.row(
      `SELECT count(*) AS rows, sum(revenue) AS revenue
       FROM read_parquet(${sqlString(single.report.output!)})`,
    );
    assert.equal(Number(partitions.rows), singleRows.length);
    assert.equal(Number(partitions.misplaced), 0);
    assert.equal(Number(whole.rows), singleRows.length);
    assert.ok(Math.abs(Number(partitions.revenue) - Number(whole.revenue)) < 1e-6);
  }

  const fromFile = await buildAggregations({
    dataDir: join(directory, "single"),
    outDir: join(directory, "tables_single"),
    quiet: true,
  });
  const fromDataset = await buildAggregations({
    dataDir,
    cleaned: dataset,
    outDir: join(directory, "tables_dataset"),
    quiet: true,
  });
  for (const table of AGGREGATION_TABLES) {
    assert.deepEqual(
      await tableRows(join(fromDataset.outDir, `${table.name}.parquet`)),
      await tableRows(join(fromFile.outDir, `${table.name}.parquet`)),
      table.name,
    );
  }

  // Shards and partitions together: each shard writes part-shard-K-of-N.parquet in every month.
  const shardedDir = join(directory, "sharded");
  for (const index of [0, 1]) {
    await cleanData({
      ...common,
      dataDir: shardedDir,
      partitionBy: "sale_month",
      shard: { index, count: 2 },
    });
  }
  const shardFiles = await listDatasetFiles(join(shardedDir, "clean", "sales"));
  assert.ok(shardFiles.some((file) => file.endsWith("part-shard-1-of-2.parquet")));
  const fromShards = await buildAggregations({
    dataDir: shardedDir,
    cleaned: join(shardedDir, "clean", "sales"),
    outDir: join(directory, "tables_shards"),
    quiet: true,
  });
  assert.equal(fromShards.rows, single.report.clean_rows);
  for (const table of AGGREGATION_TABLES) {
    assert.deepEqual(
      await tableRows(join(fromShards.outDir, `${table.name}.parquet`)),
      await tableRows(join(fromFile.outDir, `${table.name}.parquet`)),
      table.name,
    );
  }
  await Deno.remove(directory, { recursive: true });
});
