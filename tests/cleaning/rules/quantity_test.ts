import assert from "node:assert/strict";
import { parseQuantity, parseQuantityBytes } from "../../../src/cleaning/rules/quantity.ts";
import { assertBytesAgreeOnRandomFields, callOnBytes } from "./_field_bytes.ts";

/** Raw field → quantity, or `undefined` for `invalid_quantity` (docs/cleaning.md). */
const CASES: [string, number | undefined][] = [
  ["3", 3],
  [" 3 ", 3],
  ["\t12\r\n", 12],
  ["3.0", 3],
  ["3.00", 3],
  ["3.", 3],
  ["+3", 3],
  ["007", 7],
  ["00000000000000000000000000001", 1],
  ["0", 0],
  ["0.0", 0],
  ["-2", 0], // negative → 0, which rule 4 then rejects as zero_quantity
  ["-0", 0], // and never -0
  ["-2.000", 0],
  ["100000", 100_000], // no upper bound short of 2^53 − 1
  ["9007199254740991", Number.MAX_SAFE_INTEGER],
  ["-9007199254740991", 0],
  ["9007199254740991.000", Number.MAX_SAFE_INTEGER],
  ["00009007199254740991", Number.MAX_SAFE_INTEGER],
  ["\u00a03\u3000", 3], // JS trim() removes non-ASCII spaces too
  ["\ufeff5", 5],
  ["9007199254740992", undefined], // 2^53
  ["9007199254740993", undefined], // rounds to 2^53 as a double, still too large
  ["-9007199254740992", undefined],
  ["123456789012345678901234567890", undefined],
  ["3.5", undefined],
  ["3.05", undefined],
  ["3.00000000000000000001", undefined],
  ["1e3", undefined],
  ["3,0", undefined],
  ["1_000", undefined],
  ["3.0.0", undefined],
  ["3 4", undefined],
  [".5", undefined],
  [".0", undefined],
  ["+", undefined],
  ["-", undefined],
  ["+-3", undefined],
  ["two", undefined],
  ["many", undefined],
  ["N/A", undefined],
  ["", undefined],
  ["   ", undefined],
  ["0x10", undefined],
  ["Infinity", undefined],
  ["\u0663", undefined], // Arabic-Indic three: ASCII digits only
  ["\uff13", undefined], // fullwidth three
  ["3\u0085", undefined], // NEL is not whitespace to trim()
];

for (const [raw, expected] of CASES) {
  Deno.test(`parseQuantity(${JSON.stringify(raw)}) = ${expected}`, () => {
    assert.equal(parseQuantity(raw), expected);
    assert.equal(callOnBytes(parseQuantityBytes, raw), expected, "parseQuantityBytes differs");
  });
}

Deno.test("parseQuantityBytes agrees with parseQuantity on 200,000 random fields", () => {
  assertBytesAgreeOnRandomFields(parseQuantity, parseQuantityBytes, 20_240_105, 200_000);
});

Deno.test("parseQuantityBytes reads only its range", () => {
  const source = new TextEncoder().encode("12345");
  assert.equal(parseQuantityBytes(source, 1, 3), 23);
  assert.equal(parseQuantityBytes(source, 2, 2), undefined);
});
