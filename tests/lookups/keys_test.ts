import assert from "node:assert/strict";
import { categoryKey, regionKey } from "../../src/lookups/keys.ts";

const CATEGORY_CASES: [string, string][] = [
  ["Electronics", "electronics"],
  ["  ELECTRONICS\t", "electronics"],
  ["Home & Garden", "home & garden"],
  ["Home  &  Garden", "home  &  garden"], // inner spaces are kept for categories
  ["\u00a0Sports\u3000", "sports"], // non-breaking and ideographic spaces trim like JS trim()
  ["", ""],
  ["   ", ""],
  ["ÉLECTRONIQUE", "électronique"],
];

for (const [raw, expected] of CATEGORY_CASES) {
  Deno.test(`categoryKey(${JSON.stringify(raw)}) = ${JSON.stringify(expected)}`, () => {
    assert.equal(categoryKey(raw), expected);
  });
}

const REGION_CASES: [string, string][] = [
  ["North America", "north america"],
  ["  north america  ", "north america"],
  ["NORTH   AMERICA", "north america"],
  ["North\tAmerica", "north america"],
  ["North \n\r America", "north america"],
  ["North\u00a0America", "north america"], // a non-breaking space is whitespace to trim() too
  ["N. America", "n. america"],
  ["Middle  East ", "middle east"],
  ["EU", "eu"],
  ["", ""],
  [" \t ", ""],
  ["??", "??"],
];

for (const [raw, expected] of REGION_CASES) {
  Deno.test(`regionKey(${JSON.stringify(raw)}) = ${JSON.stringify(expected)}`, () => {
    assert.equal(regionKey(raw), expected);
  });
}

Deno.test("regionKey is idempotent and agrees with categoryKey on single-spaced values", () => {
  for (const [raw] of [...REGION_CASES, ...CATEGORY_CASES]) {
    assert.equal(regionKey(regionKey(raw)), regionKey(raw));
    if (!/\s\s|[^\S ]/.test(raw.trim())) assert.equal(regionKey(raw), categoryKey(raw));
  }
});
