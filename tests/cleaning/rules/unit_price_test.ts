import assert from "node:assert/strict";
import { parseUnitPrice, parseUnitPriceBytes } from "../../../src/cleaning/rules/unit_price.ts";
import { assertBytesAgreeOnRandomFields, callOnBytes } from "./_field_bytes.ts";

/** Raw field → unit price, or `undefined` for `invalid_unit_price` (docs/cleaning.md). */
const CASES: [string, number | undefined][] = [
  ["19.99", 19.99],
  [" 19.99 ", 19.99],
  ["12.345678", 12.345678], // kept as parsed, not rounded to cents
  ["0", 0],
  ["0.00", 0],
  ["-0", 0], // valid, and written as 0, never -0
  ["-0.000", 0],
  ["+5", 5],
  ["5.", 5],
  [".5", 0.5],
  ["50000", 50_000],
  ["50000.00", 50_000],
  ["50000.01", undefined],
  ["50000.000000000001", 50_000], // the double nearest the text is 50000 exactly
  ["-0.01", undefined],
  ["-5", undefined],
  ["1e3", 1_000],
  ["1E3", 1_000],
  ["5e4", 50_000],
  ["5.00001e4", undefined],
  ["1e-2", 0.01],
  ["+.5e+1", 5],
  ["1e400", undefined], // Infinity is out of range
  ["1e-400", 0],
  ["0.1", 0.1],
  ["0.30000000000000004", 0.30000000000000004],
  ["1234.5678901234567890123", 1234.567890123457], // more digits than the fast path takes
  ["\u00a042.5\u2028", 42.5],
  ["$5", undefined],
  ["5$", undefined],
  ["5%", undefined],
  ["1,000", undefined],
  ["1 000", undefined],
  ["abc", undefined],
  ["", undefined],
  ["  ", undefined],
  [".", undefined],
  ["+", undefined],
  ["e5", undefined],
  ["5e", undefined],
  ["5e+", undefined],
  ["5.5.5", undefined],
  ["NaN", undefined],
  ["Infinity", undefined],
  ["0x10", undefined],
  ["0b1", undefined],
  ["1_000", undefined],
  ["\u0664\u0662", undefined], // Arabic-Indic 42
];

for (const [raw, expected] of CASES) {
  Deno.test(`parseUnitPrice(${JSON.stringify(raw)}) = ${expected}`, () => {
    assert.equal(parseUnitPrice(raw), expected);
    assert.equal(callOnBytes(parseUnitPriceBytes, raw), expected, "parseUnitPriceBytes differs");
  });
}

Deno.test("parseUnitPriceBytes agrees with parseUnitPrice on 200,000 random fields", () => {
  assertBytesAgreeOnRandomFields(parseUnitPrice, parseUnitPriceBytes, 50_000, 200_000);
});

Deno.test("parseUnitPriceBytes equals Number() on decimals at the fast path's exactness limits", () => {
  // Mantissas just below and at 2^53, 22 and 23 fraction digits: each either takes the exact fast
  // path or falls back, and must give the same double either way.
  const texts = [
    "9007199254740991",
    "9007199254740992",
    "9007199254740993",
    "900719925474099.1",
    "900719925474099.3",
    "0.9007199254740993",
    "0.0000000000000000000001",
    "0.00000000000000000000001",
    "4999.9999999999999999999",
    "0.1000000000000000055511151231257827",
    "49999.99999999999",
    "49999.999999999999",
  ];
  for (const text of texts) {
    const value = Number(text);
    const expected = value >= 0 && value <= 50_000 ? value : undefined;
    assert.equal(callOnBytes(parseUnitPriceBytes, text), expected, text);
    assert.equal(parseUnitPrice(text), expected, text);
  }
});
