import assert from "node:assert/strict";
import {
  fingerprintCandidates,
  fingerprintKey,
} from "../../../src/lookups/suggestions/fingerprint.ts";
import { CATEGORIES, REGIONS } from "./_canonicals.ts";

const KEY_CASES: [string, string][] = [
  ["North America", "america north"],
  ["America, North", "america north"],
  ["  NORTH   america ", "america north"],
  ["Home & Kitchen", "and home kitchen"],
  ["Home and Kitchen", "and home kitchen"],
  ["kitchen & home & home", "and home kitchen"], // repeated words count once
  ["Éurope", "europe"], // accents dropped
  ["n/a", "na"], // punctuation is removed, not a word break
  ["N. America", "america n"],
  ["??", ""],
  ["", ""],
];

for (const [raw, key] of KEY_CASES) {
  Deno.test(`fingerprintKey(${JSON.stringify(raw)}) = ${JSON.stringify(key)}`, () => {
    assert.equal(fingerprintKey(raw), key);
  });
}

const POSITIVE: [string, readonly string[], string][] = [
  ["America, North", REGIONS, "North America"],
  ["america south", REGIONS, "South America"],
  ["EAST MIDDLE", REGIONS, "Middle East"],
  ["Home and Kitchen", CATEGORIES, "Home & Kitchen"],
  ["kitchen & home", CATEGORIES, "Home & Kitchen"],
  ["Games and Toys", CATEGORIES, "Toys & Games"],
  ["Personal Care & Beauty", CATEGORIES, "Beauty & Personal Care"],
  ["Outdoors & Sports", CATEGORIES, "Sports & Outdoors"],
];

for (const [raw, canonicals, expected] of POSITIVE) {
  Deno.test(`fingerprint: ${JSON.stringify(raw)} meets ${expected}`, () => {
    assert.deepEqual(fingerprintCandidates(raw, canonicals), [expected]);
  });
}

const NEGATIVE: [string, readonly string[]][] = [
  ["East-Middle", REGIONS], // `eastmiddle`: one word, like OpenRefine
  ["n. america", REGIONS], // an abbreviation, not the same words
  ["america", REGIONS],
  ["Home", CATEGORIES],
  ["Home & Garden", CATEGORIES],
  ["Outdoors, Sports", CATEGORIES], // `and` is a word of the key; a comma does not stand for it
  ["??", REGIONS],
  ["n/a", REGIONS],
  ["mars", REGIONS],
  ["", REGIONS],
];

for (const [raw, canonicals] of NEGATIVE) {
  Deno.test(`fingerprint: ${JSON.stringify(raw)} meets no canonical name`, () => {
    assert.deepEqual(fingerprintCandidates(raw, canonicals), []);
  });
}

Deno.test("fingerprint: two canonical names with one key are both returned (no decision)", () => {
  assert.deepEqual(fingerprintCandidates("a b", ["A B", "B, A", "C"]), ["A B", "B, A"]);
});
