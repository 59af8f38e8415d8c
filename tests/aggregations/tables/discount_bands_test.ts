import assert from "node:assert/strict";
import {
  DISCOUNT_BAND_LABELS,
  discountBand,
} from "../../../src/aggregations/tables/discount_bands.ts";

Deno.test("discounts fall in bands compared with the doubles 0.1 … 0.9", () => {
  const cases: [number, string][] = [
    [0, "none"],
    [-0, "none"],
    [Number.MIN_VALUE, "0-10%"],
    [0.05, "0-10%"],
    [0.09999999999999999, "0-10%"],
    [0.1, "10-20%"],
    [0.30000000000000004, "30-40%"],
    [0.3, "30-40%"],
    [0.29999999999999993, "20-30%"],
    [0.8, "80-90%"],
    [0.85, "80-90%"],
    // floor(d × 10) would put this in 90-100%: d × 10 rounds to exactly 9.
    [0.8999999999999999, "80-90%"],
    [0.9, "90-100%"],
    [0.99, "90-100%"],
    [1, "90-100%"],
  ];
  for (const [discount, band] of cases) {
    assert.equal(DISCOUNT_BAND_LABELS[discountBand(discount)], band, `${discount}`);
  }
});
