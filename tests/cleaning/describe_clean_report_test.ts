import assert from "node:assert/strict";
import { type CleanCounts, describeCleanReport } from "../../src/cleaning/describe_clean_report.ts";
import { REJECTION_REASONS } from "../../src/cleaning/rules/reasons.ts";

const NO_REJECTIONS = Object.fromEntries(
  REJECTION_REASONS.map((reason) => [reason, 0]),
) as CleanCounts["reasons"];

/** [what the case is, the report's counts, the lines people read]. */
const CASES: [string, CleanCounts, string[]][] = [
  [
    "nothing rejected: no reasons table, anomalies counted even when absent",
    { input_rows: 0, clean_rows: 0, rejected_rows: 0, reasons: NO_REJECTIONS, anomalies: {} },
    ["input 0 rows = clean 0 + rejected 0", "heavy_discount anomalies: 0"],
  ],
  [
    "only the reasons with rows, in rule order, with their share of the input",
    {
      input_rows: 1_234_567,
      clean_rows: 1_230_000,
      rejected_rows: 4_567,
      reasons: { ...NO_REJECTIONS, unknown_region: 567, duplicate_order_id: 4_000 },
      anomalies: { heavy_discount: 12_345 },
    },
    [
      "input 1,234,567 rows = clean 1,230,000 + rejected 4,567",
      "rejection_reason     rows  share",
      "------------------  -----  -----",
      "duplicate_order_id  4,000  0.32%",
      "unknown_region        567  0.05%",
      "heavy_discount anomalies: 12,345",
    ],
  ],
];

for (const [name, counts, expected] of CASES) {
  Deno.test(`describeCleanReport: ${name}`, () => {
    assert.deepEqual(describeCleanReport(counts), expected);
  });
}
