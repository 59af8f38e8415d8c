import assert from "node:assert/strict";
import { UserError } from "../../../src/io/errors.ts";
import { RegionResolver } from "../../../src/cleaning/rules/region.ts";

const REGIONS = [
  "North America",
  "South America",
  "Europe",
  "Asia",
  "Africa",
  "Oceania",
  "Middle East",
];

const REGION_MAP: Record<string, string> = {
  "n. america": "North America",
  "eu": "Europe",
  "latam": "South America",
  "aisa": "Asia",
  "austalia": "oceania", // a person typed it in lower case: output keeps the canonical spelling
  "middle-east": "  Middle   East ",
  "mars": "UNKNOWN",
  "??": "unknown",
  "atlantis": "   ", // blank counts as UNKNOWN
  "lemuria": "Unknown",
  "asia": "Europe", // shadowed: the canonical entry Asia wins
  "gondwana": " Pangaea ", // not canonical: output as written, trimmed
};

/** Raw field → region, or `undefined` for `unknown_region` (docs/cleaning.md). */
const CASES: [string, string | undefined][] = [
  ["North America", "North America"],
  ["north america", "North America"],
  ["NORTH AMERICA", "North America"],
  ["north   america", "North America"], // inner runs collapse
  ["  North\tAmerica  ", "North America"],
  ["North\u00a0America", "North America"],
  ["Asia", "Asia"], // the canonical entry wins over the map's "asia"
  ["  Aisa ", "Asia"], // via the map
  ["AISA", "Asia"],
  ["N. America", "North America"],
  ["n.  america", "North America"],
  ["EU", "Europe"],
  ["LATAM", "South America"],
  ["Austalia", "Oceania"],
  ["middle-east", "Middle East"],
  ["gondwana", "Pangaea"],
  ["Mars", undefined],
  ["??", undefined],
  ["atlantis", undefined],
  ["Lemuria", undefined],
  ["", undefined],
  ["   ", undefined],
  ["Eurpoe", undefined], // no fuzzy matching at clean time
  ["Europ", undefined],
  ["North", undefined],
];

for (const [raw, expected] of CASES) {
  Deno.test(`RegionResolver.resolve(${JSON.stringify(raw)}) = ${expected}`, () => {
    const resolver = new RegionResolver(REGIONS, REGION_MAP);
    assert.equal(resolver.resolve(raw), expected);
    assert.equal(resolver.resolve(raw), expected, "a remembered answer differs");
  });
}

Deno.test("RegionResolver outputs canonical entries as written", () => {
  const resolver = new RegionResolver(["north america", "EUROPE"], { "eu": "Europe" });
  assert.equal(resolver.resolve("North America"), "north america");
  assert.equal(resolver.resolve("eu"), "EUROPE");
});

Deno.test("RegionResolver never maps a blank region, even if the map does", () => {
  const resolver = new RegionResolver(REGIONS, { " ": "Europe" });
  assert.equal(resolver.resolve(""), undefined);
  assert.equal(resolver.resolve(" \t"), undefined);
});

/** Maps whose keys normalise alike: [map, contradicts]. */
const CONFLICT_CASES: [Record<string, string>, boolean][] = [
  [{ "EU": "Europe", "eu ": "Asia" }, true],
  [{ "n. america": "North America", "N.  America": "South America" }, true],
  [{ "x": "Pangaea", "X": "pangaea" }, true], // not canonical: the spellings differ
  [{ "x": "Europe", "X": "UNKNOWN" }, true],
  [{ "EU": "Europe", "eu": "europe" }, false], // both mean the canonical Europe
  [{ "EU": "Europe", " eu ": " Europe " }, false],
  [{ "Mars": "UNKNOWN", "mars": "", "MARS": "unknown" }, false],
];

for (const [regionMap, contradicts] of CONFLICT_CASES) {
  Deno.test(`RegionResolver(${JSON.stringify(regionMap)}) contradicts = ${contradicts}`, () => {
    const build = () => new RegionResolver(REGIONS, regionMap);
    if (!contradicts) {
      build();
      return;
    }
    const keys = Object.keys(regionMap);
    assert.throws(build, (error: unknown) => {
      assert.ok(error instanceof UserError);
      for (const key of keys) {
        assert.match(error.message, new RegExp(RegExp.escape(JSON.stringify(key))));
      }
      assert.match(error.message, /region_map\.json/);
      return true;
    });
  });
}

Deno.test("RegionResolver names the map it was given in a contradiction", () => {
  assert.throws(
    () => new RegionResolver(REGIONS, { "EU": "Europe", "eu": "Asia" }, "lookups/region_map.json"),
    /^UserError: lookups\/region_map\.json: /,
  );
});

Deno.test("RegionResolver stays right after remembering more raw values than its memo holds", () => {
  const resolver = new RegionResolver(REGIONS, REGION_MAP);
  for (let index = 0; index < 120_000; index++) {
    assert.equal(resolver.resolve(`nowhere ${index}`), undefined);
  }
  assert.equal(resolver.resolve("Aisa"), "Asia");
  assert.equal(resolver.resolve("europe"), "Europe");
});
