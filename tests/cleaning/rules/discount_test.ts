import assert from "node:assert/strict";
import {
  discountAnomaly,
  parseDiscount,
  parseDiscountBytes,
} from "../../../src/cleaning/rules/discount.ts";
import { assertBytesAgreeOnRandomFields, callOnBytes } from "./_field_bytes.ts";

/** Raw field → clamped discount and its anomaly flag (docs/cleaning.md). */
const CASES: [string, number, "heavy_discount" | null][] = [
  ["0.1", 0.1, null],
  [" 0.25 ", 0.25, null],
  ["0", 0, null],
  ["0.80", 0.8, null], // the threshold itself is not heavy
  ["0.8000001", 0.8000001, "heavy_discount"],
  ["0.81", 0.81, "heavy_discount"],
  [".85", 0.85, "heavy_discount"],
  ["0.99", 0.99, "heavy_discount"],
  ["1", 1, "heavy_discount"],
  ["1.5", 1, "heavy_discount"], // clamped to 1, and flagged
  ["1e400", 1, "heavy_discount"], // a number (Infinity), clamped
  ["-0.2", 0, null],
  ["-0", 0, null], // never -0
  ["-1e400", 0, null],
  ["1e-1", 0.1, null],
  ["", 0, null], // blank → 0, not a rejection
  ["   ", 0, null],
  ["abc", 0, null],
  ["10%", 0, null],
  ["0,5", 0, null],
  ["NaN", 0, null],
  ["Infinity", 0, null], // not in the grammar, so 0 rather than clamped to 1
  ["\u00a00.9", 0.9, "heavy_discount"],
];

for (const [raw, discount, flag] of CASES) {
  Deno.test(`parseDiscount(${JSON.stringify(raw)}) = ${discount}, flag ${flag}`, () => {
    assert.equal(parseDiscount(raw), discount);
    assert.equal(callOnBytes(parseDiscountBytes, raw), discount, "parseDiscountBytes differs");
    assert.equal(discountAnomaly(parseDiscount(raw)), flag);
  });
}

Deno.test("parseDiscountBytes agrees with parseDiscount on 200,000 random fields", () => {
  assertBytesAgreeOnRandomFields(parseDiscount, parseDiscountBytes, 80, 200_000);
});
