import assert from "node:assert/strict";
import {
  parseSuggestionMethod,
  suggestCanonical,
  type Suggestion,
  SUGGESTION_METHODS,
} from "../../src/lookups/suggest.ts";
import { CATEGORIES, REGIONS } from "./suggestions/_canonicals.ts";

const REGION_CASES: [string, Suggestion | undefined][] = [
  ["America, North", { canonical: "North America", method: "fingerprint" }],
  ["n. america", { canonical: "North America", method: "abbreviation" }],
  ["s. america", { canonical: "South America", method: "abbreviation" }],
  ["eu", { canonical: "Europe", method: "abbreviation" }],
  ["uk", { canonical: "Europe", method: "gazetteer" }],
  ["LATAM", { canonical: "South America", method: "gazetteer" }],
  ["austalia", { canonical: "Oceania", method: "gazetteer" }],
  ["usa", { canonical: "North America", method: "gazetteer" }],
  ["Afreeka", { canonical: "Africa", method: "phonetic" }],
  // The gazetteer comes before the sound: `Austrailia` sounds like nothing canonical anyway.
  ["Austrailia", { canonical: "Oceania", method: "gazetteer" }],
  // No evidence, no suggestion.
  ["mars", undefined],
  ["atlantis", undefined],
  ["??", undefined],
  ["n/a", undefined],
  ["", undefined],
  ["   ", undefined],
];

for (const [raw, expected] of REGION_CASES) {
  Deno.test(`suggestCanonical(region, ${JSON.stringify(raw)})`, () => {
    assert.deepEqual(suggestCanonical("region", raw, REGIONS), expected);
  });
}

const CATEGORY_CASES: [string, Suggestion | undefined][] = [
  ["Home and Kitchen", { canonical: "Home & Kitchen", method: "fingerprint" }],
  ["elec", { canonical: "Electronics", method: "abbreviation" }],
  ["Elektroniks", { canonical: "Electronics", method: "phonetic" }],
  ["uk", undefined], // no gazetteer for categories
  ["N/A", undefined],
  ["misc", undefined],
  ["???", undefined],
];

for (const [raw, expected] of CATEGORY_CASES) {
  Deno.test(`suggestCanonical(category, ${JSON.stringify(raw)})`, () => {
    assert.deepEqual(suggestCanonical("category", raw, CATEGORIES), expected);
  });
}

Deno.test("suggestCanonical proposes only names of the list it is given", () => {
  assert.equal(suggestCanonical("region", "n. america", ["Europe", "Asia"]), undefined);
  assert.equal(suggestCanonical("region", "eu", []), undefined);
});

Deno.test("a method torn between two names passes the value on to the next method", () => {
  // `am.` abbreviates both; nothing later fits either, so there is no suggestion.
  assert.equal(suggestCanonical("region", "am.", ["Americas", "Amazonia"]), undefined);
});

Deno.test("SUGGESTION_METHODS lists each method once, fingerprint first", () => {
  assert.equal(new Set(SUGGESTION_METHODS).size, 4);
  assert.equal(SUGGESTION_METHODS[0], "fingerprint");
  assert.equal(parseSuggestionMethod(" Gazetteer "), "gazetteer");
  assert.equal(parseSuggestionMethod("edit"), undefined);
});
