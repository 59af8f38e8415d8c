/**
 * clean-data --shard K/N: N runs started at once equal one run, and build-aggregations reads
 * their dataset (parts plus shard reports) into the same tables.
 */
import { tableRows } from "./_table_rows.ts";
import assert from "node:assert/strict";
import { join } from "node:path";
import { parquetReadObjects } from "hyparquet";
import { buildAggregations } from "../../src/aggregations/build_aggregations.ts";
import { AGGREGATION_TABLES } from "../../src/aggregations/registry.ts";
import { cleanData, type CleanReport } from "../../src/cleaning/clean_data.ts";
import { spawnDpd } from "../_dpd.ts";

const AS_OF = "2026-11-28";
const EVERY_REASON_CSV = await Deno.readTextFile(
  join(import.meta.dirname!, "..", "fixtures", "every_reason.csv"),
);

/** Every reason once, then 600 rows over a year: duplicates, blank IDs, an unclosed quote last. */
function shardInput(): string {
  const lines = EVERY_REASON_CSV.trimEnd().split("\n");
  for (let index = 0; index < 600; index++) {
    const id = index % 9 === 4
      ? ""
      : `ORD-${String(1000 + (index % 7 === 3 ? index - 3 : index)).padStart(9, "0")}`;
    const month = String(1 + (index % 12)).padStart(2, "0");
    const region = ["Asia", "Europe", "North America", "aisa", "Mars"][index % 5];
    const category = ["Toys", "Books", "Electronics"][index % 3];
    lines.push(
      `${id},"Item ${index % 23}",${category},${1 + (index % 4)},${(index % 50) + 0.25},0.${
        index % 10
      },${region},2026-${month}-1${index % 10},,1`,
    );
  }
  lines.push(`ORD-000009999,"never closed,Toys,1,1,0,Asia,2026-01-01,,1`);
  return lines.join("\n") + "\n";
}

async function readRows(path: string): Promise<string[]> {
  const rows = await parquetReadObjects({ file: (await Deno.readFile(path)).buffer });
  return rows.map((row) =>
    JSON.stringify(row, (_, value) => typeof value === "bigint" ? String(value) : value)
  );
}

async function rejectedLines(path: string): Promise<string[]> {
  return (await Deno.readTextFile(path)).trimEnd().split(/\n(?=ORD-|,|"|order_id)/).slice(1);
}

function counts(reports: CleanReport[]) {
  const sum = (pick: (report: CleanReport) => number) =>
    reports.reduce((total, report) => total + pick(report), 0);
  return {
    input_rows: sum((report) => report.input_rows),
    clean_rows: sum((report) => report.clean_rows),
    rejected_rows: sum((report) => report.rejected_rows),
    reasons: Object.fromEntries(
      Object.keys(reports[0].reasons).map((reason) => [
        reason,
        sum((report) => report.reasons[reason as keyof CleanReport["reasons"]]),
      ]),
    ),
    heavy_discount: sum((report) => report.anomalies.heavy_discount),
  };
}

Deno.test("four --shard k/4 runs started at once equal one run: rows, rejected rows, counts, tables", async () => {
  const directory = await Deno.makeTempDir({ prefix: "dpd-shards-" });
  const lookupsDir = join(directory, "lookups");
  await Deno.mkdir(lookupsDir);
  const write = (name: string, value: unknown) =>
    Deno.writeTextFile(join(lookupsDir, name), JSON.stringify(value));
  await write("common_categories.json", ["Books", "Electronics", "Home & Kitchen", "Toys"]);
  await write("common_regions.json", ["Asia", "Europe", "North America", "South America"]);
  await write("region_map.json", { "aisa": "Asia", "mars": "UNKNOWN" });
  const input = join(directory, "sales.csv");
  await Deno.writeTextFile(input, shardInput());
  const common = { lookupsDir, asOf: AS_OF, quiet: true, workers: 1, maxRecordBytes: 4096 };

  const single = await cleanData({ ...common, input, dataDir: join(directory, "single") });
  const shardDir = join(directory, "sharded");
  const runs = [0, 1, 2, 3].map((shard) =>
    spawnDpd([
      "clean-data",
      "--input",
      input,
      "--shard",
      `${shard}/4`,
      "--data-dir",
      shardDir,
      "--lookups-dir",
      lookupsDir,
      "--as-of",
      AS_OF,
      "--workers",
      "1",
      "--quiet",
    ])
  );
  for (const run of runs) {
    const output = await run.output();
    assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
  }
  const reports: CleanReport[] = await Promise.all([0, 1, 2, 3].map(async (shard) =>
    JSON.parse(
      await Deno.readTextFile(
        join(shardDir, "reports", `sales_shard-${shard}-of-4_clean_report.json`),
      ),
    )
  ));
  assert.deepEqual(counts(reports), counts([single.report]));
  // Every shard got rows of its own: the split is real.
  for (const report of reports) assert.ok(report.clean_rows > 50, JSON.stringify(report.shard));

  const shardRows = (await Promise.all(reports.map((report) => readRows(report.output!)))).flat();
  assert.equal(reports[2].output, join(shardDir, "clean", "sales", "part-shard-2-of-4.parquet"));
  assert.deepEqual(shardRows.sort(), (await readRows(single.report.output!)).sort());
  const shardRejected =
    (await Promise.all(reports.map((report) => rejectedLines(report.rejected!))))
      .flat();
  assert.deepEqual(shardRejected.sort(), (await rejectedLines(single.report.rejected!)).sort());

  const fromFile = await buildAggregations({
    dataDir: join(directory, "single"),
    outDir: join(directory, "tables_single"),
    quiet: true,
  });
  const fromShards = await buildAggregations({
    dataDir: shardDir,
    cleaned: join(shardDir, "clean", "sales"),
    outDir: join(directory, "tables_sharded"),
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

  // Through the key census (a budget too small for the keys), each shard counts the same claims.
  const censused: CleanReport[] = [];
  for (const index of [0, 1, 2, 3]) {
    const { report } = await cleanData({
      ...common,
      input,
      dataDir: join(directory, "census"),
      shard: { index, count: 4 },
      dedupBudgetBytes: 1,
    });
    const rejected = await rejectedLines(report.rejected!);
    assert.deepEqual(rejected.sort(), (await rejectedLines(reports[index].rejected!)).sort());
    censused.push(report);
  }
  assert.deepEqual(counts(censused), counts([single.report]));
  await Deno.remove(directory, { recursive: true });
});
