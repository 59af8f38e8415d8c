import assert from "node:assert/strict";
import { inferCanonicalNames } from "../../src/lookups/infer_canonical_names.ts";
import { categoryKey, regionKey } from "../../src/lookups/keys.ts";

/** Raw values with repeats → counts, as the sample reader produces them. */
function countsOf(rows: [string, number][]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [raw, times] of rows) counts.set(raw, (counts.get(raw) ?? 0) + times);
  return counts;
}

const totalOf = (rows: [string, number][]) => rows.reduce((sum, [, times]) => sum + times, 0);

Deno.test("a key is canonical at min-share, spelled as most often in the data", () => {
  const rows: [string, number][] = [
    ["Electronics", 500],
    ["electronics", 40], // same key, rarer spelling
    ["  Electronics ", 30], // trims to the main spelling
    ["Elecronics", 19], // a typo: rare, however close
    ["Books", 300],
    ["books", 299],
    ["N/A", 20], // 1.6%: junk is left out by its share, not by its name
    ["", 10],
    ["   ", 5],
  ];
  const result = inferCanonicalNames({
    counts: countsOf(rows),
    totalRows: totalOf(rows),
    keyOf: categoryKey,
    minShare: 0.02,
  });
  assert.deepEqual(result.names, ["Books", "Electronics"]);
  assert.equal(result.blankRows, 15);
  assert.deepEqual(result.added.map(({ name, rows }) => [name, rows]), [
    ["Books", 599],
    ["Electronics", 570],
  ]);
  assert.deepEqual(result.candidates.map(({ key }) => key), [
    "books",
    "electronics",
    "n/a",
    "elecronics",
  ]);
});

Deno.test("min-share is inclusive and edit distance never merges close names", () => {
  const rows: [string, number][] = [
    ["North America", 49],
    ["South America", 48], // two edits from North America, still its own name
    ["Oceania", 2], // exactly 2%: min-share is inclusive
    ["Oceana", 1],
  ];
  const result = inferCanonicalNames({
    counts: countsOf(rows),
    totalRows: totalOf(rows),
    keyOf: regionKey,
    minShare: 0.02,
  });
  assert.deepEqual(result.names, ["North America", "Oceania", "South America"]);
});

Deno.test("spelling ties go to the first in code-unit order, so output is stable", () => {
  const result = inferCanonicalNames({
    counts: countsOf([["toys", 10], ["Toys", 10], ["TOYS", 10]]),
    totalRows: 30,
    keyOf: categoryKey,
    minShare: 0.02,
  });
  assert.deepEqual(result.names, ["TOYS"]);
});

Deno.test("a person's spelling of an inferred key is kept", () => {
  const result = inferCanonicalNames({
    counts: countsOf([["home & garden", 60], ["Books", 40]]),
    totalRows: 100,
    keyOf: categoryKey,
    minShare: 0.02,
    existing: ["Home & Garden"],
  });
  assert.deepEqual(result.names, ["Books", "Home & Garden"]);
  assert.deepEqual(result.confirmed.map(({ name }) => name), ["Home & Garden"]);
  assert.deepEqual(result.added.map(({ name }) => name), ["Books"]);
});

Deno.test("a person's entry the sample does not support is kept and reported, or pruned", () => {
  const base = {
    counts: countsOf([["Books", 99], ["Toys", 1]]),
    totalRows: 100,
    keyOf: categoryKey,
    minShare: 0.02,
    existing: ["Garden", "Toys"],
  };
  const kept = inferCanonicalNames(base);
  assert.deepEqual(kept.names, ["Books", "Garden", "Toys"]);
  assert.deepEqual(kept.unsupported.map(({ name, rows }) => [name, rows]), [
    ["Garden", 0],
    ["Toys", 1],
  ]);
  const pruned = inferCanonicalNames({ ...base, prune: true });
  assert.deepEqual(pruned.names, ["Books"]);
  assert.deepEqual(pruned.unsupported.map(({ name }) => name), ["Garden", "Toys"]);
});

Deno.test("folded values count toward their target without lending it their spelling", () => {
  const map: Record<string, string> = { "eu": "Europe", "uk": "Europe", "mars": "UNKNOWN" };
  const fold = (key: string) => {
    const target = map[key];
    return target === undefined || target === "UNKNOWN" ? undefined : target;
  };
  const rows: [string, number][] = [
    ["europe", 1], // the only literal spelling, however rare
    ["EU", 2],
    ["UK", 1],
    ["Asia", 96],
    ["Mars", 3],
  ];
  const result = inferCanonicalNames({
    counts: countsOf(rows),
    totalRows: totalOf(rows),
    keyOf: regionKey,
    minShare: 0.03,
    fold,
  });
  // europe alone is 1/103 (< 3%); with EU and UK folded in it is 4/103. Mars stays 3/103.
  assert.deepEqual(result.names, ["Asia", "europe"]);
  const onlyAbbreviations = inferCanonicalNames({
    counts: countsOf([["EU", 5], ["Asia", 95]]),
    totalRows: 100,
    keyOf: regionKey,
    minShare: 0.02,
    fold,
  });
  // No literal spelling at all: the map's target names it.
  assert.deepEqual(onlyAbbreviations.names, ["Asia", "Europe"]);
});

Deno.test("an empty sample infers nothing and keeps existing names", () => {
  const result = inferCanonicalNames({
    counts: new Map(),
    totalRows: 0,
    keyOf: categoryKey,
    minShare: 0.02,
    existing: ["Books"],
  });
  assert.deepEqual(result.names, ["Books"]);
  assert.deepEqual(result.unsupported.map(({ name, share }) => [name, share]), [["Books", 0]]);
});
