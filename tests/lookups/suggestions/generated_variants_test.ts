/**
 * Precision on the generator's own dirty values: every suggestion made for a region variant or a
 * category typo is its true canonical name, the values the edit-distance rule leaves UNKNOWN all
 * get theirs, and junk gets none.
 */
import assert from "node:assert/strict";
import { CATEGORIES, JUNK_CATEGORIES } from "../../../src/generation/catalogue.ts";
import {
  REGION_ABBREVIATIONS,
  REGION_VARIANTS,
  REGIONS,
  UNKNOWN_REGIONS,
} from "../../../src/generation/regions.ts";
import { categoryTypos } from "../../../src/generation/typos.ts";
import { matchRegion } from "../../../src/lookups/infer_region_map.ts";
import { regionKey } from "../../../src/lookups/keys.ts";
import { suggestCanonical } from "../../../src/lookups/suggest.ts";

Deno.test("every suggestion for a generated region variant is its true region", () => {
  const wrong: string[] = [];
  for (const region of REGIONS) {
    for (const variant of REGION_VARIANTS[region]) {
      const suggestion = suggestCanonical("region", variant, REGIONS);
      if (suggestion && suggestion.canonical !== region) {
        wrong.push(`${variant} → ${suggestion.canonical} (${suggestion.method}), not ${region}`);
      }
    }
  }
  assert.deepEqual(wrong, []);
});

Deno.test("every variant the edit-distance rule leaves UNKNOWN gets its true region", () => {
  const unplaced: string[] = [];
  const leftUnknown: string[] = [];
  for (const region of REGIONS) {
    for (const variant of REGION_VARIANTS[region]) {
      if (matchRegion(regionKey(variant), REGIONS).kind !== "none") continue;
      leftUnknown.push(variant);
      if (suggestCanonical("region", variant, REGIONS)?.canonical !== region) {
        unplaced.push(variant);
      }
    }
  }
  // The abbreviations and the gazetteer's words: without them these wait on a person.
  assert.deepEqual(leftUnknown.sort(), [
    "Austalia",
    "EU",
    "LATAM",
    "N. America",
    "S. America",
    "UK",
  ]);
  assert.deepEqual(unplaced, []);
});

Deno.test("the starter region map's abbreviations are all suggested", () => {
  for (const [raw, region] of Object.entries(REGION_ABBREVIATIONS)) {
    assert.equal(suggestCanonical("region", raw, REGIONS)?.canonical, region, raw);
  }
});

Deno.test("the generator's unknown regions get no suggestion", () => {
  for (const junk of UNKNOWN_REGIONS) {
    assert.equal(suggestCanonical("region", junk, REGIONS), undefined, JSON.stringify(junk));
  }
});

Deno.test("every suggestion for a generated category typo is its true category", () => {
  const wrong: string[] = [];
  let typos = 0;
  for (const category of CATEGORIES) {
    for (const typo of categoryTypos(category)) {
      typos++;
      const suggestion = suggestCanonical("category", typo, CATEGORIES);
      if (suggestion && suggestion.canonical !== category) {
        wrong.push(`${typo} → ${suggestion.canonical} (${suggestion.method}), not ${category}`);
      }
    }
  }
  assert.ok(typos > 100, `only ${typos} typos`);
  assert.deepEqual(wrong, []);
});

Deno.test("the generator's junk categories get no suggestion", () => {
  for (const junk of JUNK_CATEGORIES) {
    assert.equal(suggestCanonical("category", junk, CATEGORIES), undefined, JSON.stringify(junk));
  }
});
