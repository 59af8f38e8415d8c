import assert from "node:assert/strict";
import { abbreviationCandidates } from "../../../src/lookups/suggestions/abbreviation.ts";
import { CATEGORIES, REGIONS } from "./_canonicals.ts";

const POSITIVE: [string, readonly string[], string][] = [
  ["n. america", REGIONS, "North America"],
  ["N.America", REGIONS, "North America"],
  ["s. america", REGIONS, "South America"],
  ["S. Amer.", REGIONS, "South America"],
  ["eu", REGIONS, "Europe"],
  ["EUR", REGIONS, "Europe"],
  ["mid. east", REGIONS, "Middle East"],
  ["m. east", REGIONS, "Middle East"],
  ["oc", REGIONS, "Oceania"],
  ["nort america", REGIONS, "North America"], // a dropped last letter reads as a prefix too
  ["elec", CATEGORIES, "Electronics"],
  ["home & kit.", CATEGORIES, "Home & Kitchen"],
  ["Beauty & Pers. Care", CATEGORIES, "Beauty & Personal Care"],
];

for (const [raw, canonicals, expected] of POSITIVE) {
  Deno.test(`abbreviation: ${JSON.stringify(raw)} abbreviates ${expected}`, () => {
    assert.deepEqual(abbreviationCandidates(raw, canonicals), [expected]);
  });
}

const NEGATIVE: [string, readonly string[], string[]][] = [
  ["n/a", REGIONS, []], // two one-letter words: no evidence
  ["n a", REGIONS, []],
  ["na", REGIONS, []], // one word cannot abbreviate a two-word name
  ["america", REGIONS, []],
  ["a", REGIONS, []], // one letter alone is no evidence
  ["a.", REGIONS, []],
  ["af rica", REGIONS, []], // not word for word
  ["america north", REGIONS, []], // out of order (the fingerprint's case)
  ["mars", REGIONS, []],
  ["??", REGIONS, []],
  ["", REGIONS, []],
  ["misc", CATEGORIES, []],
  ["to", CATEGORIES, []], // one word against `Toys & Games` (three words)
];

for (const [raw, canonicals, expected] of NEGATIVE) {
  Deno.test(`abbreviation: ${JSON.stringify(raw)} → ${JSON.stringify(expected)}`, () => {
    assert.deepEqual(abbreviationCandidates(raw, canonicals), expected);
  });
}

Deno.test("abbreviation: a prefix of two canonical names names both, so no one is chosen", () => {
  assert.deepEqual(abbreviationCandidates("a", ["Asia", "Africa"]), []);
  assert.deepEqual(abbreviationCandidates("am.", ["Americas", "Amazonia", "Europe"]), [
    "Americas",
    "Amazonia",
  ]);
});
