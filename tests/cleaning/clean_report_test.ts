import assert from "node:assert/strict";
import {
  buildCleanReport,
  CleanReportError,
  cleanReportText,
  parseCleanReport,
  reasonEntries,
} from "../../src/cleaning/clean_report.ts";
import { COLUMN_ROLES } from "../../src/io/column_roles.ts";
import { REJECTION_REASONS } from "../../src/cleaning/rules/reasons.ts";

/** A finished run's totals, as clean-data hands them to the writer. */
function runTotals() {
  const headerFields = [...COLUMN_ROLES, " Notes "];
  return {
    inputRows: 10,
    cleanRows: 7,
    reasonCounts: REJECTION_REASONS.map((_, index) => index === 5 ? 3 : 0),
    heavyDiscountRows: 2,
    lookupHashes: { "common_regions.json": "ab12" },
    asOf: "2026-11-28",
    durationSeconds: 1.23456,
    inputs: ["a.csv", "b.csv"],
    name: "sales",
    inputRowsByFile: [{ file: "a.csv", rows: 4 }, { file: "b.csv", rows: 6 }],
    output: "data/clean/sales_clean.parquet",
    rejected: null,
    keepZeroQuantity: true,
    runId: "run-1",
    rejectedBytes: null,
    headerFields,
    positions: Object.fromEntries(
      COLUMN_ROLES.map((role, index) => [role, role === "customer_email" ? -1 : index]),
    ) as Record<(typeof COLUMN_ROLES)[number], number>,
    dedupKey: ["order_id"],
    extraColumns: ["Notes"],
    dropExtraColumns: false,
    shard: { index: 1, count: 4 },
    peakRssBytes: 1024,
  };
}

Deno.test("the writer's report reads back as itself", () => {
  const report = buildCleanReport(runTotals());
  assert.equal(report.rejected_rows, 3);
  assert.equal(report.reasons.zero_quantity, 3);
  assert.deepEqual(Object.keys(report.reasons), [...REJECTION_REASONS]);
  assert.equal(report.duration_s, 1.235);
  assert.equal(report.rows_per_s, Math.round(10 / 1.23456));
  assert.equal(report.input, "a.csv, b.csv");
  assert.equal(report.columns.customer_email, null);
  const text = cleanReportText(report);
  assert.ok(text.endsWith("}\n"));
  assert.deepEqual(parseCleanReport(text, "r.json"), report);
});

Deno.test("an older report without the later keys reads, with only what it has", () => {
  const text = JSON.stringify({ input_rows: 2, clean_rows: 1, rejected_rows: 1, reasons: {} });
  assert.deepEqual(parseCleanReport(text, "r.json"), {
    input_rows: 2,
    clean_rows: 1,
    rejected_rows: 1,
    reasons: {},
  });
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
  assert.deepEqual(reasonEntries(report.reasons), [
    ["malformed_row", 3],
    ["zero_quantity", 1],
    ["unknown_region", 0],
    ["brand_new_reason", 2],
  ]);
});

Deno.test("a broken report is an error naming the file and the field", () => {
  const counts = { input_rows: 1, clean_rows: 1, rejected_rows: 0, reasons: {} };
  const cases: [string, RegExp][] = [
    ["{", /^r\.json: not valid JSON/],
    ["[]", /^r\.json: not a JSON object/],
    [JSON.stringify({ input_rows: 1, clean_rows: 1, rejected_rows: 0 }), /"reasons" must be/],
    [JSON.stringify({ ...counts, input_rows: -1 }), /"input_rows" must be a whole number/],
    [JSON.stringify({ ...counts, clean_rows: 1.5 }), /"clean_rows" must be a whole number/],
    [JSON.stringify({ ...counts, reasons: { x: "2" } }), /reasons: "x" must be a whole number/],
    [JSON.stringify({ ...counts, anomalies: { f: -1 } }), /anomalies: "f" must be a whole number/],
    [JSON.stringify({ ...counts, output: 3 }), /"output" must be a path or null/],
    [JSON.stringify({ ...counts, run_id: null }), /"run_id" must be a string/],
    [JSON.stringify({ ...counts, keep_zero_quantity: "yes" }), /"keep_zero_quantity" must be true/],
    [JSON.stringify({ ...counts, columns: { region: 1 } }), /"columns" must be an object of role/],
    [JSON.stringify({ ...counts, dedup_key: "order_id" }), /"dedup_key" must be a list/],
    [JSON.stringify({ ...counts, inputs: [{ file: "a" }] }), /"inputs" must be a list of/],
    [JSON.stringify({ ...counts, shard: { index: 4, count: 4 } }), /"shard" must be null or/],
    [JSON.stringify({ ...counts, rejected_bytes: "9" }), /"rejected_bytes" must be a whole/],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => parseCleanReport(text, "r.json"), (error) => {
      assert.ok(error instanceof CleanReportError, String(error));
      assert.match(error.message, message);
      assert.match(error.message, /re-run clean-data$/);
      assert.equal(error.path, "r.json");
      return true;
    }, text);
  }
});
