import assert from "node:assert/strict";
import { inferRegionMap, matchRegion } from "../../src/lookups/infer_region_map.ts";

const REGIONS = [
  "Africa",
  "Asia",
  "Europe",
  "Middle East",
  "North America",
  "Oceania",
  "South America",
];

const MATCH_CASES: [string, string][] = [
  // Equal ignoring case and spaces.
  ["north america", "North America"],
  ["northamerica", "North America"],
  ["middle  east", "Middle East"],
  // The single nearest within distance 2.
  ["aisa", "Asia"],
  ["eurpoe", "Europe"],
  ["afirca", "Africa"],
  ["oceana", "Oceania"],
  ["nort america", "North America"], // 1 from North, 2 from South: North is nearest
  ["sout america", "South America"],
  ["midle east", "Middle East"],
  // Ties and nothing near stay UNKNOWN.
  ["nouth america", "UNKNOWN"], // 1 from North America and 1 from South America
  ["sorth america", "UNKNOWN"],
  ["mars", "UNKNOWN"],
  ["??", "UNKNOWN"],
  ["n/a", "UNKNOWN"],
  ["atlantis", "UNKNOWN"],
  ["n. america", "UNKNOWN"], // abbreviations need the map
  ["eu", "UNKNOWN"],
  ["austalia", "UNKNOWN"],
];

for (const [key, expected] of MATCH_CASES) {
  Deno.test(`matchRegion(${JSON.stringify(key)}) resolves to ${expected}`, () => {
    const match = matchRegion(key, REGIONS);
    const value = match.kind === "exact" || match.kind === "distance" ? match.region : "UNKNOWN";
    assert.equal(value, expected);
  });
}

Deno.test("a tie names the regions it is torn between", () => {
  assert.deepEqual(matchRegion("nouth america", REGIONS), {
    kind: "tie",
    regions: ["North America", "South America"],
    distance: 1,
  });
});

Deno.test("inferRegionMap maps raw values, sorts keys, and skips blanks", () => {
  const result = inferRegionMap({
    rawValues: [
      "Aisa",
      "NORTH AMERICA",
      "north america ",
      "Mars",
      "",
      "   ",
      "Nouth America",
      "42",
    ],
    regions: REGIONS,
  });
  assert.deepEqual(Object.entries(result.map), [
    ["42", "UNKNOWN"],
    ["aisa", "Asia"],
    ["mars", "UNKNOWN"],
    ["north america", "North America"],
    ["nouth america", "UNKNOWN"],
  ]);
  assert.deepEqual(result.ties.map(({ key }) => key), ["nouth america"]);
});

Deno.test("inferRegionMap never changes a region a person set, and keeps entries absent from the sample", () => {
  const result = inferRegionMap({
    rawValues: ["Mars", "Aisa", "EU", "Atlantis"],
    regions: REGIONS,
    existing: {
      "mars": "Europe", // odd, but a person's call
      "aisa": "Oceania", // even against the distance rule
      "eu": "Europe",
      "N. America": "North America", // a key written unnormalised by hand
      "atlantis": "UNKNOWN",
    },
  });
  assert.deepEqual({ ...result.map }, {
    "N. America": "North America",
    "aisa": "Oceania",
    "atlantis": "UNKNOWN",
    "eu": "Europe",
    "mars": "Europe",
  });
  assert.equal(result.keptEntries, 4);
  assert.deepEqual(result.changes, []);
});

Deno.test("inferRegionMap resolves UNKNOWN entries once a region covers them", () => {
  const result = inferRegionMap({
    rawValues: ["Antarctica"],
    regions: [...REGIONS, "Antarctica"],
    existing: { "antarctica": "UNKNOWN", "antarctika": "unknown", "??": "UNKNOWN" },
  });
  assert.deepEqual({ ...result.map }, {
    "??": "UNKNOWN",
    "antarctica": "Antarctica",
    "antarctika": "Antarctica",
  });
  assert.deepEqual(
    result.changes.map(({ key, value, resolvedExisting }) => [key, value, resolvedExisting]),
    [["antarctica", "Antarctica", true], ["antarctika", "Antarctica", true]],
  );
});

Deno.test("a raw value written alike to an existing key adds no second entry", () => {
  const result = inferRegionMap({
    rawValues: ["n.  AMERICA", "N. America"],
    regions: REGIONS,
    existing: { "n. america": "North America" },
  });
  assert.deepEqual({ ...result.map }, { "n. america": "North America" });
});
