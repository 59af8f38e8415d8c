import assert from "node:assert/strict";
import { join } from "node:path";
import { buildAggregations } from "../../src/aggregations/build_aggregations.ts";
import { cleanData } from "../../src/cleaning/clean_data.ts";
import { generateData } from "../../src/generation/generate_data.ts";
import {
  cleanReportCandidates,
  loadCleanReport,
  loadDatasetReport,
} from "../../src/aggregations/clean_report.ts";
import { UserError } from "../../src/io/errors.ts";

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

/** A report file's text: `clean` clean rows of `input`, the rest malformed. */
function reportText(input: number, clean: number, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    input_rows: input,
    clean_rows: clean,
    rejected_rows: input - clean,
    reasons: { malformed_row: input - clean },
    ...extra,
  });
}

Deno.test("a dataset's report: one run's, or every shard's summed; anything else is a UserError saying what", async (t) => {
  const cases: {
    name: string;
    reports: Record<string, string>;
    rows: number;
    expected: { cleanRows: number; inputRows: number } | RegExp;
  }[] = [
    {
      name: "one run's report",
      reports: { "sales_clean_report.json": reportText(10, 7) },
      rows: 7,
      expected: { cleanRows: 7, inputRows: 10 },
    },
    {
      name: "every shard of one run, summed",
      reports: {
        "sales_shard-0-of-2_clean_report.json": reportText(10, 7),
        "sales_shard-1-of-2_clean_report.json": reportText(5, 4),
        "other_shard-0-of-3_clean_report.json": reportText(99, 99),
      },
      rows: 11,
      expected: { cleanRows: 11, inputRows: 15 },
    },
    {
      name: "no report at all",
      reports: { "other_clean_report.json": reportText(1, 1) },
      rows: 1,
      expected:
        /no clean report for dataset .*sales \(looked for sales_clean_report\.json and sales_shard-K-of-N_clean_report\.json in .*re-run clean-data/,
    },
    {
      name: "a report of another run",
      reports: { "sales_clean_report.json": reportText(10, 7) },
      rows: 8,
      expected:
        /sales_clean_report\.json counts 7 clean rows but .*sales holds 8: .*re-run clean-data/,
    },
    {
      name: "shard reports of two runs",
      reports: {
        "sales_shard-0-of-2_clean_report.json": reportText(10, 7),
        "sales_shard-1-of-2_clean_report.json": reportText(5, 4),
        "sales_shard-0-of-3_clean_report.json": reportText(3, 3),
      },
      rows: 11,
      expected:
        /holds shard reports of sales for (2 and 3|3 and 2) shards: remove the reports of the older run/,
    },
    {
      name: "a missing shard",
      reports: { "sales_shard-1-of-3_clean_report.json": reportText(5, 4) },
      rows: 4,
      expected:
        /dataset sales has 1 of 3 shard reports in .*\(missing shard 0, 2\): run the missing clean-data --shard K\/3 first/,
    },
  ];
  for (const { name, reports, rows, expected } of cases) {
    await t.step(name, async () => {
      const dataDir = await Deno.makeTempDir({ prefix: "dpd-dataset-report-" });
      try {
        const dataset = join(dataDir, "clean", "sales");
        await Deno.mkdir(join(dataDir, "reports"));
        for (const [file, text] of Object.entries(reports)) {
          await Deno.writeTextFile(join(dataDir, "reports", file), text);
        }
        const loading = loadDatasetReport(dataset, dataDir, rows);
        if (expected instanceof RegExp) {
          await assert.rejects(loading, (error: unknown) => {
            assert.ok(error instanceof UserError, String(error));
            assert.match(error.message, expected);
            return true;
          });
        } else {
          const report = await loading;
          assert.deepEqual({ cleanRows: report.cleanRows, inputRows: report.inputRows }, expected);
        }
      } finally {
        await Deno.remove(dataDir, { recursive: true });
      }
    });
  }
});

Deno.test("a clean parquet's report: a row count or a run id unlike the parquet's is refused", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "dpd-clean-report-" });
  try {
    const parquet = join(dataDir, "clean", "sales_clean.parquet");
    await Deno.mkdir(join(dataDir, "reports"));
    const reportPath = join(dataDir, "reports", "sales_clean_report.json");
    await Deno.writeTextFile(reportPath, reportText(10, 7, { run_id: "aaaa" }));
    assert.equal((await loadCleanReport(parquet, dataDir, 7, "aaaa")).cleanRows, 7);
    await assert.rejects(
      loadCleanReport(parquet, dataDir, 8, "aaaa"),
      /sales_clean_report\.json counts 7 clean rows but .*sales_clean\.parquet holds 8/,
    );
    await assert.rejects(loadCleanReport(parquet, dataDir, 7, "bbbb"), UserError);
    await Deno.remove(reportPath);
    await assert.rejects(
      loadCleanReport(parquet, dataDir, 7, "aaaa"),
      /no clean report for .*sales_clean\.parquet \(looked for .*sales_clean_report\.json.*re-run clean-data/,
    );
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
