/**
 * The cleaner's slow path for order IDs and product names: fields holding an escaped quote or
 * non-ASCII bytes are decoded and trimmed as text (Unicode spaces included) instead of as byte
 * ranges. Their clean values, their rejections and rule 2 across both paths, read back by DuckDB.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cleanData } from "../../src/cleaning/clean_data.ts";
import { PROJECT_ROOT } from "../_dpd.ts";
import { DuckDb, sqlString } from "../_duckdb.ts";

const HEADER =
  "order_id,product_name,category,quantity,unit_price,discount_percent,region,sale_date,customer_email,revenue";
const REST = "Books,1,10,0,Europe,2026-01-15,,10";
const NBSP = "\u00a0";

/** [order_id field, product_name field (as written in the CSV), outcome]. */
const CASES: [string, string, { id: string; name: string } | string][] = [
  ['"ORD-""1"""', "Plain name", { id: 'ORD-"1"', name: "Plain name" }],
  ["ÖRD-2", '" Näme, ""quoted"" "', { id: "ÖRD-2", name: 'Näme, "quoted"' }],
  [`${NBSP}ORD-3${NBSP}`, `${NBSP}Café${NBSP}`, { id: "ORD-3", name: "Café" }],
  [NBSP, "Orphan", "missing_order_id"],
  ['" "" "', "Quote only", { id: '"', name: "Quote only" }],
  ["ORD-6", `${NBSP}\u2003`, "missing_product_name"],
  // Rule 2 across the fast and the decoded path: the same trimmed ID is a duplicate.
  ["ORD-000000007", "Fast path", { id: "ORD-000000007", name: "Fast path" }],
  [`ORD-000000007${NBSP}`, "Decoded path", "duplicate_order_id"],
  ['"ORD-""1"""', "Twice decoded", "duplicate_order_id"],
  ["ÖRD-2", "Non-ASCII again", "duplicate_order_id"],
  // Case matters: a different ID.
  ["örd-2", "Lower case", { id: "örd-2", name: "Lower case" }],
];

Deno.test("order IDs and names with escaped quotes or non-ASCII bytes: values, rejections, rule 2", async () => {
  const directory = await Deno.makeTempDir({ prefix: "dpd-chunk-cleaner-" });
  try {
    const input = join(directory, "decoded.csv");
    const lines = CASES.map(([id, name]) => `${id},${name},${REST}`);
    await Deno.writeTextFile(input, [HEADER, ...lines].join("\n") + "\n");
    const { report } = await cleanData({
      input,
      dataDir: join(directory, "data"),
      lookupsDir: join(PROJECT_ROOT, "tests", "fixtures", "golden", "lookups"),
      asOf: "2026-11-28",
      quiet: true,
      workers: 1,
    });

    using db = await DuckDb.open();
    const clean = await db.rows(
      `SELECT order_id AS id, product_name AS name FROM read_parquet(${sqlString(report.output!)})`,
    );
    assert.deepEqual(
      clean,
      CASES.flatMap(([, , outcome]) => typeof outcome === "string" ? [] : [outcome]),
    );
    const rejectedCsv = sqlString(report.rejected!);
    const rejected = await db.rows(
      `SELECT rejection_reason, source_line::INTEGER AS line
       FROM read_csv(${rejectedCsv}, header = true, all_varchar = true, quote = '"', escape = '"')`,
    );
    assert.deepEqual(
      rejected,
      CASES.flatMap(([, , outcome], index) =>
        typeof outcome === "string" ? [{ rejection_reason: outcome, line: index + 2 }] : []
      ),
    );
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
});
