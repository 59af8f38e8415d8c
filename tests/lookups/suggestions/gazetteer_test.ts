import assert from "node:assert/strict";
import { gazetteerCandidates } from "../../../src/lookups/suggestions/gazetteer.ts";
import { REGIONS } from "./_canonicals.ts";

const POSITIVE: [string, string][] = [
  ["uk", "Europe"],
  ["U.K.", "Europe"],
  ["United Kingdom", "Europe"],
  ["USA", "North America"],
  ["U.S.A.", "North America"],
  ["us", "North America"],
  ["Canada", "North America"],
  ["LATAM", "South America"],
  ["Latin America", "South America"],
  ["Brazil", "South America"],
  ["brasil", "South America"], // 1 edit from a 6-letter word
  ["australia", "Oceania"],
  ["Austalia", "Oceania"], // 1 edit from a 9-letter word
  ["new zealand", "Oceania"],
  ["germany", "Europe"],
  ["Deutchland", "Europe"], // 1 edit
  ["Saudi Arabia", "Middle East"],
  ["UAE", "Middle East"],
  ["Saudi", "Middle East"],
  ["E.U.", "Europe"],
  ["nigeria", "Africa"],
  ["japan", "Asia"],
  ["Hong Kong", "Asia"],
  ["Mexico", "North America"],
];

for (const [raw, expected] of POSITIVE) {
  Deno.test(`gazetteer: ${JSON.stringify(raw)} lies in ${expected}`, () => {
    assert.deepEqual(gazetteerCandidates(raw, REGIONS), [expected]);
  });
}

const NEGATIVE: string[] = [
  "emea", // spans Europe, the Middle East and Africa: only a canonical `EMEA` takes it
  "apac",
  "americas",
  "america", // which one?
  "mars",
  "atlantis",
  "??",
  "n/a",
  "",
  "unknown",
  "other",
  "misc",
  "chila", // 1 edit from Chile and from China
  "austrlia", // 1 edit from Australia and from Austria
  "ux", // short words match exactly only
  "usb",
  "egypt", // its continent is a convention: left out
  "turkey",
  "russia",
];

for (const raw of NEGATIVE) {
  Deno.test(`gazetteer: ${JSON.stringify(raw)} places nothing among the 7 continents`, () => {
    assert.deepEqual(gazetteerCandidates(raw, REGIONS), []);
  });
}

Deno.test("gazetteer: proposes only names the canonical list holds, most specific first", () => {
  const sales = ["APAC", "Americas", "EMEA"];
  assert.deepEqual(gazetteerCandidates("france", sales), ["EMEA"]);
  assert.deepEqual(gazetteerCandidates("emea", sales), ["EMEA"]);
  assert.deepEqual(gazetteerCandidates("Australia", sales), ["APAC"]);
  assert.deepEqual(gazetteerCandidates("brazil", sales), ["Americas"]);
  assert.deepEqual(gazetteerCandidates("brazil", ["Latin America", "Americas"]), [
    "Latin America",
  ]);
  assert.deepEqual(gazetteerCandidates("uk", ["Asia", "Africa"]), []);
  assert.deepEqual(gazetteerCandidates("asia pacific", ["Asia-Pacific"]), ["Asia-Pacific"]);
});
