import assert from "node:assert/strict";
import { join } from "node:path";
import {
  cleanOutputPaths,
  cleanParquetStem,
  cleanReportName,
  inputStem,
  type OutputPathOptions,
  parseShardReportName,
  reportStem,
} from "../../src/cleaning/output_names.ts";

Deno.test("a run's outputs are named after its stem", () => {
  const cases: [OutputPathOptions, [output: string, rejected: string, report: string]][] = [
    [{ name: "sales" }, [
      join("data", "clean", "sales_clean.parquet"),
      join("data", "rejected", "sales_rejected.csv"),
      join("data", "reports", "sales_clean_report.json"),
    ]],
    [{ name: "sales", shard: { index: 2, count: 4 }, dataDir: "w" }, [
      join("w", "clean", "sales", "part-shard-2-of-4.parquet"),
      join("w", "rejected", "sales_shard-2-of-4_rejected.csv"),
      join("w", "reports", "sales_shard-2-of-4_clean_report.json"),
    ]],
    [{ name: "sales", partitionBy: "sale_month" }, [
      join("data", "clean", "sales"),
      join("data", "rejected", "sales_rejected.csv"),
      join("data", "reports", "sales_clean_report.json"),
    ]],
    [{ name: "sales", output: "x.parquet", rejectedDir: "r", reportDir: "p" }, [
      "x.parquet",
      join("r", "sales_rejected.csv"),
      join("p", "sales_clean_report.json"),
    ]],
  ];
  for (const [options, expected] of cases) {
    const paths = cleanOutputPaths(options);
    assert.deepEqual([paths.output, paths.rejected, paths.report], expected);
  }
});

Deno.test("stems: of an input, of a clean parquet, of a report", () => {
  const inputs: [string, string][] = [
    ["data/sales.csv", "sales"],
    ["sales.CSV.GZ", "sales"],
    ["dir\\sales.gz", "sales"],
    ["sales.v2.csv", "sales.v2"],
  ];
  for (const [path, stem] of inputs) assert.equal(inputStem(path), stem, path);
  assert.equal(cleanParquetStem("data/clean/dirty_1m_clean.parquet"), "dirty_1m");
  assert.equal(cleanParquetStem("elsewhere/sales.parquet"), "sales");
  assert.equal(reportStem(cleanReportName("dirty_1m")), "dirty_1m");
  assert.equal(reportStem("dirty_1m.json"), undefined);
});

Deno.test("shard report names read back as the shard that wrote them", () => {
  const { report } = cleanOutputPaths({ name: "my_sales", shard: { index: 11, count: 12 } });
  assert.deepEqual(parseShardReportName(report.split(/[\\/]/).at(-1)!), {
    name: "my_sales",
    shard: { index: 11, count: 12 },
  });
  assert.equal(parseShardReportName("my_sales_clean_report.json"), undefined);
});
