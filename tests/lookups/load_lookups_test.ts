import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { UserError } from "../../src/io/errors.ts";
import { loadLookups, validateLookups } from "../../src/lookups/load_lookups.ts";

const CATEGORIES = ["Books", "Electronics", "Home & Garden"];
const REGIONS = ["Asia", "Europe", "North America"];
const REGION_MAP = { "eu": "Europe", "n. america": "North America", "mars": "UNKNOWN" };

interface LookupTexts {
  categories?: string;
  regions?: string;
  regionMap?: string;
}

/** Writes the three files (valid ones unless overridden) into a fresh directory. */
async function lookupsDirectory(overrides: LookupTexts = {}): Promise<string> {
  const directory = await Deno.makeTempDir({ prefix: "dpd_lookups_test_" });
  const texts = {
    "common_categories.json": overrides.categories ?? JSON.stringify(CATEGORIES, null, 2),
    "common_regions.json": overrides.regions ?? JSON.stringify(REGIONS, null, 2),
    "region_map.json": overrides.regionMap ?? JSON.stringify(REGION_MAP, null, 2),
  };
  for (const [name, text] of Object.entries(texts)) {
    await Deno.writeTextFile(join(directory, name), text);
  }
  return directory;
}

async function loadError(directory: string): Promise<UserError> {
  try {
    await loadLookups(directory);
  } catch (error) {
    assert.ok(error instanceof UserError, `expected a UserError, got ${error}`);
    return error;
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
  assert.fail("loadLookups accepted broken lookups");
}

Deno.test("loadLookups reads the three files, keeps spellings and hashes the bytes", async () => {
  const directory = await lookupsDirectory({
    categories: '\uFEFF[" Books ", "Electronics"]\n', // a BOM, as some editors save
  });
  try {
    const lookups = await loadLookups(directory);
    assert.deepEqual(lookups.categories, [" Books ", "Electronics"]);
    assert.deepEqual(lookups.regions, REGIONS);
    assert.deepEqual({ ...lookups.regionMap }, REGION_MAP);
    assert.equal(lookups.directory, directory);
    for (const name of ["common_categories.json", "common_regions.json", "region_map.json"]) {
      const bytes = await Deno.readFile(join(directory, name));
      assert.equal(lookups.fileHashes[name], createHash("sha256").update(bytes).digest("hex"));
    }
    // No prototype: a raw value named like an Object method is not a mapping.
    assert.equal(lookups.regionMap["constructor"], undefined);
    assert.equal(lookups.regionMap["toString"], undefined);
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
});

Deno.test("loadLookups names a missing file and the command that builds it", async () => {
  const directory = await lookupsDirectory();
  await Deno.remove(join(directory, "common_regions.json"));
  const error = await loadError(directory);
  assert.match(error.message, /common_regions\.json is missing/);
  assert.match(error.message, /build-region-lookup/);
  assert.match(error.message, /update-lookups/);
});

const SYNTAX_CASES: { name: string; overrides: LookupTexts; file: string; where: string }[] = [
  {
    name: "a trailing comma in an object",
    overrides: { regionMap: '{\n  "eu": "Europe",\n}\n' },
    file: "region_map.json",
    where: ":3:1",
  },
  {
    name: "a missing comma between entries",
    overrides: { regionMap: '{\n  "eu": "Europe"\n  "latam": "South America"\n}\n' },
    file: "region_map.json",
    where: ":3:3",
  },
  {
    name: "an unclosed array",
    overrides: { categories: '[\n  "Books",\n  "Toys"\n' },
    file: "common_categories.json",
    where: ":4:1",
  },
  {
    // V8 gives no position for this one ("Unexpected token"); the scanner finds it.
    name: "a misspelt literal",
    overrides: { regions: '[\n  "Asia",\n  tru\n]\n' },
    file: "common_regions.json",
    where: ":3:3",
  },
  {
    name: "an empty file",
    overrides: { regions: "" },
    file: "common_regions.json",
    where: ":1:1",
  },
  {
    name: "single quotes",
    overrides: { categories: "[\n  'Books'\n]" },
    file: "common_categories.json",
    where: ":2:3",
  },
];

for (const { name, overrides, file, where } of SYNTAX_CASES) {
  Deno.test(`loadLookups reports ${name} with file:line:column`, async () => {
    const directory = await lookupsDirectory(overrides);
    const error = await loadError(directory);
    assert.ok(
      error.message.startsWith(`${join(directory, file)}${where}: JSON syntax error`),
      error.message,
    );
  });
}

const SHAPE_CASES: { name: string; overrides: LookupTexts; expected: RegExp }[] = [
  {
    name: "categories as an object",
    overrides: { categories: '{"Books": 1}' },
    expected: /common_categories\.json:1:1: expected a JSON array of names.*found an object/,
  },
  {
    name: "a number among the regions",
    overrides: { regions: '[\n  "Asia",\n  42\n]' },
    expected:
      /common_regions\.json:3:3: expected a JSON array of names.*entry 2 is a number \(42\)/,
  },
  {
    name: "a blank category",
    overrides: { categories: '["Books", "  "]' },
    expected: /common_categories\.json:1:11: .*entry 2 is blank/,
  },
  {
    name: "a region map that is an array",
    overrides: { regionMap: '["eu", "Europe"]' },
    expected: /region_map\.json:1:1: expected a JSON object of raw value → region.*found an array/,
  },
  {
    name: "a region map value that is not a string",
    overrides: { regionMap: '{\n  "eu": "Europe",\n  "latam": null\n}' },
    expected: /region_map\.json:3:3: .*the value of "latam" is null/,
  },
  {
    name: "a region map key written twice",
    overrides: { regionMap: '{\n  "eu": "Europe",\n  "eu": "Asia"\n}' },
    expected: /region_map\.json:3:3: the key "eu" is written twice \(first on line 2\)/,
  },
];

for (const { name, overrides, expected } of SHAPE_CASES) {
  Deno.test(`loadLookups rejects ${name}, saying what was expected and where`, async () => {
    const directory = await lookupsDirectory(overrides);
    const error = await loadError(directory);
    assert.match(error.message, expected);
  });
}

const CONTRADICTION_CASES: { name: string; overrides: LookupTexts; expected: RegExp[] }[] = [
  {
    name: "two map keys that normalise alike with different values",
    overrides: { regionMap: '{"N. America": "North America", "n.  america": "Asia"}' },
    expected: [/"N\. America" and "n\. {2}america" are the same raw value/],
  },
  {
    name: "a map target that is no region",
    overrides: { regionMap: '{"eu": "Eurpoe"}' },
    expected: [/"eu" maps to "Eurpoe", which is neither a region in common_regions\.json/],
  },
  {
    name: "two categories with one key",
    overrides: { categories: '["Books", "books "]' },
    expected: [/common_categories\.json: "Books" and "books " are the same name/],
  },
  {
    name: "a canonical region mapped to another",
    overrides: { regionMap: '{"europe": "Asia"}' },
    expected: [/"europe" maps to "Asia", but "Europe" is itself a region/],
  },
  {
    name: "several problems at once",
    overrides: {
      regions: '["Asia", "asia", "Europe"]',
      regionMap: '{"eu": "Eurpoe", "asie": "asia"}',
    },
    expected: [/2 problems/, /"Asia" and "asia"/, /"Eurpoe"/, /update-lookups/],
  },
];

for (const { name, overrides, expected } of CONTRADICTION_CASES) {
  Deno.test(`loadLookups refuses ${name}`, async () => {
    const directory = await lookupsDirectory(overrides);
    const error = await loadError(directory);
    for (const pattern of expected) assert.match(error.message, pattern);
  });
}

Deno.test("validateLookups accepts what docs/cleaning.md allows", () => {
  assert.deepEqual(
    validateLookups({
      categories: CATEGORIES,
      regions: REGIONS,
      regionMap: {
        "eu": " europe ", // any case and spacing of a canonical region
        "EU": "Europe", // alike keys with the same target
        "mars": "unknown", // UNKNOWN in any case
        "??": "", // blank counts as UNKNOWN
        "asia": "UNKNOWN", // a canonical key left UNKNOWN: the canonical entry wins anyway
        "north america": "North America",
      },
    }),
    [],
  );
});

Deno.test("validateLookups refuses a blank key mapped to a region", () => {
  const problems = validateLookups({
    categories: CATEGORIES,
    regions: REGIONS,
    regionMap: { " ": "Asia" },
  });
  assert.equal(problems.length, 1);
  assert.match(problems[0], /blank key maps to "Asia"/);
});

/** A `region_map.json` text of `count` entries, one per line after the `{` line. */
function largeRegionMap(count: number, last = `"raw ${count - 1}": "Asia"`): string {
  const lines = ["{"];
  for (let entry = 0; entry < count - 1; entry++) {
    lines.push(`  "raw ${entry}": "${entry % 3 === 0 ? "UNKNOWN" : REGIONS[entry % 3]}",`);
  }
  lines.push(`  ${last}`, "}");
  return lines.join("\n");
}

Deno.test("loadLookups reads a 1,000,000-entry region_map.json", async () => {
  const directory = await lookupsDirectory({ regionMap: largeRegionMap(1_000_000) });
  try {
    const lookups = await loadLookups(directory);
    assert.equal(Object.keys(lookups.regionMap).length, 1_000_000);
    assert.equal(lookups.regionMap["raw 999999"], "Asia");
    assert.equal(lookups.regionMap["raw 4"], "Europe");
    assert.equal(Object.getPrototypeOf(lookups.regionMap), null);
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
});

Deno.test("a key written twice at the end of a 1,000,000-entry region_map.json is located", async () => {
  // Entry 1,000,000 repeats the key of entry 2 (line 3); it sits on line 1,000,001.
  const directory = await lookupsDirectory({
    regionMap: largeRegionMap(1_000_000, `"raw 1": "Asia"`),
  });
  const error = await loadError(directory);
  assert.match(
    error.message,
    /region_map\.json:1000001:3: the key "raw 1" is written twice \(first on line 3\)/,
  );
});

Deno.test("a value of the wrong type deep in a large region_map.json is located", async () => {
  const directory = await lookupsDirectory({
    regionMap: largeRegionMap(100_000, `"last": 7`),
  });
  const error = await loadError(directory);
  assert.match(error.message, /region_map\.json:100001:3: .*the value of "last" is a number \(7\)/);
});

Deno.test("long lists in lookup errors are cut after 20, then 'and N more'", async () => {
  // 25 map targets that are no region: 25 problems, and a list of 30 regions in each.
  const regions = Array.from({ length: 30 }, (_, index) => `Region ${index}`);
  const regionMap = Object.fromEntries(
    Array.from({ length: 25 }, (_, index) => [`raw ${index}`, `Nowhere ${index}`]),
  );
  const directory = await lookupsDirectory({
    regions: JSON.stringify(regions),
    regionMap: JSON.stringify(regionMap),
  });
  const error = await loadError(directory);
  const lines = error.message.split("\n");
  assert.match(lines[0], /\(25 problems\)/);
  assert.equal(lines.filter((line) => line.startsWith("  - ")).length, 21);
  assert.ok(lines.includes("  - and 5 more"), error.message);
  assert.match(lines[1], /use one of "Region 0", .*"Region 19" and 10 more or "UNKNOWN"/);
  assert.doesNotMatch(error.message, /Region 20/);
});

Deno.test("a long string value in a lookup error is cut", async () => {
  const long = "x".repeat(10_000);
  const directory = await lookupsDirectory({ categories: `["Books", 1, "${long}"]` });
  const error = await loadError(directory);
  assert.match(error.message, /entry 2 is a number \(1\)/);
  const directory2 = await lookupsDirectory({ regionMap: `{"${long}": 5}` });
  const error2 = await loadError(directory2);
  assert.ok(error2.message.length < 400, `${error2.message.length} characters`);
  assert.match(error2.message, /the value of "x{80}"… \(10,000 chars\) is a number/);
});

Deno.test("category_map.json is optional; when present it is loaded, hashed and checked", async () => {
  const directory = await lookupsDirectory();
  try {
    const without = await loadLookups(directory);
    assert.equal(without.categoryMap, undefined);
    assert.deepEqual(Object.keys(without.fileHashes).sort(), [
      "common_categories.json",
      "common_regions.json",
      "region_map.json",
    ]);
    const text = JSON.stringify({ "home and garden": "Home & Garden" }, null, 2);
    await Deno.writeTextFile(join(directory, "category_map.json"), text);
    const withMap = await loadLookups(directory);
    assert.deepEqual({ ...withMap.categoryMap }, { "home and garden": "Home & Garden" });
    assert.equal(
      withMap.fileHashes["category_map.json"],
      createHash("sha256").update(text).digest("hex"),
    );
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ "gizmos": "Gadgets" }, /"gizmos" maps to "Gadgets", which is not a category/],
    [{ "books": "Electronics" }, /"Books" is itself a category/],
    [{ "Home and Garden": "Books", "home and garden ": "Electronics" }, /same raw value/],
    [{ "x": 3 }, /the value of "x" is a number \(3\); write a category name/],
  ];
  for (const [map, message] of cases) {
    const broken = await lookupsDirectory();
    await Deno.writeTextFile(join(broken, "category_map.json"), JSON.stringify(map));
    assert.match((await loadError(broken)).message, message);
  }
});
