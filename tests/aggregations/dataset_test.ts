/**
 * build-aggregations over a dataset directory: the same clean rows split into hive-style part files
 * (and, for shards, reported by several shard reports) give byte-identical tables to one file.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { buildAggregations, findCleanParquet } from "../../src/aggregations/build_aggregations.ts";
import { AGGREGATION_TABLES } from "../../src/aggregations/registry.ts";
import { listDatasetFiles, openParquetDataset } from "../../src/io/parquet_dataset.ts";
import { cleanParquetBytes, type CleanRow, makeCleanWorkspace } from "./_clean_fixture.ts";

function monthOf(row: CleanRow): string {
  return new Date(row.sale_date * 1000).toISOString().slice(0, 7);
}

/** Writes `rows` as `<dir>/sale_month=YYYY-MM/part-<tag>.parquet`, one file per month. */
async function writePartitioned(
  dir: string,
  rows: readonly CleanRow[],
  tag: string,
): Promise<void> {
  const byMonth = Map.groupBy(rows, monthOf);
  for (const [month, monthRows] of byMonth) {
    const folder = join(dir, `sale_month=${month}`);
    await Deno.mkdir(folder, { recursive: true });
    await Deno.writeFile(
      join(folder, `part-${tag}.parquet`),
      new Uint8Array(cleanParquetBytes(monthRows, 300)),
    );
  }
}

/** Each table's bytes, with the build's run id (which differs per build) masked. */
async function tableBytes(
  result: { outDir: string; runId: string },
): Promise<Map<string, string>> {
  const tables = new Map<string, string>();
  for (const table of AGGREGATION_TABLES) {
    const bytes = await Deno.readFile(join(result.outDir, `${table.name}.parquet`));
    tables.set(
      table.name,
      new TextDecoder("latin1").decode(bytes).replaceAll(result.runId, "<run id>"),
    );
  }
  return tables;
}

Deno.test("a partitioned dataset gives the same tables as the single file", async () => {
  const workspace = await makeCleanWorkspace({ rows: 3_000, stem: "sales" });
  try {
    const single = await buildAggregations({
      dataDir: workspace.dataDir,
      outDir: join(workspace.dataDir, "out_single"),
      quiet: true,
    });

    const dataset = join(workspace.dataDir, "clean", "sales");
    await writePartitioned(dataset, workspace.rows, "00000");
    // Hidden and `_` names are not part of a dataset (a run's temporary file, Spark's _SUCCESS).
    await Deno.writeTextFile(join(dataset, "_SUCCESS"), "");
    await Deno.writeTextFile(join(dataset, ".dpd-tmp-part.parquet.1"), "half a file");
    await Deno.remove(workspace.parquetPath);
    assert.equal(await findCleanParquet(workspace.dataDir), dataset);

    using opened = await openParquetDataset(dataset);
    assert.equal(opened.isDirectory, true);
    assert.equal(opened.rowCount, workspace.rows.length);
    // One file per month, and not the _SUCCESS nor the hidden temporary file.
    assert.equal(opened.paths.length, new Set(workspace.rows.map(monthOf)).size);

    for (const workers of [1, 2]) {
      const fromDataset = join(workspace.dataDir, `out_dataset_${workers}`);
      const result = await buildAggregations({
        dataDir: workspace.dataDir,
        outDir: fromDataset,
        workers,
        quiet: true,
      });
      assert.equal(result.rows, workspace.rows.length);
      const expected = await tableBytes(single);
      for (const [name, bytes] of await tableBytes(result)) {
        assert.deepEqual(bytes, expected.get(name), `${name} with ${workers} workers`);
      }
    }
  } finally {
    await Deno.remove(workspace.dataDir, { recursive: true });
  }
});

Deno.test("shard reports of a dataset are summed; a missing shard is named", async () => {
  const workspace = await makeCleanWorkspace({ rows: 2_000, stem: "sales" });
  try {
    const single = await buildAggregations({
      dataDir: workspace.dataDir,
      outDir: join(workspace.dataDir, "out_single"),
      quiet: true,
    });
    const report = JSON.parse(await Deno.readTextFile(workspace.reportPath));
    await Deno.remove(workspace.reportPath);
    await Deno.remove(workspace.parquetPath);

    // Two shards: rows split by parity, reasons split unevenly; together the single run.
    const dataset = join(workspace.dataDir, "clean", "sales");
    const shards = [0, 1].map((shard) => workspace.rows.filter((_, index) => index % 2 === shard));
    for (const [shard, rows] of shards.entries()) {
      await writePartitioned(dataset, rows, `shard-${shard}-of-2`);
      const reasons = Object.fromEntries(
        Object.entries(report.reasons as Record<string, number>).map(([reason, count]) => [
          reason,
          shard === 0 ? Math.ceil(count / 3) : count - Math.ceil(count / 3),
        ]),
      );
      const rejected = Object.values(reasons).reduce((sum, count) => sum + count, 0);
      await Deno.writeTextFile(
        join(workspace.dataDir, "reports", `sales_shard-${shard}-of-2_clean_report.json`),
        JSON.stringify({
          ...report,
          input_rows: rows.length + rejected,
          clean_rows: rows.length,
          rejected_rows: rejected,
          reasons,
        }),
      );
    }
    assert.equal((await listDatasetFiles(dataset)).length > 5, true);
    const fromShards = join(workspace.dataDir, "out_shards");
    const summed = await buildAggregations({
      dataDir: workspace.dataDir,
      outDir: fromShards,
      quiet: true,
    });
    const expected = await tableBytes(single);
    for (const [name, bytes] of await tableBytes(summed)) {
      assert.deepEqual(bytes, expected.get(name), name);
    }

    await Deno.remove(
      join(workspace.dataDir, "reports", "sales_shard-1-of-2_clean_report.json"),
    );
    await assert.rejects(
      buildAggregations({ dataDir: workspace.dataDir, outDir: fromShards, quiet: true }),
      /has 1 of 2 shard reports .*missing shard 1/,
    );
  } finally {
    await Deno.remove(workspace.dataDir, { recursive: true });
  }
});

Deno.test("a dataset whose files disagree on columns is refused", async () => {
  const workspace = await makeCleanWorkspace({ rows: 500, stem: "sales" });
  try {
    const dataset = join(workspace.dataDir, "clean", "mixed");
    await Deno.mkdir(dataset, { recursive: true });
    await Deno.copyFile(workspace.parquetPath, join(dataset, "part-0.parquet"));
    const { parquetWriteBuffer } = await import("hyparquet-writer");
    await Deno.writeFile(
      join(dataset, "part-1.parquet"),
      new Uint8Array(parquetWriteBuffer({ columnData: [{ name: "x", data: [1, 2] }] })),
    );
    await assert.rejects(
      openParquetDataset(dataset),
      /part-1\.parquet in dataset .* other columns/,
    );
    await Deno.mkdir(join(workspace.dataDir, "clean", "empty"));
    await assert.rejects(
      openParquetDataset(join(workspace.dataDir, "clean", "empty")),
      /holds no parquet files/,
    );
  } finally {
    await Deno.remove(workspace.dataDir, { recursive: true });
  }
});
