import assert from "node:assert/strict";
import { join } from "node:path";
import { buildAggregations } from "../../src/aggregations/build_aggregations.ts";
import { cleanData } from "../../src/cleaning/clean_data.ts";
import { generateData } from "../../src/generation/generate_data.ts";
import {
  cleanParquetStem,
  cleanReportCandidates,
  parseCleanReport,
} from "../../src/aggregations/clean_report.ts";

Deno.test("the report of a clean parquet is looked for by its stem", () => {
  assert.equal(cleanParquetStem("data/clean/dirty_1m_clean.parquet"), "dirty_1m");
  assert.equal(cleanParquetStem("elsewhere/sales.parquet"), "sales");
  assert.deepEqual(cleanReportCandidates(join("data", "clean", "dirty_1m_clean.parquet"), "data"), [
    join("data", "reports", "dirty_1m_clean_report.json"),
  ]);
  assert.deepEqual(cleanReportCandidates(join("/w", "clean", "x_clean.parquet"), "data"), [
    join("data", "reports", "x_clean_report.json"),
    join("/w", "reports", "x_clean_report.json"),
  ]);
});

Deno.test("reasons come back in rule order, unknown ones after", () => {
  const report = parseCleanReport(
    JSON.stringify({
      input_rows: 10,
      clean_rows: 4,
      rejected_rows: 6,
      reasons: { zero_quantity: 1, brand_new_reason: 2, malformed_row: 3, unknown_region: 0 },
    }),
    "r.json",
  );
  assert.deepEqual(report.reasons, [
    ["malformed_row", 3],
    ["zero_quantity", 1],
    ["unknown_region", 0],
    ["brand_new_reason", 2],
  ]);
  assert.deepEqual([report.inputRows, report.cleanRows, report.rejectedRows], [10, 4, 6]);
});

Deno.test("a broken report is a UserError naming the file", () => {
  const cases: [string, RegExp][] = [
    ["{", /r\.json is not valid JSON/],
    ["[]", /r\.json must hold a JSON object/],
    [JSON.stringify({ input_rows: 1, clean_rows: 1, rejected_rows: 0 }), /"reasons" must be/],
    [
      JSON.stringify({ input_rows: -1, clean_rows: 1, rejected_rows: 0, reasons: {} }),
      /"input_rows" must be a whole number/,
    ],
    [
      JSON.stringify({ input_rows: 1, clean_rows: 1, rejected_rows: 0, reasons: { x: "2" } }),
      /reasons: "x" must be a whole number/,
    ],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => parseCleanReport(text, "r.json"), message);
  }
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
