import assert from "node:assert/strict";
import { computeRevenue, isValidRevenue } from "../../../src/cleaning/rules/revenue.ts";

/** [quantity, unit price, discount, revenue] (docs/cleaning.md: doubles, left to right, then rounded). */
const REVENUE_CASES: [number, number, number, number][] = [
  [3, 19.99, 0.1, 53.97], // 53.973
  [2, 10, 0, 20],
  [1, 0.125, 0, 0.13], // half a cent rounds up
  [1, 0.015, 0, 0.02],
  [1, 1.005, 0, 1], // 1.005 × 100 is 100.49999999999999 in doubles
  [3, 1.005, 0, 3.01], // 301.49999999999994
  [1, 0.285, 0, 0.28], // 28.499999999999996
  [1, 2.675, 0, 2.68], // 267.5 exactly, so up (Python's round(2.675, 2) says 2.67)
  [1, 8.345, 0, 8.35], // 834.5000000000001
  [3, 0.05, 0.3, 0.11], // (3 × 0.05) × 0.7; grouping 3 × (0.05 × 0.7) would give 0.10
  [3, 0.15, 0.3, 0.31], // and 0.32 the other way
  [5, 100, 1, 0], // a full discount
  [0, 49.99, 0.2, 0], // kept zero quantities (--keep-zero-quantity)
  [20, 50_000, 0, 1_000_000],
];

for (const [quantity, unitPrice, discount, expected] of REVENUE_CASES) {
  Deno.test(`computeRevenue(${quantity}, ${unitPrice}, ${discount}) = ${expected}`, () => {
    assert.equal(computeRevenue(quantity, unitPrice, discount), expected);
  });
}

Deno.test("computeRevenue evaluates left to right, as the contract fixes", () => {
  for (const [quantity, unitPrice, discount] of REVENUE_CASES) {
    assert.equal(
      computeRevenue(quantity, unitPrice, discount),
      Math.round(quantity * unitPrice * (1 - discount) * 100) / 100,
    );
  }
});

/** Revenue → valid (0 to 1,000,000 inclusive). */
const VALIDITY_CASES: [number, boolean][] = [
  [0, true],
  [0.01, true],
  [999_999.99, true],
  [1_000_000, true],
  [1_000_000.01, false],
  [-0.01, false],
  [Infinity, false],
  [NaN, false],
];

for (const [revenue, expected] of VALIDITY_CASES) {
  Deno.test(`isValidRevenue(${revenue}) = ${expected}`, () => {
    assert.equal(isValidRevenue(revenue), expected);
  });
}

/** [quantity, unit price, discount] → valid once rounded: the 1,000,000 boundary end to end. */
const BOUNDARY_CASES: [number, number, number, boolean][] = [
  [20, 50_000, 0, true], // exactly 1,000,000
  [21, 50_000, 0, false],
  [25, 40_000.0001, 0, true], // 1,000,000.0025 rounds down to 1,000,000
  [25, 40_000.0002, 0, false], // 1,000,000.005 rounds up to 1,000,000.01
  [40, 50_000, 0.5, true],
  [40, 50_000, 0.49, false],
  [9_007_199_254_740_991, 50_000, 0, false], // huge but finite
];

for (const [quantity, unitPrice, discount, expected] of BOUNDARY_CASES) {
  Deno.test(`revenue of ${quantity} × ${unitPrice} × (1 − ${discount}) valid = ${expected}`, () => {
    assert.equal(isValidRevenue(computeRevenue(quantity, unitPrice, discount)), expected);
  });
}
