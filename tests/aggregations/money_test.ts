import assert from "node:assert/strict";
import {
  amountFromCents,
  centsOf,
  divideRoundHalfUp,
  meanAmountFromCents,
} from "../../src/aggregations/money.ts";

Deno.test("centsOf rounds each amount to whole cents, as the double it is", () => {
  const cases: [number, number][] = [
    [0, 0],
    [0.005, 1],
    [0.015, 2],
    // 1.005 is 1.00499999999999989… as a double, so it rounds down.
    [1.005, 100],
    [2.675, 268],
    [19.99, 1999],
    [1_000_000, 100_000_000],
  ];
  for (const [amount, cents] of cases) assert.equal(centsOf(amount), cents, `${amount}`);
});

Deno.test("divideRoundHalfUp rounds ties up and is exact for large sums", () => {
  const cases: [number, number, number][] = [
    [0, 3, 0],
    [1, 2, 1],
    [3, 2, 2],
    [5, 4, 1],
    [7, 4, 2],
    [10, 4, 3],
    [2, 3, 1],
    [1, 3, 0],
    [9_007_199_254_740_991, 2, 4_503_599_627_370_496],
    [9_007_199_254_740_990, 4, 2_251_799_813_685_248],
    [9_007_199_254_740_989, 9_007_199_254_740_991, 1],
  ];
  for (const [numerator, denominator, expected] of cases) {
    const exact = Number(
      (2n * BigInt(numerator) + BigInt(denominator)) / (2n * BigInt(denominator)),
    );
    assert.equal(exact, expected, `reference for ${numerator}/${denominator}`);
    assert.equal(
      divideRoundHalfUp(numerator, denominator),
      expected,
      `${numerator}/${denominator}`,
    );
  }
});

Deno.test("amounts are written as cents / 100", () => {
  assert.equal(amountFromCents(123_456), 1234.56);
  assert.equal(amountFromCents(-5), -0.05);
  assert.equal(meanAmountFromCents(1001, 2), 5.01);
  assert.equal(meanAmountFromCents(1000, 3), 3.33);
});
