import assert from "node:assert/strict";
import { ANOMALY_FLAGS, REJECTION_REASONS } from "../../../src/cleaning/rules/reasons.ts";

Deno.test("REJECTION_REASONS lists malformed_row then the 11 rules of docs/cleaning.md, in rule order", () => {
  assert.deepEqual(REJECTION_REASONS, [
    "malformed_row",
    "missing_order_id",
    "missing_product_name",
    "duplicate_order_id",
    "invalid_quantity",
    "zero_quantity",
    "invalid_unit_price",
    "unknown_category",
    "unknown_region",
    "invalid_sale_date",
    "sale_date_out_of_range",
    "invalid_calculated_revenue",
  ]);
});

Deno.test("ANOMALY_FLAGS holds heavy_discount", () => {
  assert.deepEqual(ANOMALY_FLAGS, ["heavy_discount"]);
});
