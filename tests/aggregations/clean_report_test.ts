import assert from "node:assert/strict";
import { join } from "node:path";
import { buildAggregations } from "../../src/aggregations/build_aggregations.ts";
import { cleanData } from "../../src/cleaning/clean_data.ts";
import { generateData } from "../../src/generation/generate_data.ts";
import { cleanReportCandidates } from "../../src/aggregations/clean_report.ts";

Deno.test("the report of a clean parquet is looked for by its stem", () => {
  assert.deepEqual(cleanReportCandidates(join("data", "clean", "dirty_1m_clean.parquet"), "data"), [
    join("data", "reports", "dirty_1m_clean_report.json"),
  ]);
  assert.deepEqual(cleanReportCandidates(join("/w", "clean", "x_clean.parquet"), "data"), [
    join("data", "reports", "x_clean_report.json"),
    join("/w", "reports", "x_clean_report.json"),
  ]);
});

Deno.test("a parquet named with clean-data --output finds the report that names it", async () => {
  const directory = await Deno.makeTempDir({ prefix: "dpd-custom-output-" });
  const input = join(directory, "input", "sales.csv");
  await Deno.mkdir(join(directory, "input"));
  await generateData({
    rows: 5_000,
    clean: false,
    seed: 3,
    asOf: "2026-11-28",
    output: input,
    workers: 1,
  });
  const output = join(directory, "clean", "custom.parquet");
  const { report } = await cleanData({
    input,
    output,
    dataDir: directory,
    lookupsDir: join(import.meta.dirname!, "..", "..", "lookups"),
    asOf: "2026-11-28",
    quiet: true,
  });
  // The report is named after the input (sales_…), the parquet is not.
  const result = await buildAggregations({ cleaned: output, dataDir: directory, quiet: true });
  assert.equal(result.report, join(directory, "reports", "sales_clean_report.json"));
  assert.equal(result.rows, report.clean_rows);
});
