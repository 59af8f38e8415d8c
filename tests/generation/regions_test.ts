import assert from "node:assert/strict";
import {
  REGION_ABBREVIATIONS,
  REGION_VARIANTS,
  REGION_WEIGHTS,
  REGIONS,
  UNKNOWN_REGIONS,
} from "../../src/generation/regions.ts";
import { levenshtein, regionKey } from "./_levenshtein.ts";

/** How the lookups stage (docs/lookups.md) would resolve a raw region with the starter map. */
function resolve(raw: string): string | undefined {
  const key = regionKey(raw);
  const exact = REGIONS.find((region) => regionKey(region) === key);
  if (exact) return exact;
  if (key in REGION_ABBREVIATIONS) return REGION_ABBREVIATIONS[key];
  const distances = REGIONS.map((region) => levenshtein(key, regionKey(region)));
  const nearest = Math.min(...distances);
  const winners = REGIONS.filter((_, index) => distances[index] === nearest);
  return nearest <= 2 && winners.length === 1 ? winners[0] : undefined;
}

Deno.test("regions: 7 canonical regions, weights summing to 1, none under 5%", () => {
  assert.equal(REGIONS.length, 7);
  const total = REGIONS.reduce((sum, region) => sum + REGION_WEIGHTS[region], 0);
  assert.ok(Math.abs(total - 1) < 1e-9);
  for (const region of REGIONS) assert.ok(REGION_WEIGHTS[region] >= 0.05, region);
});

Deno.test("regions: at least 12 dirty spellings, each resolving to its own region", () => {
  const spellings = REGIONS.flatMap((region) => REGION_VARIANTS[region]);
  assert.ok(new Set(spellings).size >= 12);
  assert.equal(new Set(spellings).size, spellings.length);
  for (const region of REGIONS) {
    for (const spelling of REGION_VARIANTS[region]) {
      assert.notEqual(spelling, region);
      assert.equal(resolve(spelling), region, JSON.stringify(spelling));
    }
  }
  for (const expected of ["north america", "NORTH AMERICA", "N. America", "Aisa", "Eurpoe", "EU"]) {
    assert.ok(spellings.includes(expected), expected);
  }
  for (const expected of ["LATAM", "Austalia"]) assert.ok(spellings.includes(expected), expected);
  assert.ok(spellings.some((spelling) => spelling !== spelling.trimEnd()), "a trailing space");
});

Deno.test("regions: abbreviations are normalised keys of canonical regions, none fuzzy-resolvable", () => {
  for (const [key, region] of Object.entries(REGION_ABBREVIATIONS)) {
    assert.equal(key, regionKey(key));
    assert.ok((REGIONS as readonly string[]).includes(region));
    const near = REGIONS.filter((candidate) => levenshtein(key, regionKey(candidate)) <= 2);
    assert.deepEqual(near, [], `${key} would also resolve by edit distance`);
  }
});

Deno.test("regions: unknown values resolve to nothing", () => {
  assert.ok(UNKNOWN_REGIONS.includes(""));
  for (const raw of UNKNOWN_REGIONS) assert.equal(resolve(raw), undefined, JSON.stringify(raw));
});
