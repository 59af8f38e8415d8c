import assert from "node:assert/strict";
import { metaphoneKey, phoneticCandidates } from "../../../src/lookups/suggestions/phonetic.ts";
import { CATEGORIES, REGIONS } from "./_canonicals.ts";

const KEY_CASES: [string, string][] = [
  ["Africa", "AFRK"],
  ["Afreeka", "AFRK"],
  ["Middle East", "MTL AST"],
  ["South America", "S0 AMRK"], // `0` is "th"
  ["Electronics", "ALKTRNKS"],
  ["Knight", "NT"], // silent initial K, silent GH
  ["Phone", "FN"],
  ["Science", "SNS"],
  ["Xavier", "SFR"],
  ["", ""],
];

for (const [raw, key] of KEY_CASES) {
  Deno.test(`metaphoneKey(${JSON.stringify(raw)}) = ${JSON.stringify(key)}`, () => {
    assert.equal(metaphoneKey(raw), key);
  });
}

const POSITIVE: [string, readonly string[], string][] = [
  ["Afreeka", REGIONS, "Africa"], // 3 edits
  ["Midel Eest", REGIONS, "Middle East"],
  ["Sauth Amerrica", REGIONS, "South America"],
  ["Elektroniks", CATEGORIES, "Electronics"],
  ["Groserry", CATEGORIES, "Grocery"],
  ["Klothing", CATEGORIES, "Clothing"],
];

for (const [raw, canonicals, expected] of POSITIVE) {
  Deno.test(`phonetic: ${JSON.stringify(raw)} sounds like ${expected}`, () => {
    assert.deepEqual(phoneticCandidates(raw, canonicals), [expected]);
  });
}

const NEGATIVE: [string, readonly string[]][] = [
  ["Asya", REGIONS], // a key of 2 sounds is no evidence
  ["Boox", CATEGORIES], // `BKS`: 3 sounds
  ["mars", REGIONS],
  ["atlantis", REGIONS],
  ["Mid East", REGIONS], // `MT AST`
  ["Midl", REGIONS], // one word against two
  ["??", REGIONS],
  ["n/a", REGIONS],
  ["Afreekaaaaaaaa", REGIONS], // sounds alike, but 8 edits from a 6-letter name
];

for (const [raw, canonicals] of NEGATIVE) {
  Deno.test(`phonetic: ${JSON.stringify(raw)} sounds like no canonical name`, () => {
    assert.deepEqual(phoneticCandidates(raw, canonicals), []);
  });
}
